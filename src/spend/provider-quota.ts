import { readRateLimitHeaders, type QuotaReading } from './rate-limit-headers.js'
import type { SpendAttributes } from './spend-scope.js'

const maxTrackedModels = 1_000

/**
 * What providers' own rate-limit headers last said, per provider (or key-pool member) and model.
 * A model whose requests or tokens are used up until a reset is avoided until then (the limiter
 * refuses it, so fallback moves on before the provider answers 429), and a key pool prefers the
 * member with the most headroom. Per process: each instance learns from its own responses.
 */
export class ProviderQuota {
  private readonly readings = new Map<string, QuotaReading>()

  constructor(private readonly now: () => number = Date.now) {}

  /** Records a response's headers for `source` (a provider id or key-pool member id) and model. */
  observe(source: string, model: string, headers: Headers | Record<string, string | string[] | undefined>): void {
    const reading = readRateLimitHeaders(headers, this.now())
    if (!reading) return
    const id = `${source}/${model}`
    this.readings.delete(id)
    // Bounded: oldest first out (a Map iterates in insertion order).
    if (this.readings.size >= maxTrackedModels) this.readings.delete(this.readings.keys().next().value!)
    this.readings.set(id, reading)
  }

  reading(source: string, model: string): QuotaReading | undefined {
    return this.readings.get(`${source}/${model}`)
  }

  /** When this attempt's provider (or key) has no quota left until a reset: how long, and whose quota. */
  blockedFor(attributes: SpendAttributes, nowMs: number = this.now()): { scope: string; waitMs: number } | undefined {
    const model = attributes.model.slice(attributes.provider.length + 1)
    const source = attributes.key ?? attributes.provider
    const reading = this.readings.get(`${source}/${model}`)
    if (!reading) return undefined
    const waits: number[] = []
    if (reading.requestsRemaining === 0 && reading.requestsResetAt !== undefined && reading.requestsResetAt > nowMs) waits.push(reading.requestsResetAt - nowMs)
    if (reading.tokensRemaining === 0 && reading.tokensResetAt !== undefined && reading.tokensResetAt > nowMs) waits.push(reading.tokensResetAt - nowMs)
    if (waits.length === 0) return undefined
    return { scope: `${source} ${model}`, waitMs: Math.max(...waits) }
  }

  /**
   * Share of quota left (0–1, the tighter of requests and tokens) for a source and model; 1 when
   * nothing is known or the last reset has passed.
   */
  headroom(source: string, model: string, nowMs: number = this.now()): number {
    const reading = this.readings.get(`${source}/${model}`)
    if (!reading) return 1
    const share = (remaining?: number, limit?: number, reset?: number) =>
      remaining === undefined || !limit || (reset !== undefined && reset <= nowMs) ? 1 : Math.min(1, remaining / limit)
    return Math.min(share(reading.requestsRemaining, reading.requestsLimit, reading.requestsResetAt), share(reading.tokensRemaining, reading.tokensLimit, reading.tokensResetAt))
  }
}
