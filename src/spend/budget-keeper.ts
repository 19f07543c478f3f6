import { BudgetExceededError } from '../errors/budget-exceeded-error.js'
import type { Budget } from './budget-config.js'
import type { Store } from '../spec/store.js'
import { countersIn, settleHeld, type Counters, type HeldCounter } from './counters.js'
import type { CounterHandle, ReserveOutcome } from './reserve-script.js'
import { describeCounter, scopeCounter, scopeMatcher, type ScopeMatcher, type SpendAttributes } from './spend-scope.js'
import type { SpendWarning } from './spend-warning.js'
import type { CompanionCounters } from './rate-limiter.js'

/** What one attempt holds in its budgets until it is settled. */
export interface BudgetReservation {
  readonly amountUsd: number
  readonly counters: readonly HeldCounter[]
}

export interface BudgetPlan {
  readonly matched: ReadonlyArray<{ budget: Budget; counter: string }>
  readonly counters: readonly HeldCounter[]
}

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

/** What a budget's counters are keyed by, prepared when the router is created. */
interface PreparedBudget {
  readonly counterOf: ScopeMatcher
  /** The budget's name as it goes into its counters' keys. */
  readonly keyName: string
  /** The counter, period and slot last used, with its key: most attempts use the same as the attempt before. */
  last?: { readonly counter: string; readonly periodId: string; readonly slotStartMs: number; readonly key: string; readonly slot: string; readonly handle: CounterHandle }
}

/**
 * Keeps the router's budgets in its store. Before an attempt, `reserve` adds the attempt's worst
 * case to every budget that covers it, all or nothing; `settle` replaces it with the exact cost.
 * So budgets hold across processes sharing a store: at any moment a budget counts what was spent
 * plus the worst case of what is in flight, and refuses what would not fit.
 */
export class BudgetKeeper implements CompanionCounters {
  private readonly counters: Counters
  private readonly prepared: readonly PreparedBudget[]

  constructor(
    private readonly budgets: readonly Budget[],
    store: Store,
    private readonly warn: SpendWarning,
    private readonly now: () => number = Date.now,
  ) {
    this.counters = countersIn(store)
    this.prepared = budgets.map((budget) => ({ counterOf: scopeMatcher(budget.scope), keyName: encodeURIComponent(budget.name) }))
  }

  get size(): number {
    return this.budgets.length
  }

  /** The counters a reservation of `amountUsd` goes to, with the budget each belongs to (for a refusal). */
  plan(attributes: SpendAttributes, amountUsd: number, nowMs: number): BudgetPlan {
    const matched: Array<{ budget: Budget; counter: string }> = []
    const counters: HeldCounter[] = []
    this.appendChecks(counters, attributes, amountUsd, nowMs, matched)
    return { matched, counters }
  }

  /**
   * The counters of `plan`, appended to `checks` (a rate limiter's, reserved with them in one
   * step): how many. The budgets each belongs to are looked up again only for a refusal.
   */
  appendChecks(checks: HeldCounter[], attributes: SpendAttributes, amountUsd: number, nowMs: number, matched?: Array<{ budget: Budget; counter: string }>): number {
    const before = checks.length
    for (let index = 0; index < this.budgets.length; index += 1) {
      const budget = this.budgets[index]!
      const prepared = this.prepared[index]!
      const counter = prepared.counterOf(attributes)
      if (counter === undefined) continue
      const position = budget.window.position(nowMs)
      let last = prepared.last
      if (last?.counter !== counter || last.periodId !== position.periodId || last.slotStartMs !== position.slotStartMs) {
        last = prepared.last = {
          counter,
          periodId: position.periodId,
          slotStartMs: position.slotStartMs,
          key: `spend:budget:${prepared.keyName}:${position.periodId}:${counter}`,
          slot: String(position.slotStartMs),
          handle: {},
        }
      }
      matched?.push({ budget, counter })
      checks.push({ key: last.key, kind: 'w', limit: budget.limitUsd, amount: amountUsd, floor: position.countsFromMs, slot: last.slot, ttlOrExpiry: position.ttlMs, role: 'budget', handle: last.handle })
    }
    return checks.length - before
  }

  /** The error for a reservation appended by `appendChecks` that did not fit its `index`-th counter. */
  refuse(index: number, outcome: { used: number; fitsAfter: number }, attributes: SpendAttributes, amountUsd: number, nowMs: number): BudgetExceededError {
    return this.refusal(this.plan(attributes, amountUsd, nowMs), index, outcome, attributes, amountUsd, nowMs)
  }

  /** The error for a reservation that did not fit the plan's `index`-th counter. */
  refusal(plan: BudgetPlan, index: number, outcome: { used: number; fitsAfter: number }, attributes: SpendAttributes, amountUsd: number, nowMs: number): BudgetExceededError {
    const { budget, counter } = plan.matched[index]!
    return new BudgetExceededError(
      {
        budget: budget.name,
        scope: describeCounter(counter),
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
    const plan = this.plan(attributes, amountUsd, nowMs)
    if (plan.counters.length === 0) return undefined
    // A memory store answers at once: no promise, and no callback built for one.
    let outcome: ReserveOutcome | Promise<ReserveOutcome>
    try {
      outcome = this.counters.reserve(plan.counters)
    } catch (error) {
      return this.unchecked(error)
    }
    if (outcome instanceof Promise) {
      return outcome.then(
        (answered) => this.reserved(answered, plan, attributes, amountUsd, nowMs),
        (error: unknown) => this.unchecked(error),
      )
    }
    return this.reserved(outcome, plan, attributes, amountUsd, nowMs)
  }

  private reserved(outcome: ReserveOutcome, plan: BudgetPlan, attributes: SpendAttributes, amountUsd: number, nowMs: number): BudgetReservation {
    if (!outcome.ok) throw this.refusal(plan, outcome.index, outcome, attributes, amountUsd, nowMs)
    return { amountUsd, counters: plan.counters }
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
    if (exactUsd === null || exactUsd === reservation.amountUsd) return
    try {
      const settling = settleHeld(this.counters, reservation.counters, undefined, exactUsd, this.now())
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
    for (const budget of this.budgets) {
      const counter = scopeCounter(budget.scope, attributes)
      if (counter === undefined) continue
      const position = budget.window.position(nowMs)
      const key = `spend:budget:${encodeURIComponent(budget.name)}:${position.periodId}:${counter}`
      // A zero-amount reservation with a negative limit never fits, so it reports the counter without changing it.
      const outcome = await this.counters.reserve([{ key, kind: 'w', limit: -1, amount: 0, floor: position.countsFromMs, slot: String(position.slotStartMs), ttlOrExpiry: position.ttlMs }])
      const spentUsd = outcome.ok ? 0 : outcome.used
      statuses.push({
        budget: budget.name,
        scope: describeCounter(counter),
        limitUsd: budget.limitUsd,
        spentUsd,
        remainingUsd: Math.max(0, budget.limitUsd - spentUsd),
        resetsAt: budget.window.kind === 'calendar' ? new Date(budget.window.expiresAt(position.slotStartMs)) : null,
      })
    }
    return statuses
  }

  private resetsAt(budget: Budget, fitsAfter: number, nowMs: number): Date | null {
    if (fitsAfter < 0) return null
    if (budget.window.kind === 'calendar') return new Date(budget.window.expiresAt(budget.window.position(nowMs).slotStartMs))
    return new Date(budget.window.expiresAt(fitsAfter))
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
