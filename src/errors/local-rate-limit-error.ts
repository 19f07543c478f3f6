import { RateLimitError, type ErrorDetails } from './errors.js'

export interface LocalRateLimitDetails extends ErrorDetails {
  /** The limit's `name`, or `limits[index]`. */
  limit: string
  /** Which of the limit's counters is full. `provider-quota`: the provider's own rate-limit headers say it is exhausted. */
  kind: 'rpm' | 'tpm' | 'concurrency' | 'provider-quota'
  /** Whose calls it counts: `the whole router`, `user alice`, `provider openai`, ... */
  scope: string
}

/**
 * A rate limit from `createRouter({ limits })` (or the provider's own headers) refused the attempt
 * before its provider was called. A `RateLimitError`, so code that handles provider 429s handles
 * it too; `retryAfterMs` is when the counter has room again (absent for a concurrency limit,
 * which frees up when a call in flight ends).
 */
export class LocalRateLimitError extends RateLimitError {
  static override readonly errorName: string = 'LocalRateLimitError'
  readonly limit: string
  readonly kind: LocalRateLimitDetails['kind']
  readonly scope: string

  constructor(message: string, details: LocalRateLimitDetails) {
    super(message, { status: 429, ...details })
    this.limit = details.limit
    this.kind = details.kind
    this.scope = details.scope
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), limit: this.limit, kind: this.kind, scope: this.scope }
  }
}
