import { AbortedError } from '../errors/errors.js'
import { LocalRateLimitError } from '../errors/local-rate-limit-error.js'
import type { Store } from '../spec/store.js'
import { countersIn, reserveThen, type Counters } from './counters.js'
import type { Limit } from './limit-config.js'
import type { ProviderQuota } from './provider-quota.js'
import type { CounterCheck, ReserveOutcome } from './reserve-script.js'
import type { CounterSettlement } from './settle-script.js'
import { describeCounter, scopeMatcher, type ScopeMatcher, type SpendAttributes } from './spend-scope.js'
import { parseWindow, type WindowPosition } from './spend-window.js'
import type { SpendWarning } from './spend-warning.js'

/** What an admitted attempt holds until it ends: its requests and estimated tokens, and its concurrency leases. */
export interface LimitPermit {
  readonly estimatedTokens: number
  readonly counters: readonly CounterCheck[]
  /** What each counter counts, in the order of `counters`. */
  readonly roles: readonly (CounterRole | 'companion')[]
}

type CounterRole = 'rpm' | 'tpm' | 'concurrency'

/**
 * Counters reserved together with the limits in one store round trip (a budget reservation):
 * all or nothing, and a refusal there is the companion's own error, never queued.
 */
export interface CompanionCounters {
  /** Appends the counters `amount` goes to for these attributes; returns how many it appended. */
  appendChecks(checks: CounterCheck[], attributes: SpendAttributes, amount: number, nowMs: number): number
  /** The error for a reservation that did not fit the `index`-th of those counters. */
  refuse(index: number, outcome: { used: number; fitsAfter: number }, attributes: SpendAttributes, amount: number, nowMs: number): Error
}

/** Where the abort signal of the call waiting for a limit is read, only once it has to wait. */
export interface AbortSource {
  readonly signal: AbortSignal
}

interface LimitPlan {
  readonly counters: CounterCheck[]
  readonly roles: (CounterRole | 'companion')[]
  readonly owners: ReadonlyArray<{ limit: Limit; role: CounterRole; counter: string }>
}

interface Refusal {
  limit?: Limit
  role: CounterRole | 'provider-quota'
  counter: string
  waitMs: number | undefined
  never: boolean
  used: number
}

/** One look at the limits: admitted (with a permit, or nothing to count), or refused for now. */
type Step = { readonly admitted: true; readonly permit: LimitPermit | undefined } | { readonly admitted: false; readonly refusal: Refusal; readonly nowMs: number }

const minute = parseWindow('1m', 'rate limits')

/** What a limit's counters are keyed by, prepared when the router is created. */
interface PreparedLimit {
  readonly counterOf: ScopeMatcher
  /** The limit's id as it goes into its counters' keys. */
  readonly base: string
  /** The keys of the counter last used: most attempts use the same one as the attempt before. */
  last?: { readonly counter: string; readonly rpm: string; readonly tpm: string; readonly concurrency: string }
}
/** A lease outlives a crashed process by this much at most; a live call longer than this stops counting. */
const leaseMs = 15 * 60_000
/** How often a queued attempt looks again when it cannot know when room appears (another process's call ending). */
const pollMs = 50

/**
 * Requests, tokens and concurrency per provider, model, key, user or tag, counted in the router's
 * store (one atomic step per attempt across every limit that applies). `acquire` waits or
 * refuses; `settle` puts real token usage in place of the estimate and frees the concurrency slot.
 */
export class RateLimiter {
  private readonly wakers = new Set<() => void>()
  /** Lease ids are this instance's id and a sequence, so processes sharing a store never collide. */
  private readonly instance = Math.random().toString(36).slice(2, 10)
  private leaseSequence = 0
  private readonly prepared = new Map<Limit, PreparedLimit>()
  /** The minute slot's start last counted in, as it goes into a counter: every attempt in that slot uses it. */
  private lastSlot = { startMs: Number.NaN, text: '' }

  constructor(
    private readonly limits: readonly Limit[],
    store: Store,
    private readonly warn: SpendWarning,
    private readonly now: () => number = Date.now,
    private readonly quota?: ProviderQuota,
  ) {
    this.counters = countersIn(store)
    for (const limit of limits) this.prepared.set(limit, { counterOf: scopeMatcher(limit.scope), base: `spend:limit:${encodeURIComponent(limit.id)}` })
  }

