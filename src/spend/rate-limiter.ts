import { AbortedError } from '../errors/errors.js'
import { LocalRateLimitError } from '../errors/local-rate-limit-error.js'
import type { Store } from '../spec/store.js'
import type { Limit } from './limit-config.js'
import type { ProviderQuota } from './provider-quota.js'
import { reserveArguments, reserveScript, type CounterCheck } from './reserve-script.js'
import { settleArguments, settleScript, type CounterSettlement } from './settle-script.js'
import { describeCounter, scopeCounter, type SpendAttributes } from './spend-scope.js'
import { parseWindow } from './spend-window.js'
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
  checks(nowMs: number): readonly CounterCheck[]
  refuse(index: number, outcome: { used: number; fitsAfter: number }, nowMs: number): Error
}

const minute = parseWindow('1m', 'rate limits')
/** A lease outlives a crashed process by this much at most; a live call longer than this stops counting. */
const leaseMs = 15 * 60_000
/** How often a queued attempt looks again when it cannot know when room appears (another process's call ending). */
const pollMs = 50

/**
 * Requests, tokens and concurrency per provider, model, key, user or tag, counted in the router's
 * store (one atomic script per attempt across every limit that applies). `acquire` waits or
 * refuses; `settle` puts real token usage in place of the estimate and frees the concurrency slot.
 */
export class RateLimiter {
  private readonly wakers = new Set<() => void>()
  /** Lease ids are this instance's id and a sequence, so processes sharing a store never collide. */
  private readonly instance = Math.random().toString(36).slice(2, 10)
  private leaseSequence = 0

  constructor(
    private readonly limits: readonly Limit[],
    private readonly store: Store,
    private readonly warn: SpendWarning,
    private readonly now: () => number = Date.now,
    private readonly quota?: ProviderQuota,
  ) {}

  get size(): number {
    return this.limits.length
  }

  /** The limits with a `key` in their scope: a key pool's member is counted against them once picked. */
  get keyLimits(): readonly Limit[] {
    return (this.keyScoped ??= this.limits.filter((limit) => limit.scope.key !== undefined))
  }

  private keyScoped: readonly Limit[] | undefined

  /** Admits one attempt of `estimatedTokens` (prompt estimate + output allowance), waiting or refusing per `onLimit`. */
  async acquire(attributes: SpendAttributes, estimatedTokens: number, signal?: AbortSignal, companion?: CompanionCounters, keyLimitsOnly = false): Promise<LimitPermit | undefined> {
    const startedAt = this.now()
    // A key pool's member, once picked: only the per-key limits are left to count (the others counted the attempt already).
    const limits = keyLimitsOnly ? this.keyLimits : this.limits
    while (true) {
      if (signal?.aborted) throw new AbortedError('The call was aborted while it waited for a rate limit.', { cause: signal.reason })
      const nowMs = this.now()
      const blocked = this.quota?.blockedFor(attributes, nowMs)
      const plan = blocked ? undefined : this.plan(limits, attributes, estimatedTokens, nowMs)
      const companionChecks = plan && companion ? companion.checks(nowMs) : []
      const counters = plan ? [...plan.counters, ...companionChecks] : []
      if (!blocked && counters.length === 0) return undefined
      let refusal: { limit?: Limit; role: CounterRole | 'provider-quota'; counter: string; waitMs: number | undefined; never: boolean; used: number } | undefined
      if (blocked) {
        refusal = { role: 'provider-quota', counter: blocked.scope, waitMs: blocked.waitMs, never: false, used: 0 }
      } else {
        const { keys, args } = reserveArguments(counters)
        let outcome
        try {
          outcome = await this.store.run(reserveScript, keys, args)
        } catch (error) {
          this.warn('limit_store_failed', `Rate limits could not be checked (the ${this.store.kind} store failed: ${error instanceof Error ? error.message : String(error)}); the attempt goes ahead.`)
          return undefined
        }
        if (outcome.ok) return { estimatedTokens, counters, roles: [...plan!.owners.map((owner) => owner.role), ...companionChecks.map(() => 'companion' as const)] }
        if (outcome.index >= plan!.owners.length) throw companion!.refuse(outcome.index - plan!.owners.length, outcome, nowMs)
        const owner = plan!.owners[outcome.index]!
        const never = outcome.fitsAfter < 0
        const waitMs = never ? undefined : owner.role === 'concurrency' ? undefined : Math.max(1, minute.expiresAt(outcome.fitsAfter) - nowMs)
        refusal = { limit: owner.limit, role: owner.role, counter: owner.counter, waitMs, never, used: outcome.used }
      }
      const queueing = refusal.limit ? refusal.limit.onLimit === 'queue' : this.queuesAny(limits, attributes)
      const maxWaitMs = refusal.limit?.maxWaitMs ?? this.longestWait(limits, attributes)
      const remainingMs = startedAt + maxWaitMs - nowMs
      if (!queueing || refusal.never || remainingMs <= 0 || (refusal.waitMs !== undefined && refusal.waitMs > remainingMs)) {
        throw this.refusalError(refusal, attributes, estimatedTokens)
      }
      await this.wait(Math.min(refusal.waitMs ?? pollMs, remainingMs, refusal.role === 'rpm' ? Infinity : pollMs * 4), signal)
    }
  }

