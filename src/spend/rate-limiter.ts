import { AbortedError } from '../errors/errors.js'
import { LocalRateLimitError } from '../errors/local-rate-limit-error.js'
import type { Store } from '../spec/store.js'
import { CounterHold, PlannedCounter, Planner, type CounterRole, type CounterSource } from './counter-plan.js'
import { countersIn, settleHeld, type Counters } from './counters.js'
import { LiveCounters } from './live-counters.js'
import type { Limit } from './limit-config.js'
import type { ProviderQuota } from './provider-quota.js'
import type { ReserveOutcome } from './reserve-script.js'
import { describeCounter, scopeMatcher, type SpendAttributes } from './spend-scope.js'
import { parseWindow } from './spend-window.js'
import type { SpendWarning } from './spend-warning.js'

/** What an admitted attempt holds until it ends: its requests and estimated tokens, its concurrency lease (and a companion's counters). */
export type LimitPermit = CounterHold

type LimitRole = Exclude<CounterRole, 'budget'>

/**
 * Counters reserved together with the limits in one store round trip (a budget reservation):
 * all or nothing, and a refusal there is the companion's own error, never queued.
 */
export interface CompanionCounters {
  /** Where its counters come from, planned after the limits'. */
  readonly sources: readonly CounterSource[]
  /** The error for a reservation of `amount` that did not fit one of its counters. */
  refuse(counter: PlannedCounter, outcome: { used: number; fitsAfter: number }, attributes: SpendAttributes, amount: number, nowMs: number): Error
}

/** Where the abort signal of the call waiting for a limit is read, only once it has to wait. */
export interface AbortSource {
  readonly signal: AbortSignal
}

interface Refusal {
  limit?: Limit
  role: LimitRole | 'provider-quota'
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

/** Limits an attempt is counted against, with the planner of their counters (and of a companion's after them). */
interface LimitSet {
  readonly limits: readonly Limit[]
  /** Each limit's counter source, index for index. */
  readonly sources: readonly CounterSource[]
  readonly planner: Planner
  readonly companion: CompanionCounters | undefined
}

const minute = parseWindow('1m', 'rate limits')

/** A limit's counters: requests and tokens per minute, concurrency leases; keyed by the limit's id and the scope's counter. */
function limitSource(limit: Limit): CounterSource {
  const base = `spend:limit:${encodeURIComponent(limit.id)}`
  return {
    counterOf: scopeMatcher(limit.scope),
    plan(scope, _nowMs, into) {
      if (limit.rpm !== undefined) into.push(new PlannedCounter(`${base}:rpm:${scope}`, 'w', 'rpm', limit.rpm, minute, limit, scope))
      if (limit.tpm !== undefined) into.push(new PlannedCounter(`${base}:tpm:${scope}`, 'w', 'tpm', limit.tpm, minute, limit, scope))
      if (limit.concurrency !== undefined) into.push(new PlannedCounter(`${base}:concurrency:${scope}`, 'c', 'concurrency', limit.concurrency, undefined, limit, scope))
    },
  }
}

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
  private readonly counters: Counters
  /** Every limit, planned alone or with a companion's counters after them; a key pool member's limits. */
  private readonly every: LimitSet
  private withCompanion: LimitSet | undefined
  private keyed: LimitSet | undefined

  constructor(
    private readonly limits: readonly Limit[],
    store: Store,
    private readonly warn: SpendWarning,
    private readonly now: () => number = Date.now,
    private readonly quota?: ProviderQuota,
  ) {
    this.counters = countersIn(store)
    const sources = limits.map(limitSource)
    this.every = { limits, sources, planner: new Planner(sources), companion: undefined }
  }

  get size(): number {
    return this.limits.length
  }

  /** The limits with a `key` in their scope: a key pool's member is counted against them once picked. */
  get keyLimits(): readonly Limit[] {
    return this.keyLimitSet().limits
  }

  private keyLimitSet(): LimitSet {
    if (this.keyed) return this.keyed
    const { limits, sources } = this.every
    const keyLimits: Limit[] = []
    const keySources: CounterSource[] = []
    for (let index = 0; index < limits.length; index += 1) {
      if (limits[index]!.scope.key === undefined) continue
      keyLimits.push(limits[index]!)
      keySources.push(sources[index]!)
    }
    return (this.keyed = { limits: keyLimits, sources: keySources, planner: new Planner(keySources), companion: undefined })
  }