  private readonly counters: Counters

  get size(): number {
    return this.limits.length
  }

  /** The limits with a `key` in their scope: a key pool's member is counted against them once picked. */
  get keyLimits(): readonly Limit[] {
    return (this.keyScoped ??= this.limits.filter((limit) => limit.scope.key !== undefined))
  }

  private keyScoped: readonly Limit[] | undefined

  /** Admits one attempt of `estimatedTokens` (prompt estimate + output allowance), waiting or refusing per `onLimit`. */
  async acquire(attributes: SpendAttributes, estimatedTokens: number, signal?: AbortSignal, companion?: CompanionCounters, keyLimitsOnly = false, companionAmount = 0): Promise<LimitPermit | undefined> {
    if (signal?.aborted) throw new AbortedError('The call was aborted while it waited for a rate limit.', { cause: signal.reason })
    return this.acquireNow(attributes, estimatedTokens, signal && { signal }, companion, keyLimitsOnly, companionAmount)
  }

  /**
   * As `acquire`, at once (no promise) when the counters are in this process and the attempt
   * fits; the call's signal is read only when the attempt has to wait.
   */
  acquireNow(
    attributes: SpendAttributes,
    estimatedTokens: number,
    abort?: AbortSource,
    companion?: CompanionCounters,
    keyLimitsOnly = false,
    /** What the attempt adds to the companion's counters (a budget reservation's worst case, USD). */
    companionAmount = 0,
  ): LimitPermit | undefined | Promise<LimitPermit | undefined> {
    const startedAt = this.now()
    // A key pool's member, once picked: only the per-key limits are left to count (the others counted the attempt already).
    const limits = keyLimitsOnly ? this.keyLimits : this.limits
    const step = this.look(limits, attributes, estimatedTokens, companion, companionAmount, startedAt)
    if (!(step instanceof Promise) && step.admitted) return step.permit
    return this.queue(step, limits, attributes, estimatedTokens, abort, companion, companionAmount, startedAt)
  }

  private async queue(
    first: Step | Promise<Step>,
    limits: readonly Limit[],
    attributes: SpendAttributes,
    estimatedTokens: number,
    abort: AbortSource | undefined,
    companion: CompanionCounters | undefined,
    companionAmount: number,
    startedAt: number,
  ): Promise<LimitPermit | undefined> {
    let step = await first
    while (!step.admitted) {
      const { refusal, nowMs } = step
      const queueing = refusal.limit ? refusal.limit.onLimit === 'queue' : this.queuesAny(limits, attributes)
      const maxWaitMs = refusal.limit?.maxWaitMs ?? this.longestWait(limits, attributes)
      const remainingMs = startedAt + maxWaitMs - nowMs
      if (!queueing || refusal.never || remainingMs <= 0 || (refusal.waitMs !== undefined && refusal.waitMs > remainingMs)) {
        throw this.refusalError(refusal, attributes, estimatedTokens)
      }
      const signal = abort?.signal
      if (signal?.aborted) throw new AbortedError('The call was aborted while it waited for a rate limit.', { cause: signal.reason })
      await this.wait(Math.min(refusal.waitMs ?? pollMs, remainingMs, refusal.role === 'rpm' ? Infinity : pollMs * 4), signal)
      if (signal?.aborted) throw new AbortedError('The call was aborted while it waited for a rate limit.', { cause: signal.reason })
      step = await this.look(limits, attributes, estimatedTokens, companion, companionAmount, this.now())
    }
    return step.permit
  }

  /** Reserves the attempt in every limit (and the companion's counters) at once, or says what refused it. */
  private look(limits: readonly Limit[], attributes: SpendAttributes, estimatedTokens: number, companion: CompanionCounters | undefined, companionAmount: number, nowMs: number): Step | Promise<Step> {
    const blocked = this.quota?.blockedFor(attributes, nowMs)
    if (blocked) return { admitted: false, refusal: { role: 'provider-quota', counter: blocked.scope, waitMs: blocked.waitMs, never: false, used: 0 }, nowMs }
    const plan = this.plan(limits, attributes, estimatedTokens, nowMs)
    if (companion) for (let added = companion.appendChecks(plan.counters, attributes, companionAmount, nowMs); added > 0; added -= 1) plan.roles.push('companion')
    if (plan.counters.length === 0) return { admitted: true, permit: undefined }
    return reserveThen(
      this.counters,
      plan.counters,
      (outcome) => (outcome.ok ? { admitted: true, permit: { estimatedTokens, counters: plan.counters, roles: plan.roles } } : this.refused(outcome, plan, attributes, companion, companionAmount, nowMs)),
      (error) => this.unchecked(error),
    )
  }

