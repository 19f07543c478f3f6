// Budgets, rate limits, per-call cost caps and key-pool gates: the part of spend control that only
// a router with budgets or limits, or a call with `maxCostUsd`, ever runs. It is imported the first
// time such an attempt starts (spend-control.ts), so importing the package does not compile it.
import { CostCapExceededError } from '../errors/cost-cap-exceeded-error.js'
import type { AttemptInfo, AttemptTicket, CallInfo } from '../router/call-hooks.js'
import type { ModelPrice } from '../spec/cost.js'
import type { KeyGate } from '../spec/provider-adapter.js'
import type { EmbedModelRequest, ModelRequest } from '../spec/request.js'
import type { Attempt } from '../spec/response.js'
import type { StreamEvent } from '../spec/stream-event.js'
import type { Candidate } from '../spec/strategy.js'
import type { Usage } from '../spec/usage.js'
import { estimatePromptTokens } from '../strategies/estimate-tokens.js'
import { MemoryStore } from '../stores/memory-store.js'
import { BudgetKeeper, type BudgetReservation, type BudgetStatus } from './budget-keeper.js'
import { attemptPricing, fittingOutputTokens, runningCost, type AttemptPricing } from './cost-cap.js'
import type { ProviderQuota } from './provider-quota.js'
import { RateLimiter, type AbortSource, type LimitPermit } from './rate-limiter.js'
import type { SpendControlSetup } from './spend-control-setup.js'
import type { SpendLedger } from './spend-ledger.js'
import type { SpendAttributes } from './spend-scope.js'
import { outputAllowance, worstCaseEmbedCost, WorstCasePricer } from './worst-case-cost.js'

function totalTokens(usage: Usage | undefined): number | undefined {
  return usage && usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens + usage.outputTokens
}

function streamedText(event: StreamEvent): number {
  if (event.type === 'text-delta' || event.type === 'reasoning-delta' || event.type === 'refusal-delta') return event.text.length
  if (event.type === 'tool-call-delta') return event.argumentsDelta.length
  if (event.type === 'tool-call-start') return event.name.length
  return 0
}

/**
 * Before each guarded attempt it waits for or refuses a rate limit, reserves the attempt's worst
 * case in every budget that covers it and fits `max_tokens` under the call's cap; while a stream
 * runs it follows its cost; when the attempt ends it settles everything to the exact cost and
 * usage, and records the cost in the ledger.
 */
export class SpendGuard {
  private readonly keeper: BudgetKeeper
  private readonly limiter: RateLimiter
  /**
   * What each capped call has spent on attempts that ended, so a fallback's next attempt fits what
   * is left. Keyed by the call's own `CallInfo`, so it goes with the call: no observer has to clean up.
   */
  private readonly cappedCallSpend = new WeakMap<CallInfo, number>()
  private readonly unpricedWarned = new Set<string>()
  private readonly worstCase = new WorstCasePricer()
  /** The last model priced, with its price (a price that changes with the time of day is looked up each time). */
  private lastPriced: { readonly provider: string; readonly model: string; readonly price: ModelPrice } | undefined

  /**
   * Attempts that ended whose counters are still to be settled, in a memory store: settled after
   * the caller has its answer (see `settleCounters`), and before anything reads the counters again.
   */
  private readonly unsettled: GuardTicket[] = []
  /** Counters in this process (the memory store): settling them is the router's own work, done off the caller's path. */
  private readonly settlesInProcess: boolean
  private settlingScheduled = false
  // The configuration each attempt asks about, read once here rather than through the setup on every attempt.
  private readonly defaultOutputTokens: number
  private readonly hasBudgets: boolean
  private readonly hasLimits: boolean
  private readonly hasKeyLimits: boolean
  private readonly settleLater = () => {
    this.settlingScheduled = false
    this.settleEnded()
  }

