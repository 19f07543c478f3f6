// The retries after a candidate's first retry, with exponential backoff (p-retry): imported by
// `fallback` when a call first retries more than once, so importing the package does not compile it.
import pRetry from 'p-retry'
import { listenableSignal } from '../internal/abortable.js'
import type { SwitchyardError } from '../errors/errors.js'

export interface BackoffOptions {
  retries: number
  minTimeout: number
  factor: number
  signal: AbortSignal
  isRetryable: (error: unknown) => error is SwitchyardError
  /** Runs after a failed try that will be retried, before the backoff's own delay (the provider's retry-after). */
  beforeBackoff: (error: SwitchyardError, retriesConsumed: number) => Promise<void> | undefined
}

/** Runs `attempt`, retrying retryable failures `retries` times with exponential backoff. */
export function retryWithBackoff<Result>(attempt: () => Promise<Result>, options: BackoffOptions): Promise<Result> {
  return pRetry(attempt, {
    retries: options.retries,
    minTimeout: options.minTimeout,
    factor: options.factor,
    signal: listenableSignal(options.signal),
    shouldRetry: ({ error }) => options.isRetryable(error),
    onFailedAttempt: async ({ error, retriesLeft, retriesConsumed }) => {
      if (retriesLeft > 0 && options.isRetryable(error)) await options.beforeBackoff(error, retriesConsumed)
    },
  })
}