  private unchecked(error: unknown): Step {
    this.warn('limit_store_failed', `Rate limits could not be checked (the ${this.counters.kind} store failed: ${error instanceof Error ? error.message : String(error)}); the attempt goes ahead.`)
    return { admitted: true, permit: undefined }
  }

  private refused(outcome: Extract<ReserveOutcome, { ok: false }>, plan: LimitPlan, attributes: SpendAttributes, companion: CompanionCounters | undefined, companionAmount: number, nowMs: number): Step {
    if (outcome.index >= plan.owners.length) throw companion!.refuse(outcome.index - plan.owners.length, outcome, attributes, companionAmount, nowMs)
    const owner = plan.owners[outcome.index]!
    const never = outcome.fitsAfter < 0
    const waitMs = never ? undefined : owner.role === 'concurrency' ? undefined : Math.max(1, minute.expiresAt(outcome.fitsAfter) - nowMs)
    return { admitted: false, refusal: { limit: owner.limit, role: owner.role, counter: owner.counter, waitMs, never, used: outcome.used }, nowMs }
  }

  /** Ends an admitted attempt: tokens corrected to `actualTokens` when known, concurrency freed. A promise only while a store round trip is under way. */
  settle(permit: LimitPermit, actualTokens: number | undefined, companionAmount?: number | null): void | Promise<void> {
    const nowMs = this.now()
    const settlements: CounterSettlement[] = []
    for (let index = 0; index < permit.counters.length; index += 1) {
      const counter = permit.counters[index]!
      const role = permit.roles[index]
      if (role === 'companion') {
        if (companionAmount !== undefined && companionAmount !== null && companionAmount !== counter.amount) {
          settlements.push({ key: counter.key, kind: 'w', slot: counter.slot, delta: companionAmount - counter.amount, floor: counter.floor, ttlMs: counter.ttlOrExpiry })
        }
      } else if (role === 'concurrency') settlements.push({ key: counter.key, kind: 'c', slot: counter.slot, delta: 0, floor: nowMs, ttlMs: 0 })
      else if (role === 'tpm' && actualTokens !== undefined && actualTokens !== counter.amount) {
        settlements.push({ key: counter.key, kind: 'w', slot: counter.slot, delta: actualTokens - counter.amount, floor: counter.floor, ttlMs: counter.ttlOrExpiry })
      }
    }
    if (settlements.length === 0) return this.wakeAll()
    let settling
    try {
      settling = this.counters.settle(settlements)
    } catch (error) {
      this.unsettled(error)
      return this.wakeAll()
    }
    if (!(settling instanceof Promise)) return this.wakeAll()
    return settling.then(
      () => this.wakeAll(),
      (error: unknown) => {
        this.unsettled(error)
        this.wakeAll()
      },
    )
  }

  private unsettled(error: unknown): void {
    this.warn('limit_store_failed', `A rate-limit permit could not be settled (the ${this.counters.kind} store failed: ${error instanceof Error ? error.message : String(error)}); its concurrency slot frees up when its lease expires.`)
  }

  /** Attempts queued in this instance look again: room may have appeared. */
  private wakeAll(): void {
    if (this.wakers.size === 0) return
    for (const wake of [...this.wakers]) wake()
  }