  constructor(
    private readonly setup: SpendControlSetup,
    quota: ProviderQuota,
    private readonly ledger: SpendLedger,
  ) {
    const now = setup.now ?? Date.now
    this.keeper = new BudgetKeeper(setup.budgets, setup.store, setup.warn, now)
    this.limiter = new RateLimiter(setup.limits, setup.store, setup.warn, now, quota)
    this.settlesInProcess = setup.store instanceof MemoryStore
    this.defaultOutputTokens = setup.options.defaultOutputTokens
    this.hasBudgets = setup.budgets.length > 0
    this.hasLimits = setup.limits.length > 0
    this.hasKeyLimits = this.limiter.keyLimits.length > 0
  }

  /** Where every budget covering these attributes stands. */
  budgetStatus(attributes: SpendAttributes): Promise<BudgetStatus[]> {
    this.settleEnded()
    return this.keeper.status(attributes)
  }

  /**
   * Settles the counters of every attempt that ended and is not settled yet: before any step that
   * reads the counters (a reservation, a status), when the router closes, and otherwise as soon as
   * the event loop is free.
   */
  settleEnded(): void {
    const unsettled = this.unsettled
    if (unsettled.length === 0) return
    for (let index = 0; index < unsettled.length; index += 1) this.settleCounters(unsettled[index]!)
    unsettled.length = 0
  }

  guard(attempt: AttemptInfo, attributes: SpendAttributes): AttemptTicket | Promise<AttemptTicket> {
    // What ended before is settled before this attempt is counted.
    if (this.unsettled.length > 0) this.settleEnded()
    const { candidate } = attempt
    // Most attempts ask the model the attempt before asked: its price is known, nothing is left to load.
    const last = this.lastPriced
    if (last !== undefined && last.provider === candidate.provider && last.model === candidate.model) return this.guardPriced(attempt, attributes, last.price)
    // A budget or cost cap is checked against the price before the provider is called.
    const catalogLoading = this.setup.prices.loadCatalogFor(candidate)
    if (catalogLoading) return catalogLoading.then(() => this.guardPriced(attempt, attributes, this.priceOf(candidate)))
    return this.guardPriced(attempt, attributes, this.priceOf(candidate))
  }

  /** The candidate's price, kept for the next attempt when it does not change with the time of day. */
  private priceOf(candidate: Candidate): ModelPrice | undefined {
    const resolved = this.setup.prices.resolve(candidate.provider, candidate.model)
    if (resolved && !resolved.timeDependent) this.lastPriced = { provider: candidate.provider, model: candidate.model, price: resolved.price }
    return resolved?.price
  }

  /**
   * At once (no promise) when the counters are in this process and nothing has to wait. Most
   * attempts ask for a whole chat answer without a cap: its worst case is all they need, worked out
   * here; streams, caps and embeddings are costed apart (`guardCosted`).
   */
  private guardPriced(attempt: AttemptInfo, attributes: SpendAttributes, price: ModelPrice | undefined): AttemptTicket | Promise<AttemptTicket> {
    const { call } = attempt
    if (call.operation !== 'chat' || call.maxCostUsd !== undefined || !price) return this.guardCosted(attempt, attributes, price)
    const chat = attempt.request as ModelRequest
    const allowance = outputAllowance(chat, this.defaultOutputTokens)
    const prompt = estimatePromptTokens(chat)
    return this.admit(attributes, call, undefined, undefined, prompt.tokens + allowance, this.worstCase.chatUsd(price, prompt.tokens, prompt.cachedTokens, allowance))
  }

