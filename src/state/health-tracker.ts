import { RateLimitError, type SwitchyardError } from '../errors/errors.js'
import { LocalRateLimitError } from '../errors/local-rate-limit-error.js'
import type { HealthService } from '../spec/router-services.js'

export interface HealthOptions {
  /** Consecutive failures that put a model into cool-down. Default 3. */
  failureThreshold?: number
  /**
   * Consecutive failures across all of one provider's models that put the whole provider into
   * cool-down (an outage rarely spares one model). Default 5; `Infinity` turns it off.
   */
  providerFailureThreshold?: number
  /** How long a model or provider cools down after repeated failures, in ms. Default 30 000. */
  cooldownMs?: number
  /** Cool-down after a 429 that names no retry-after, in ms. Default 5 000. */
  rateLimitCooldownMs?: number
}

interface Health {
  consecutiveFailures: number
  coolingDownUntil: number
}

/** One cooling-down model or provider, for diagnostics. */
export interface CoolDown {
  /** `provider/model`, or a provider id when the whole provider cools down. */
  id: string
  remainingMs: number
  consecutiveFailures: number
}

/** Told when this instance starts or ends a cool-down, so it can be shared with other instances. */
export interface HealthListener {
  coolDownStarted(scope: 'model' | 'provider', id: string, durationMs: number, consecutiveFailures: number): void
  recovered(scope: 'model' | 'provider', id: string): void
  /**
   * A failure that counts towards a cool-down (not a rate limit, which cools down at once), so the
   * count can be shared: with `threshold` failures counted by all instances together, the model or
   * provider cools down for `cooldownMs` everywhere.
   */
  failureCounted?(scope: 'model' | 'provider', id: string, threshold: number, cooldownMs: number): void
  /** A success after failures this instance counted: the shared count starts again. */
  failuresCleared?(scope: 'model' | 'provider', id: string): void
}

function providerOf(id: string): string {
  const slash = id.indexOf('/')
  return slash > 0 ? id.slice(0, slash) : id
}

/**
 * Which providers and provider/models are cooling down. A model cools down after repeated
 * failures, or after a 429 for as long as the provider asked; a provider cools down after repeated
 * failures across its models. Strategies skip what cools down until it recovers, rather than fail on it.
 */
/** The most models (and providers) whose failures are tracked at once. */
const maxTrackedIds = 1_000

export class HealthTracker implements HealthService {
  private readonly models = new Map<string, Health>()
  private readonly providers = new Map<string, Health>()
  private readonly failureThreshold: number
  private readonly providerFailureThreshold: number
  private readonly cooldownMs: number
  private readonly rateLimitCooldownMs: number
  /** Set by the shared-state feature when the router has a shared store. */
  listener: HealthListener | undefined

  constructor(options: HealthOptions = {}, private readonly now: () => number = Date.now) {
    this.failureThreshold = options.failureThreshold ?? 3
    this.providerFailureThreshold = options.providerFailureThreshold ?? 5
    this.cooldownMs = options.cooldownMs ?? 30_000
    this.rateLimitCooldownMs = options.rateLimitCooldownMs ?? 5_000
  }

  /** Whether the `provider/model` (or its whole provider) is cooling down. */
  isCoolingDown(id: string): boolean {
    return this.coolingDownFor(id) > 0
  }

  /** Milliseconds until the model, and its provider, have recovered (0 when healthy). */
  coolingDownFor(id: string): number {
    // Nothing has failed lately (the usual case): no clock read, no look-ups.
    if (this.models.size === 0 && this.providers.size === 0) return 0
    const until = Math.max(this.models.get(id)?.coolingDownUntil ?? 0, this.providers.get(providerOf(id))?.coolingDownUntil ?? 0)
    return Math.max(0, until - this.now())
  }