  /** Every limit with a companion's counters after them (one companion per limiter: the router's budgets). */
  private companionSet(companion: CompanionCounters): LimitSet {
    if (this.withCompanion?.companion !== companion) {
      const { limits, sources } = this.every
      this.withCompanion = { limits, sources, planner: new Planner([...sources, ...companion.sources]), companion }
    }
    return this.withCompanion
  }

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
    const set = keyLimitsOnly ? this.keyLimitSet() : companion ? this.companionSet(companion) : this.every
    const step = this.look(set, attributes, estimatedTokens, companionAmount, startedAt)
    if (!(step instanceof Promise) && !(step instanceof Refused)) return step
    return this.queue(step, set, attributes, estimatedTokens, abort, companionAmount, startedAt)
  }

  private async queue(
    first: Step | Promise<Step>,
    set: LimitSet,
    attributes: SpendAttributes,
    estimatedTokens: number,
    abort: AbortSource | undefined,
    companionAmount: number,
    startedAt: number,
  ): Promise<LimitPermit | undefined> {
    let step = await first
    while (step instanceof Refused) {
      const { refusal, nowMs } = step
      const queueing = refusal.limit ? refusal.limit.onLimit === 'queue' : this.queuesAny(set, attributes)
      const maxWaitMs = refusal.limit?.maxWaitMs ?? this.longestWait(set, attributes)
      const remainingMs = startedAt + maxWaitMs - nowMs
      if (!queueing || refusal.never || remainingMs <= 0 || (refusal.waitMs !== undefined && refusal.waitMs > remainingMs)) {
        throw this.refusalError(refusal, attributes, estimatedTokens)
      }
      const signal = abort?.signal
      if (signal?.aborted) throw new AbortedError('The call was aborted while it waited for a rate limit.', { cause: signal.reason })
      await this.wait(Math.min(refusal.waitMs ?? pollMs, remainingMs, refusal.role === 'rpm' ? Infinity : pollMs * 4), signal)
      if (signal?.aborted) throw new AbortedError('The call was aborted while it waited for a rate limit.', { cause: signal.reason })
      step = await this.look(set, attributes, estimatedTokens, companionAmount, this.now())
    }
    return step
  }

  /** Reserves the attempt in every limit (and the companion's counters) at once, or says what refused it. */
  private look(set: LimitSet, attributes: SpendAttributes, estimatedTokens: number, companionAmount: number, nowMs: number): Step | Promise<Step> {
    const blocked = this.quota?.blockedFor(attributes, nowMs)
    if (blocked) return new Refused({ role: 'provider-quota', counter: blocked.scope, waitMs: blocked.waitMs, never: false, used: 0 }, nowMs)
    const plan = set.planner.planFor(attributes, nowMs)
    if (plan === undefined) return undefined
    const lease = plan.leases ? this.leaseId() : undefined
    // A memory store answers at once: no promise, and no callback built for one.
    let outcome: ReserveOutcome | Promise<ReserveOutcome>
    try {
      outcome = this.counters.reserve(plan.checksAt(nowMs, estimatedTokens, companionAmount, lease))
    } catch (error) {
      return this.unchecked(error)
    }
    if (outcome instanceof Promise) {
      return outcome.then(
        (answered) => this.stepOf(answered, new CounterHold(plan, nowMs, lease, estimatedTokens, companionAmount), set.companion, attributes),
        (error: unknown) => this.unchecked(error),
      )
    }
    return this.stepOf(outcome, new CounterHold(plan, nowMs, lease, estimatedTokens, companionAmount), set.companion, attributes)
  }

  private stepOf(outcome: ReserveOutcome, hold: CounterHold, companion: CompanionCounters | undefined, attributes: SpendAttributes): Step {
    if (outcome.ok) return hold
    const counter = hold.plan.counters[outcome.index]!
    const nowMs = hold.atMs
    if (counter.role === 'budget') throw companion!.refuse(counter, outcome, attributes, hold.usd, nowMs)
    const never = outcome.fitsAfter < 0
    const waitMs = never ? undefined : counter.role === 'concurrency' ? undefined : Math.max(1, minute.expiresAt(outcome.fitsAfter) - nowMs)
    return new Refused({ limit: counter.owner as Limit, role: counter.role, counter: counter.scope, waitMs, never, used: outcome.used }, nowMs)
  }

  private unchecked(error: unknown): undefined {
    this.warn('limit_store_failed', `Rate limits could not be checked (the ${this.counters.kind} store failed: ${error instanceof Error ? error.message : String(error)}); the attempt goes ahead.`)
    return undefined
  }

  /** Ends an admitted attempt: tokens corrected to `actualTokens` when known, concurrency freed. A promise only while a store round trip is under way. */
  settle(permit: LimitPermit, actualTokens: number | undefined, companionAmount?: number | null): void | Promise<void> {
    let settling
    try {
      settling = settleHeld(this.counters, permit, actualTokens, companionAmount, this.now())
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

  /** A new lease's id: numbered by a memory store (no id string built per attempt), this instance's id and a sequence in a shared one. */
  private leaseId(): string | number {
    const counters = this.counters
    if (counters instanceof LiveCounters) return counters.leaseId()
    this.leaseSequence += 1
    return `${this.instance}-${this.leaseSequence}`
  }

  private queuesAny(set: LimitSet, attributes: SpendAttributes): boolean {
    return set.limits.some((limit, index) => limit.onLimit === 'queue' && set.sources[index]!.counterOf(attributes) !== undefined)
  }

  private longestWait(set: LimitSet, attributes: SpendAttributes): number {
    let longest = 0
    for (let index = 0; index < set.limits.length; index += 1) {
      const limit = set.limits[index]!
      if (limit.onLimit === 'queue' && set.sources[index]!.counterOf(attributes) !== undefined) longest = Math.max(longest, limit.maxWaitMs)
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