  /** A stream, an attempt under a cost cap, an embedding or an unpriced model: its worst case, what it is reckoned to cost as it runs, and a `max_tokens` that fits its cap. */
  private guardCosted(attempt: AttemptInfo, attributes: SpendAttributes, price: ModelPrice | undefined): AttemptTicket | Promise<AttemptTicket> {
    const { call, candidate } = attempt
    if (call.operation === 'embed') {
      const worst = worstCaseEmbedCost((attempt.request as EmbedModelRequest).input, price)
      return this.admit(attributes, call, undefined, undefined, worst.promptTokens, worst.costUsd)
    }
    const chat = attempt.request as ModelRequest
    let replaced: ModelRequest | undefined
    let allowance = outputAllowance(chat, this.defaultOutputTokens)
    // A stream's running cost and a cap are reckoned from the prompt's price and an output token's, worked out apart.
    const pricing = price && (call.operation === 'stream' || call.maxCostUsd !== undefined) ? attemptPricing(chat, price) : undefined
    if (call.maxCostUsd !== undefined) {
      const spent = this.cappedCallSpend.get(call) ?? 0
      const remainingUsd = call.maxCostUsd - spent
      if (!price || !pricing) {
        throw new CostCapExceededError(`${candidate.id} has no known price, so it cannot be shown to fit maxCostUsd $${call.maxCostUsd}; add it to createRouter({ prices }).`, {
          maxCostUsd: call.maxCostUsd,
          costUsd: spent,
          provider: candidate.provider,
          model: candidate.model,
        })
      }
      const fitting = fittingOutputTokens(pricing, remainingUsd)
      if (fitting < 1) {
        throw new CostCapExceededError(
          `${candidate.id} cannot fit maxCostUsd $${call.maxCostUsd}: its prompt alone is estimated at $${round(pricing.promptCostUsd)} and $${round(remainingUsd)} is left.`,
          { maxCostUsd: call.maxCostUsd, costUsd: spent, provider: candidate.provider, model: candidate.model },
        )
      }
      const own = chat.max_completion_tokens ?? chat.max_tokens
      if (pricing.outputTokenUsd > 0 && fitting < (own ?? Infinity)) {
        allowance = fitting
        // The field the caller used, so the adapter maps it as it would have.
        replaced = chat.max_completion_tokens !== undefined ? { ...chat, max_completion_tokens: allowance } : { ...chat, max_tokens: allowance }
      }
    }
    const costing = pricing && price ? { pricing, price } : undefined
    const worstCostUsd = pricing ? pricing.promptCostUsd + allowance * pricing.outputTokenUsd : null
    return this.admit(attributes, call, replaced, costing, (pricing?.promptTokens ?? 0) + allowance, worstCostUsd)
  }

  /**
   * Waits for or refuses the rate limits, and reserves `worstCostUsd` in the budgets (all at once
   * when both are configured); the ticket holds what the attempt took until it ends.
   */
  private admit(
    attributes: SpendAttributes,
    call: CallInfo,
    replaced: ModelRequest | undefined,
    costing: Costing | undefined,
    worstTokens: number,
    worstCostUsd: number | null,
  ): AttemptTicket | Promise<AttemptTicket> {
    if (this.hasBudgets && worstCostUsd === null) this.warnUnpriced(attributes.model, attributes.provider, attributes.model.slice(attributes.provider.length + 1))
    // The call's signal is read only if the attempt has to wait: most calls carry none, and a stand-in costs an AbortController.
    const keyGate = this.hasKeyLimits ? this.keyGate(attributes, worstTokens, call) : undefined
    const budgeted = this.hasBudgets && worstCostUsd !== null
    if (budgeted && this.hasLimits) {
      // Limits and budgets in one atomic step, all or nothing; the budgets ride on the permit.
      const amountUsd = worstCostUsd!
      const permitted = this.limiter.acquireNow(attributes, worstTokens, call, this.keeper, false, amountUsd)
      if (permitted instanceof Promise) return permitted.then((permit) => this.ticket(attributes, call, replaced, permit, undefined, costing, permit ? amountUsd : undefined, keyGate))
      return this.ticket(attributes, call, replaced, permitted, undefined, costing, permitted ? amountUsd : undefined, keyGate)
    }
    const permitted = this.hasLimits ? this.limiter.acquireNow(attributes, worstTokens, call) : undefined
    const reserveFor = (permit: LimitPermit | undefined): AttemptTicket | Promise<AttemptTicket> => {
      if (!budgeted) return this.ticket(attributes, call, replaced, permit, undefined, costing, undefined, keyGate)
      const released = (error: unknown) => {
        if (permit) this.track(this.limiter.settle(permit, 0))
        throw error
      }
      let reserving
      try {
        reserving = this.keeper.reserveNow(attributes, worstCostUsd!)
      } catch (error) {
        return released(error)
      }
      const ticketFor = (reservation: BudgetReservation | undefined) => this.ticket(attributes, call, replaced, permit, reservation, costing, reservation ? worstCostUsd! : undefined, keyGate)
      return reserving instanceof Promise ? reserving.then(ticketFor, released) : ticketFor(reserving)
    }
    return permitted instanceof Promise ? permitted.then(reserveFor) : reserveFor(permitted)
  }

