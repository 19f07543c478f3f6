import { AbortedError } from '../errors/errors.js'
import { LocalRateLimitError } from '../errors/local-rate-limit-error.js'
import type { Store } from '../spec/store.js'
import { countersIn, settleHeld, type Counters, type HeldCounter } from './counters.js'
import { LiveCounters } from './live-counters.js'
import type { Limit } from './limit-config.js'
import type { ProviderQuota } from './provider-quota.js'
import type { CounterHandle, ReserveOutcome } from './reserve-script.js'
import { describeCounter, scopeMatcher, type ScopeMatcher, type SpendAttributes } from './spend-scope.js'
import { parseWindow, type WindowPosition } from './spend-window.js'
import type { SpendWarning } from './spend-warning.js'

/** What an admitted attempt holds until it ends: its requests and estimated tokens, its concurrency leases (and a companion's counters). */
export interface LimitPermit {
  readonly estimatedTokens: number
  readonly counters: readonly HeldCounter[]
}

type CounterRole = 'rpm' | 'tpm' | 'concurrency'

/**
 * Counters reserved together with the limits in one store round trip (a budget reservation):
 * all or nothing, and a refusal there is the companion's own error, never queued.
 */
export interface CompanionCounters {
  /** Appends the counters `amount` goes to for these attributes (role `budget`); returns how many it appended. */
  appendChecks(checks: HeldCounter[], attributes: SpendAttributes, amount: number, nowMs: number): number
  /** The error for a reservation that did not fit the `index`-th of those counters. */
  refuse(index: number, outcome: { used: number; fitsAfter: number }, attributes: SpendAttributes, amount: number, nowMs: number): Error
}

/** Where the abort signal of the call waiting for a limit is read, only once it has to wait. */
export interface AbortSource {
  readonly signal: AbortSignal
}

/** Which limit a planned counter belongs to: looked up only to explain a refusal. */
interface CounterOwner {
  readonly limit: Limit
  readonly role: CounterRole
  readonly counter: string
}

interface Refusal {
  limit?: Limit
  role: CounterRole | 'provider-quota'
  counter: string
  waitMs: number | undefined
  never: boolean
  used: number
}

/** One look at the limits that did not admit the attempt: what refused it, and when. */
class Refused {
  constructor(
    readonly refusal: Refusal,
    readonly nowMs: number,
  ) {}
}

/** One look at the limits: admitted (with a permit, or `undefined` when nothing counts it), or refused for now. */
type Step = LimitPermit | undefined | Refused

const minute = parseWindow('1m', 'rate limits')

/** What a limit's counters are keyed by, prepared when the router is created. */
interface PreparedLimit {
  readonly counterOf: ScopeMatcher
  /** The limit's id as it goes into its counters' keys. */
  readonly base: string
  /** The keys of the counter last used, with their handles: most attempts use the same one as the attempt before. */
  last?: {
    readonly counter: string
    readonly rpm: string
    readonly tpm: string
    readonly concurrency: string
    readonly rpmHandle: CounterHandle
    readonly tpmHandle: CounterHandle
    readonly concurrencyHandle: CounterHandle
  }
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
    if (!(step instanceof Promise) && !(step instanceof Refused)) return step
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
    while (step instanceof Refused) {
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
    return step
  }

  /** Reserves the attempt in every limit (and the companion's counters) at once, or says what refused it. */
  private look(limits: readonly Limit[], attributes: SpendAttributes, estimatedTokens: number, companion: CompanionCounters | undefined, companionAmount: number, nowMs: number): Step | Promise<Step> {
    const blocked = this.quota?.blockedFor(attributes, nowMs)
    if (blocked) return new Refused({ role: 'provider-quota', counter: blocked.scope, waitMs: blocked.waitMs, never: false, used: 0 }, nowMs)
    const counters = this.plan(limits, attributes, estimatedTokens, nowMs)
    if (companion) companion.appendChecks(counters, attributes, companionAmount, nowMs)
    if (counters.length === 0) return undefined
    // A memory store answers at once: no promise, and no callback built for one.
    let outcome: ReserveOutcome | Promise<ReserveOutcome>
    try {
      outcome = this.counters.reserve(counters)
    } catch (error) {
      return this.unchecked(error)
    }
    if (outcome instanceof Promise) {
      return outcome.then(
        (answered) => this.stepOf(answered, counters, limits, attributes, estimatedTokens, companion, companionAmount, nowMs),
        (error: unknown) => this.unchecked(error),
      )
    }
    return this.stepOf(outcome, counters, limits, attributes, estimatedTokens, companion, companionAmount, nowMs)
  }