  private plan(limits: readonly Limit[], attributes: SpendAttributes, estimatedTokens: number, nowMs: number): LimitPlan {
    const counters: CounterCheck[] = []
    const roles: (CounterRole | 'companion')[] = []
    const owners: Array<{ limit: Limit; role: CounterRole; counter: string }> = []
    let position: WindowPosition | undefined
    let slot = ''
    for (const limit of limits) {
      const prepared = this.prepared.get(limit)!
      const counter = prepared.counterOf(attributes)
      if (counter === undefined) continue
      let keys = prepared.last
      if (keys?.counter !== counter) {
        const base = prepared.base
        keys = prepared.last = { counter, rpm: `${base}:rpm:${counter}`, tpm: `${base}:tpm:${counter}`, concurrency: `${base}:concurrency:${counter}` }
      }
      if ((limit.rpm !== undefined || limit.tpm !== undefined) && position === undefined) {
        position = minute.position(nowMs)
        if (this.lastSlot.startMs !== position.slotStartMs) this.lastSlot = { startMs: position.slotStartMs, text: String(position.slotStartMs) }
        slot = this.lastSlot.text
      }
      if (limit.rpm !== undefined) {
        counters.push({ key: keys.rpm, kind: 'w', limit: limit.rpm, amount: 1, floor: position!.countsFromMs, slot, ttlOrExpiry: position!.ttlMs })
        owners.push({ limit, role: 'rpm', counter })
        roles.push('rpm')
      }
      if (limit.tpm !== undefined) {
        counters.push({ key: keys.tpm, kind: 'w', limit: limit.tpm, amount: estimatedTokens, floor: position!.countsFromMs, slot, ttlOrExpiry: position!.ttlMs })
        owners.push({ limit, role: 'tpm', counter })
        roles.push('tpm')
      }
      if (limit.concurrency !== undefined) {
        this.leaseSequence += 1
        counters.push({ key: keys.concurrency, kind: 'c', limit: limit.concurrency, amount: 1, floor: nowMs, slot: `${this.instance}-${this.leaseSequence}`, ttlOrExpiry: nowMs + leaseMs })
        owners.push({ limit, role: 'concurrency', counter })
        roles.push('concurrency')
      }
    }
    return { counters, roles, owners }
  }

  private queuesAny(limits: readonly Limit[], attributes: SpendAttributes): boolean {
    return limits.some((limit) => limit.onLimit === 'queue' && this.prepared.get(limit)!.counterOf(attributes) !== undefined)
  }

  private longestWait(limits: readonly Limit[], attributes: SpendAttributes): number {
    let longest = 0
    for (const limit of limits) {
      if (limit.onLimit === 'queue' && this.prepared.get(limit)!.counterOf(attributes) !== undefined) longest = Math.max(longest, limit.maxWaitMs)
    }
    return longest
  }

  private refusalError(
    refusal: Refusal,
    attributes: SpendAttributes,
    estimatedTokens: number,
  ): LocalRateLimitError {
    const scope = refusal.limit ? describeCounter(refusal.counter) : refusal.counter
    const name = refusal.limit?.id ?? 'provider rate-limit headers'
    const reason =
      refusal.role === 'provider-quota'
        ? `the provider's rate-limit headers say its quota is used up`
        : refusal.never
          ? `this attempt alone needs ~${estimatedTokens} tokens, more than the tpm limit of ${refusal.limit!.tpm}; lower max_tokens or raise the limit`
          : refusal.role === 'concurrency'
            ? `${refusal.used} of ${refusal.limit!.concurrency} concurrent attempts are in flight`
            : refusal.role === 'rpm'
              ? `${refusal.used} of ${refusal.limit!.rpm} requests in the last minute`
              : `${Math.round(refusal.used)} of ${refusal.limit!.tpm} tokens in the last minute (this attempt needs ~${estimatedTokens})`
    const provider = attributes.provider
    return new LocalRateLimitError(`Rate limit "${name}" (${scope}) is full for ${attributes.model}: ${reason}.`, {
      limit: name,
      kind: refusal.role,
      scope,
      provider,
      model: attributes.model.slice(provider.length + 1),
      retryable: !refusal.never,
      retryAfterMs: refusal.waitMs,
    })
  }

  private wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const cleanUp = () => {
        clearTimeout(timer)
        this.wakers.delete(done)
        signal?.removeEventListener('abort', onAbort)
      }
      const done = () => {
        cleanUp()
        resolve()
      }
      const onAbort = () => {
        cleanUp()
        reject(new AbortedError('The call was aborted while it waited for a rate limit.', { cause: signal?.reason }))
      }
      const timer = setTimeout(done, ms)
      this.wakers.add(done)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }
}