  /** Book-keeping that went to a store round trip is tracked, so `router.close()` waits for it. */
  private track(work: void | Promise<unknown>): void {
    if (work) this.setup.track(work)
  }

  private ticket(
    attributes: SpendAttributes,
    call: CallInfo,
    request: ModelRequest | undefined,
    permit: LimitPermit | undefined,
    reservation: BudgetReservation | undefined,
    costing: Costing | undefined,
    reservedUsd: number | undefined,
    keyGate: KeyGate | undefined,
  ): AttemptTicket {
    if (call.operation === 'stream') return new StreamGuardTicket(this, attributes, call, request, keyGate, permit, reservation, costing, reservedUsd)
    return new GuardTicket(this, attributes, call, request, keyGate, permit, reservation, costing, reservedUsd)
  }

  /** @internal What `GuardTicket.settle` does: everything the attempt held settled to its exact cost and usage, and the cost to the ledger. */
  settleTicket(ticket: GuardTicket, record: Attempt): void {
    const { attributes, call, costing, reservedUsd } = ticket
    const exact = record.cost?.total
    // No usage reported (a stream stopped or broken mid-way): what it streamed, at the estimate.
    const estimated = exact === undefined && ticket.streamedCharacters > 0 && costing ? runningCost(costing.pricing, ticket.streamedCharacters, undefined, costing.price) : undefined
    const costUsd = exact !== undefined ? exact : estimated !== undefined ? estimated : record.outcome === 'aborted' ? null : 0
    if (record.cost !== undefined || record.outcome === 'success' || estimated !== undefined) {
      this.ledger.record(attributes, record.cost !== undefined ? record.cost.total : (estimated ?? null))
    }
    if (call.maxCostUsd !== undefined && costUsd !== null) this.cappedCallSpend.set(call, (this.cappedCallSpend.get(call) ?? 0) + costUsd)
    // The provider billed more than the worst case reserved (a prompt the estimate undercounted, a
    // host that ignored max_tokens): the budgets count the exact cost all the same, so they may end
    // above their limit by this excess, and later calls are refused until the window frees room.
    if (reservedUsd !== undefined && costUsd !== null && costUsd > reservedUsd + 1e-12) {
      this.setup.warn(
        'budget_estimate_exceeded',
        `${attributes.model} cost $${round(costUsd)}, more than the $${round(reservedUsd)} reserved for it; its budgets count the exact cost, so they may end up to $${round(costUsd - reservedUsd)} over their limit.`,
        { provider: attributes.provider, model: attributes.model.slice(attributes.provider.length + 1) },
      )
    }
    if (!ticket.reservation && !ticket.permit) return
    ticket.settledCostUsd = costUsd
    ticket.settledTokens = totalTokens(record.usage) ?? (record.outcome === 'error' && !record.cost ? 0 : undefined)
    if (!this.settlesInProcess) return this.settleCounters(ticket)
    // In a memory store the caller need not wait for it: the next step that reads these counters,
    // or the next turn of the event loop, settles it (a shared store settles in a round trip after
    // the answer just the same).
    this.unsettled.push(ticket)
    if (!this.settlingScheduled) {
      this.settlingScheduled = true
      later(this.settleLater)
    }
  }

  /** Puts the attempt's exact cost and usage in place of what was reserved for it, and frees its concurrency slots. */
  private settleCounters(ticket: GuardTicket): void {
    if (ticket.reservation) this.track(this.keeper.settle(ticket.reservation, ticket.settledCostUsd))
    if (ticket.permit) this.track(this.limiter.settle(ticket.permit, ticket.settledTokens, ticket.settledCostUsd))
  }