  private stepOf(
    outcome: ReserveOutcome,
    counters: readonly HeldCounter[],
    limits: readonly Limit[],
    attributes: SpendAttributes,
    estimatedTokens: number,
    companion: CompanionCounters | undefined,
    companionAmount: number,
    nowMs: number,
  ): Step {
    if (outcome.ok) return { estimatedTokens, counters }
    // Which limit refused: the limits' counters come first, in the order they were planned.
    const owners: CounterOwner[] = []
    this.plan(limits, attributes, estimatedTokens, nowMs, owners)
    if (outcome.index >= owners.length) throw companion!.refuse(outcome.index - owners.length, outcome, attributes, companionAmount, nowMs)
    const owner = owners[outcome.index]!
    const never = outcome.fitsAfter < 0
    const waitMs = never ? undefined : owner.role === 'concurrency' ? undefined : Math.max(1, minute.expiresAt(outcome.fitsAfter) - nowMs)
    return new Refused({ limit: owner.limit, role: owner.role, counter: owner.counter, waitMs, never, used: outcome.used }, nowMs)
  }

  private unchecked(error: unknown): undefined {
    this.warn('limit_store_failed', `Rate limits could not be checked (the ${this.counters.kind} store failed: ${error instanceof Error ? error.message : String(error)}); the attempt goes ahead.`)
    return undefined
  }

  /** Ends an admitted attempt: tokens corrected to `actualTokens` when known, concurrency freed. A promise only while a store round trip is under way. */
  settle(permit: LimitPermit, actualTokens: number | undefined, companionAmount?: number | null): void | Promise<void> {
    let settling
    try {
      settling = settleHeld(this.counters, permit.counters, actualTokens, companionAmount, this.now())
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

  /** The counters of every limit covering these attributes; with `owners`, which limit each belongs to (for a refusal). */
  private plan(limits: readonly Limit[], attributes: SpendAttributes, estimatedTokens: number, nowMs: number, owners?: CounterOwner[]): HeldCounter[] {
    const counters: HeldCounter[] = []
    let position: WindowPosition | undefined
    let slot = ''
    for (const limit of limits) {
      const prepared = this.prepared.get(limit)!
      const counter = prepared.counterOf(attributes)
      if (counter === undefined) continue
      let keys = prepared.last
      if (keys?.counter !== counter) {
        const base = prepared.base
        keys = prepared.last = {
          counter,
          rpm: `${base}:rpm:${counter}`,
          tpm: `${base}:tpm:${counter}`,
          concurrency: `${base}:concurrency:${counter}`,
          rpmHandle: {},
          tpmHandle: {},
          concurrencyHandle: {},
        }
      }
      if ((limit.rpm !== undefined || limit.tpm !== undefined) && position === undefined) {
        position = minute.position(nowMs)
        if (this.lastSlot.startMs !== position.slotStartMs) this.lastSlot = { startMs: position.slotStartMs, text: String(position.slotStartMs) }
        slot = this.lastSlot.text
      }
      if (limit.rpm !== undefined) {
        counters.push({ key: keys.rpm, kind: 'w', limit: limit.rpm, amount: 1, floor: position!.countsFromMs, slot, ttlOrExpiry: position!.ttlMs, role: 'rpm', handle: keys.rpmHandle })
        owners?.push({ limit, role: 'rpm', counter })
      }
      if (limit.tpm !== undefined) {
        counters.push({ key: keys.tpm, kind: 'w', limit: limit.tpm, amount: estimatedTokens, floor: position!.countsFromMs, slot, ttlOrExpiry: position!.ttlMs, role: 'tpm', handle: keys.tpmHandle })
        owners?.push({ limit, role: 'tpm', counter })
      }
      if (limit.concurrency !== undefined) {
        counters.push({ key: keys.concurrency, kind: 'c', limit: limit.concurrency, amount: 1, floor: nowMs, slot: this.leaseId(), ttlOrExpiry: nowMs + leaseMs, role: 'concurrency', handle: keys.concurrencyHandle })
        owners?.push({ limit, role: 'concurrency', counter })
      }
    }
    return counters
  }

  /** A new lease's id: numbered by a memory store (no id string built per attempt), this instance's id and a sequence in a shared one. */
  private leaseId(): string | number {
    const counters = this.counters
    if (counters instanceof LiveCounters) return counters.leaseId()
    this.leaseSequence += 1
    return `${this.instance}-${this.leaseSequence}`
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