  /** Ends an admitted attempt: tokens corrected to `actualTokens` when known, concurrency freed. */
  async settle(permit: LimitPermit, actualTokens: number | undefined, companionAmount?: number | null): Promise<void> {
    const nowMs = this.now()
    const settlements: CounterSettlement[] = []
    permit.counters.forEach((counter, index) => {
      const role = permit.roles[index]
      if (role === 'companion') {
        if (companionAmount !== undefined && companionAmount !== null && companionAmount !== counter.amount) {
          settlements.push({ key: counter.key, kind: 'w', slot: counter.slot, delta: companionAmount - counter.amount, floor: counter.floor, ttlMs: counter.ttlOrExpiry })
        }
      } else if (role === 'concurrency') settlements.push({ key: counter.key, kind: 'c', slot: counter.slot, delta: 0, floor: nowMs, ttlMs: 0 })
      else if (role === 'tpm' && actualTokens !== undefined && actualTokens !== counter.amount) {
        settlements.push({ key: counter.key, kind: 'w', slot: counter.slot, delta: actualTokens - counter.amount, floor: counter.floor, ttlMs: counter.ttlOrExpiry })
      }
    })
    try {
      if (settlements.length > 0) {
        const { keys, args } = settleArguments(settlements)
        await this.store.run(settleScript, keys, args)
      }
    } catch (error) {
      this.warn('limit_store_failed', `A rate-limit permit could not be settled (the ${this.store.kind} store failed: ${error instanceof Error ? error.message : String(error)}); its concurrency slot frees up when its lease expires.`)
    } finally {
      for (const wake of [...this.wakers]) wake()
    }
  }

  private plan(limits: readonly Limit[], attributes: SpendAttributes, estimatedTokens: number, nowMs: number) {
    const counters: CounterCheck[] = []
    const owners: Array<{ limit: Limit; role: CounterRole; counter: string }> = []
    const position = minute.position(nowMs)
    for (const limit of limits) {
      const counter = scopeCounter(limit.scope, attributes)
      if (counter === undefined) continue
      const base = `spend:limit:${encodeURIComponent(limit.id)}`
      const window = { kind: 'w' as const, floor: position.countsFromMs, slot: String(position.slotStartMs), ttlOrExpiry: position.ttlMs }
      if (limit.rpm !== undefined) {
        counters.push({ key: `${base}:rpm:${counter}`, limit: limit.rpm, amount: 1, ...window })
        owners.push({ limit, role: 'rpm', counter })
      }
      if (limit.tpm !== undefined) {
        counters.push({ key: `${base}:tpm:${counter}`, limit: limit.tpm, amount: estimatedTokens, ...window })
        owners.push({ limit, role: 'tpm', counter })
      }
      if (limit.concurrency !== undefined) {
        this.leaseSequence += 1
        counters.push({ key: `${base}:concurrency:${counter}`, kind: 'c', limit: limit.concurrency, amount: 1, floor: nowMs, slot: `${this.instance}-${this.leaseSequence}`, ttlOrExpiry: nowMs + leaseMs })
        owners.push({ limit, role: 'concurrency', counter })
      }
    }
    return { counters, owners }
  }

  private queuesAny(limits: readonly Limit[], attributes: SpendAttributes): boolean {
    return limits.some((limit) => limit.onLimit === 'queue' && scopeCounter(limit.scope, attributes) !== undefined)
  }

  private longestWait(limits: readonly Limit[], attributes: SpendAttributes): number {
    let longest = 0
    for (const limit of limits) {
      if (limit.onLimit === 'queue' && scopeCounter(limit.scope, attributes) !== undefined) longest = Math.max(longest, limit.maxWaitMs)
    }
    return longest
  }

  private refusalError(
    refusal: { limit?: Limit; role: CounterRole | 'provider-quota'; counter: string; waitMs: number | undefined; never: boolean; used: number },
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