  /** @internal What `StreamGuardTicket.streamProgress` does: follows a stream's cost, and stops it at the call's cap. */
  followStream(ticket: GuardTicket, event: StreamEvent, usageSoFar: Usage | undefined): void {
    ticket.streamedCharacters += streamedText(event)
    if (usageSoFar) ticket.reportedUsage = usageSoFar
    const { call, costing, attributes } = ticket
    if (call.maxCostUsd === undefined || !costing) return
    const spent = this.cappedCallSpend.get(call) ?? 0
    const costUsd = spent + runningCost(costing.pricing, ticket.streamedCharacters, ticket.reportedUsage, costing.price)
    if (costUsd > call.maxCostUsd + 1e-12) {
      throw new CostCapExceededError(`The stream was stopped at maxCostUsd $${call.maxCostUsd}: it had cost ~$${round(costUsd)}. The partial output is on error.partialText.`, {
        maxCostUsd: call.maxCostUsd,
        costUsd,
        provider: attributes.provider,
        model: attributes.model.slice(attributes.provider.length + 1),
      })
    }
  }

  /**
   * For an attempt on a key pool, when limits are scoped by key: the gate the pool asks once it has
   * picked a member, counting the attempt against that key's limits only.
   */
  private keyGate(attributes: SpendAttributes, estimatedTokens: number, abort: AbortSource): KeyGate | undefined {
    if (attributes.key !== undefined) return undefined
    return {
      admit: async (key: string) => {
        this.settleEnded()
        const permit = await this.limiter.acquireNow({ ...attributes, key }, estimatedTokens, abort, undefined, true)
        let released = false
        return (usedTokens?: number) => {
          if (released || !permit) return
          released = true
          this.track(this.limiter.settle(permit, usedTokens))
        }
      },
    }
  }

  private warnUnpriced(id: string, provider: string, model: string): void {
    if (this.unpricedWarned.has(id) || this.unpricedWarned.size > 1_000) return
    this.unpricedWarned.add(id)
    this.setup.warn('budget_unpriced', `${id} has no known price, so budgets cannot count it; its calls go ahead uncounted. Add it to createRouter({ prices }).`, { provider, model })
  }
}

/** What a capped or streamed attempt's cost is reckoned from. */
interface Costing {
  readonly pricing: AttemptPricing
  readonly price: ModelPrice
}

/**
 * What an attempt the guard let through holds until it ends, as one object: its rate-limit permit,
 * its budget reservation, what it is reckoned to cost. Settling it settles all of them at once.
 */
class GuardTicket implements AttemptTicket {
  streamedCharacters = 0
  reportedUsage: Usage | undefined = undefined
  /** Once the attempt ended: its exact cost (`null` unknown) and tokens (`undefined` unknown), for settling the counters. */
  settledCostUsd: number | null = null
  settledTokens: number | undefined = undefined

  constructor(
    protected readonly guard: SpendGuard,
    readonly attributes: SpendAttributes,
    readonly call: CallInfo,
    /** A request with a `max_tokens` that fits the call's cap, when one was needed. */
    readonly request: ModelRequest | undefined,
    readonly keyGate: KeyGate | undefined,
    readonly permit: LimitPermit | undefined,
    readonly reservation: BudgetReservation | undefined,
    readonly costing: Costing | undefined,
    /** The worst case reserved in the budgets, USD, when any was. */
    readonly reservedUsd: number | undefined,
  ) {}

  settle(record: Attempt): void {
    this.guard.settleTicket(this, record)
  }
}

/** A streamed attempt's ticket also follows what the stream costs so far. */
class StreamGuardTicket extends GuardTicket {
  streamProgress(event: StreamEvent, usageSoFar: Usage | undefined): void {
    this.guard.followStream(this, event, usageSoFar)
  }
}

/** Runs `work` on a later turn of the event loop: `setImmediate` where there is one (Node, Bun, Deno), it costs less than a timer. */
const later: (work: () => void) => void = typeof setImmediate === 'function' ? (work) => void setImmediate(work) : (work) => void setTimeout(work, 0)

function round(usd: number): number {
  return Math.round(usd * 1e6) / 1e6
}
