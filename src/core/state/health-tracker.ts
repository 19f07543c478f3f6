import { RateLimitError, type SwitchyardError } from '../errors.js'

export interface HealthOptions {
  /** Consecutive failures that put a model into cool-down. Default 3. */
  failureThreshold?: number
  /** How long a model cools down after repeated failures, in ms. Default 30 000. */
  cooldownMs?: number
  /** Cool-down after a 429 that names no retry-after, in ms. Default 5 000. */
  rateLimitCooldownMs?: number
}

interface ModelHealth {
  consecutiveFailures: number
  coolingDownUntil: number
}

/**
 * Which provider/models are cooling down. A model cools down after repeated failures, or after a
 * 429 for as long as the provider asked; strategies skip it until then rather than fail on it.
 */
export class HealthTracker {
  private readonly models = new Map<string, ModelHealth>()
  private readonly failureThreshold: number
  private readonly cooldownMs: number
  private readonly rateLimitCooldownMs: number

  constructor(options: HealthOptions = {}, private readonly now: () => number = Date.now) {
    this.failureThreshold = options.failureThreshold ?? 3
    this.cooldownMs = options.cooldownMs ?? 30_000
    this.rateLimitCooldownMs = options.rateLimitCooldownMs ?? 5_000
  }

  isCoolingDown(id: string): boolean {
    const health = this.models.get(id)
    return health !== undefined && health.coolingDownUntil > this.now()
  }

  /** Milliseconds until the model recovers (0 when healthy). */
  coolingDownFor(id: string): number {
    return Math.max(0, (this.models.get(id)?.coolingDownUntil ?? 0) - this.now())
  }

  recordSuccess(id: string): void {
    this.models.delete(id)
  }

  recordFailure(id: string, error: SwitchyardError): void {
    // Only failures that say something about the model's availability count.
    if (!error.retryable && !(error instanceof RateLimitError)) return
    const health = this.models.get(id) ?? { consecutiveFailures: 0, coolingDownUntil: 0 }
    health.consecutiveFailures += 1
    if (error instanceof RateLimitError) {
      health.coolingDownUntil = Math.max(health.coolingDownUntil, this.now() + (error.retryAfterMs ?? this.rateLimitCooldownMs))
    } else if (health.consecutiveFailures >= this.failureThreshold) {
      health.coolingDownUntil = this.now() + this.cooldownMs
    }
    this.models.set(id, health)
  }
}
