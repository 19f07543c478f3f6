import { BudgetExceededError } from '../errors/budget-exceeded-error.js'
import type { Budget } from './budget-config.js'
import type { Store } from '../spec/store.js'
import { CounterHold, PlannedCounter, Planner, type CounterSource } from './counter-plan.js'
import { countersIn, settleHeld, type Counters } from './counters.js'
import type { ReserveOutcome } from './reserve-script.js'
import { describeCounter, scopeMatcher, type SpendAttributes } from './spend-scope.js'
import type { SpendWarning } from './spend-warning.js'
import type { CompanionCounters } from './rate-limiter.js'

/** What one attempt holds in its budgets until it is settled. */
export type BudgetReservation = CounterHold

export interface BudgetStatus {
  budget: string
  /** Whose spend: `the whole router`, `user alice`, ... */
  scope: string
  limitUsd: number
  /** Settled spend plus reservations in flight. */
  spentUsd: number
  remainingUsd: number
  /** Calendar windows: when the period ends. Rolling windows: when the oldest counted spend leaves the window (`null` when nothing is counted). */
  resetsAt: Date | null
}

/** A budget's counter key: its name, the calendar period its window is in and the scope's counter. */
function budgetKey(budget: Budget, periodId: string, scope: string): string {
  return `spend:budget:${encodeURIComponent(budget.name)}:${periodId}:${scope}`
}

/** A budget's counter, one per scope counter and period. */
function budgetSource(budget: Budget): CounterSource {
  const window = budget.window
  return {
    counterOf: scopeMatcher(budget.scope),
    window,
    plan(scope, nowMs, into) {
      into.push(new PlannedCounter(budgetKey(budget, window.slotAt(nowMs).periodId, scope), 'w', 'budget', budget.limitUsd, window, budget, scope))
    },
  }
}

/**
 * Keeps the router's budgets in its store. Before an attempt, `reserve` adds the attempt's worst
 * case to every budget that covers it, all or nothing; `settle` replaces it with the exact cost.
 * So budgets hold across processes sharing a store: at any moment a budget counts what was spent
 * plus the worst case of what is in flight, and refuses what would not fit.
 */
export class BudgetKeeper implements CompanionCounters {
  private readonly counters: Counters
  readonly sources: readonly CounterSource[]
  private readonly planner: Planner

  constructor(
    private readonly budgets: readonly Budget[],
    store: Store,
    private readonly warn: SpendWarning,
    private readonly now: () => number = Date.now,
  ) {
    this.counters = countersIn(store)
    this.sources = budgets.map(budgetSource)
    this.planner = new Planner(this.sources)
  }

  get size(): number {
    return this.budgets.length
  }

  /** The error for a reservation of `amountUsd` that did not fit one of the budgets' counters. */
  refuse(counter: PlannedCounter, outcome: { used: number; fitsAfter: number }, attributes: SpendAttributes, amountUsd: number, nowMs: number): BudgetExceededError {
    const budget = counter.owner as Budget
    return new BudgetExceededError(
      {
        budget: budget.name,
        scope: describeCounter(counter.scope),
        limitUsd: budget.limitUsd,
        spentUsd: outcome.used,
        requiredUsd: amountUsd,
        resetsAt: this.resetsAt(budget, outcome.fitsAfter, nowMs),
        provider: attributes.provider,
        model: attributes.model.slice(attributes.provider.length + 1),
      },
      nowMs,
    )
  }

  /** Reserves `amountUsd` in every budget covering these attributes; rejects with `BudgetExceededError` when one cannot fit it. */
  async reserve(attributes: SpendAttributes, amountUsd: number): Promise<BudgetReservation | undefined> {
    return this.reserveNow(attributes, amountUsd)
  }

  /** As `reserve`, at once (no promise; a refusal is thrown) when the counters are in this process. */
  reserveNow(attributes: SpendAttributes, amountUsd: number): BudgetReservation | undefined | Promise<BudgetReservation | undefined> {
    const nowMs = this.now()
    const plan = this.planner.planFor(attributes, nowMs)
    if (plan === undefined) return undefined
    // A memory store answers at once: no promise, and no callback built for one.
    let outcome: ReserveOutcome | Promise<ReserveOutcome>
    try {
      outcome = this.counters.reserve(plan.checksAt(nowMs, 0, amountUsd, undefined))
    } catch (error) {
      return this.unchecked(error)
    }
    const hold = new CounterHold(plan, nowMs, undefined, 0, amountUsd)
    if (outcome instanceof Promise) {
      return outcome.then(
        (answered) => this.reserved(answered, hold, attributes),
        (error: unknown) => this.unchecked(error),
      )
    }
    return this.reserved(outcome, hold, attributes)
  }

  private reserved(outcome: ReserveOutcome, hold: CounterHold, attributes: SpendAttributes): BudgetReservation {
    if (!outcome.ok) throw this.refuse(hold.plan.counters[outcome.index]!, outcome, attributes, hold.usd, hold.atMs)
    return hold
  }

  private unchecked(error: unknown): undefined {
    this.warn('budget_store_failed', `Budgets could not be checked (the ${this.counters.kind} store failed: ${messageOf(error)}); the attempt goes ahead unchecked.`)
    return undefined
  }

  /**
   * Replaces a reservation by the exact cost (`exactUsd`), or keeps the worst case when the cost
   * is unknown (`null`). A promise only while a store round trip is under way.
   */
  settle(reservation: BudgetReservation, exactUsd: number | null): void | Promise<void> {
    if (exactUsd === null || exactUsd === reservation.usd) return
    try {
      const settling = settleHeld(this.counters, reservation, undefined, exactUsd, this.now())
      if (settling instanceof Promise) return settling.then(() => undefined, (error: unknown) => this.unsettled(error))
    } catch (error) {
      this.unsettled(error)
    }
  }

  private unsettled(error: unknown): void {
    this.warn('budget_store_failed', `A budget reservation could not be settled (the ${this.counters.kind} store failed: ${messageOf(error)}); the budget keeps the worst case until its window ends.`)
  }

  /** Where each budget covering these attributes stands now. */
  async status(attributes: SpendAttributes): Promise<BudgetStatus[]> {
    const nowMs = this.now()
    const statuses: BudgetStatus[] = []
    for (let index = 0; index < this.budgets.length; index += 1) {
      const budget = this.budgets[index]!
      const counter = this.sources[index]!.counterOf(attributes)
      if (counter === undefined) continue
      const window = budget.window
      const slot = window.slotAt(nowMs)
      const key = budgetKey(budget, slot.periodId, counter)
      // A zero-amount reservation with a negative limit never fits, so it reports the counter without changing it.
      const outcome = await this.counters.reserve([{ key, kind: 'w', limit: -1, amount: 0, floor: slot.countsFrom(nowMs), slot: slot.name, ttlOrExpiry: slot.ttl(nowMs) }])
      const spentUsd = outcome.ok ? 0 : outcome.used
      statuses.push({
        budget: budget.name,
        scope: describeCounter(counter),
        limitUsd: budget.limitUsd,
        spentUsd,
        remainingUsd: Math.max(0, budget.limitUsd - spentUsd),
        resetsAt: window.kind === 'calendar' ? new Date(slot.endMs) : null,
      })
    }
    return statuses
  }

  private resetsAt(budget: Budget, fitsAfter: number, nowMs: number): Date | null {
    if (fitsAfter < 0) return null
    if (budget.window.kind === 'calendar') return new Date(budget.window.slotAt(nowMs).endMs)
    return new Date(budget.window.expiresAt(fitsAfter))
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
