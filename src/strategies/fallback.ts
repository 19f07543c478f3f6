import pRetry from 'p-retry'
import { sleep } from '../core/abortable.js'
import { AbortedError, AllCandidatesFailedError, SwitchyardError } from '../core/errors.js'
import { shouldTryNextCandidate } from './fallback-policy.js'
import type { AttemptResult, Candidate, Strategy, StrategyContext } from './strategy.js'

export interface RetryOptions {
  /** Retries of the same candidate on a retryable error (429, 5xx, timeout). Default 2. */
  retries?: number
  /** Delay before the first retry, doubled each time. Default 250 ms. */
  minRetryDelayMs?: number
  /** A retry-after longer than this moves on to the next candidate instead of waiting. Default 10 000 ms. */
  maxRetryAfterMs?: number
  /** Per-attempt timeout (for streams: until the first token). Default: none. */
  timeoutMs?: number
}

export type FallbackOptions = RetryOptions

/**
 * Runs one candidate with retries: backoff from p-retry, plus the provider's retry-after when it
 * sends one. Shared by every strategy that tries candidates in some order.
 */
export function attemptWithRetries(context: StrategyContext, candidate: Candidate, options: RetryOptions = {}): Promise<AttemptResult> {
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 10_000
  return pRetry(() => context.attempt(candidate, { timeoutMs: options.timeoutMs }), {
    retries: options.retries ?? 2,
    minTimeout: options.minRetryDelayMs ?? 250,
    factor: 2,
    signal: context.signal,
    shouldRetry: ({ error }) =>
      error instanceof SwitchyardError && error.retryable && (error.retryAfterMs ?? 0) <= maxRetryAfterMs,
    onFailedAttempt: async ({ error, retriesLeft }) => {
      const retryAfterMs = error instanceof SwitchyardError ? error.retryAfterMs : undefined
      if (retriesLeft > 0 && retryAfterMs !== undefined && retryAfterMs <= maxRetryAfterMs) {
        await sleep(retryAfterMs, context.signal)
      }
    },
  }).catch((error: unknown) => {
    if (context.signal.aborted && !(error instanceof AbortedError)) {
      throw new AbortedError('The call was aborted by its AbortSignal.', { cause: error })
    }
    throw error
  })
}

/**
 * Tries candidates in order until one answers. Candidates that are cooling down are skipped (tried
 * last, if nothing else answers). Errors that would fail everywhere are thrown at once.
 */
export async function tryInOrder(
  context: StrategyContext,
  candidates: readonly Candidate[],
  options: RetryOptions = {},
): Promise<AttemptResult> {
  const healthy = candidates.filter((candidate) => !context.services.health.isCoolingDown(candidate.id))
  const coolingDown = candidates.filter((candidate) => !healthy.includes(candidate))
  for (const candidate of coolingDown) {
    context.services.events.emit({ type: 'candidate-skipped', provider: candidate.provider, model: candidate.model, reason: 'cooling-down', routeName: context.routeName })
  }
  let lastError: unknown
  for (const candidate of [...healthy, ...coolingDown]) {
    try {
      return await attemptWithRetries(context, candidate, options)
    } catch (error) {
      if (!shouldTryNextCandidate(error)) throw error
      lastError = error
    }
  }
  if (candidates.length === 1) throw lastError
  throw allFailed(context)
}

export function allFailed(context: StrategyContext): AllCandidatesFailedError {
  const failures = context.attempts
    .filter((attempt) => attempt.error)
    .map((attempt) => `${attempt.provider}/${attempt.model}: ${attempt.error!.code}`)
  return new AllCandidatesFailedError(
    `All candidates failed (${failures.join('; ')}). See error.attempts for each attempt's error.`,
    context.attempts,
  )
}

/**
 * `fallback(['anthropic/claude-sonnet-4-5', 'openai/gpt-4o'], { retries, timeoutMs })`: tries each
 * model in order, retrying retryable errors with backoff that honours retry-after, and moves to the
 * next on 429, 5xx, timeout, authentication, context-length and content-filter errors.
 */
export function fallback(models: readonly string[], options: FallbackOptions = {}): Strategy {
  return {
    name: 'fallback',
    models: [...models],
    run: (context) => tryInOrder(context, models.map((id) => context.candidate(id)), options),
  }
}