  recordSuccess(id: string): void {
    if (this.models.size === 0 && this.providers.size === 0) return
    const provider = providerOf(id)
    const model = this.models.get(id)
    const providerHealth = this.providers.get(provider)
    const modelCooled = (model?.coolingDownUntil ?? 0) > 0
    const providerCooled = (providerHealth?.coolingDownUntil ?? 0) > 0
    this.models.delete(id)
    this.providers.delete(provider)
    if (modelCooled) this.listener?.recovered('model', id)
    if (providerCooled) this.listener?.recovered('provider', provider)
    if ((model?.consecutiveFailures ?? 0) > 0) this.listener?.failuresCleared?.('model', id)
    if ((providerHealth?.consecutiveFailures ?? 0) > 0) this.listener?.failuresCleared?.('provider', provider)
  }

  /**
   * Takes over a cool-down another instance started (read from the shared store): the model or
   * provider is skipped here too for `remainingMs`. Not reported back to the listener.
   */
  adoptCoolDown(scope: 'model' | 'provider', id: string, remainingMs: number, consecutiveFailures = 0): void {
    if (!(remainingMs > 0)) return
    const table = scope === 'model' ? this.models : this.providers
    const health = table.get(id) ?? { consecutiveFailures, coolingDownUntil: 0 }
    health.coolingDownUntil = Math.max(health.coolingDownUntil, this.now() + remainingMs)
    health.consecutiveFailures = Math.max(health.consecutiveFailures, consecutiveFailures)
    table.set(id, health)
  }

  recordFailure(id: string, error: SwitchyardError): void {
    // Only failures that say something about availability count.
    if (!error.retryable && !(error instanceof RateLimitError)) return
    // The router's own limits (a key pool whose every key is at its per-key limit) say nothing about
    // the provider: only the provider's own quota (its rate-limit headers) cools a model down.
    if (error instanceof LocalRateLimitError && error.kind !== 'provider-quota') return
    const model = this.count(this.models, id)
    if (error instanceof RateLimitError) {
      // Rate limits are usually per model (or per key and model): the provider stays usable.
      const duration = error.retryAfterMs ?? this.rateLimitCooldownMs
      model.coolingDownUntil = Math.max(model.coolingDownUntil, this.now() + duration)
      this.listener?.coolDownStarted('model', id, duration, model.consecutiveFailures)
      return
    }
    if (model.consecutiveFailures >= this.failureThreshold) {
      model.coolingDownUntil = this.now() + this.cooldownMs
      this.listener?.coolDownStarted('model', id, this.cooldownMs, model.consecutiveFailures)
    } else {
      this.listener?.failureCounted?.('model', id, this.failureThreshold, this.cooldownMs)
    }
    const providerId = providerOf(id)
    const provider = this.count(this.providers, providerId)
    if (provider.consecutiveFailures >= this.providerFailureThreshold) {
      provider.coolingDownUntil = this.now() + this.cooldownMs
      this.listener?.coolDownStarted('provider', providerId, this.cooldownMs, provider.consecutiveFailures)
    } else if (Number.isFinite(this.providerFailureThreshold)) {
      this.listener?.failureCounted?.('provider', providerId, this.providerFailureThreshold, this.cooldownMs)
    }
  }

  /** Everything cooling down right now. */
  coolDowns(): CoolDown[] {
    const now = this.now()
    return [...this.providers, ...this.models]
      .filter(([, health]) => health.coolingDownUntil > now)
      .map(([id, health]) => ({ id, remainingMs: health.coolingDownUntil - now, consecutiveFailures: health.consecutiveFailures }))
  }

  private count(table: Map<string, Health>, id: string): Health {
    const health = table.get(id) ?? { consecutiveFailures: 0, coolingDownUntil: 0 }
    health.consecutiveFailures += 1
    table.set(id, health)
    if (table.size > maxTrackedIds) this.forgetIdle(table, id)
    return health
  }

  /**
   * Bounds a table whose ids come from callers: entries not cooling down go first (their failure
   * counts are the least useful), then the oldest, so the table never grows past the bound.
   */
  private forgetIdle(table: Map<string, Health>, keep: string): void {
    const now = this.now()
    for (const [id, health] of table) {
      if (table.size <= maxTrackedIds) return
      if (id !== keep && health.coolingDownUntil <= now) table.delete(id)
    }
    for (const id of table.keys()) {
      if (table.size <= maxTrackedIds) return
      if (id !== keep) table.delete(id)
    }
  }
}
