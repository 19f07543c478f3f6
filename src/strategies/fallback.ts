import { sleep } from '../internal/abortable.js'
import { lazyPart } from '../internal/lazy-part.js'
import { AbortedError, AllCandidatesFailedError, hasErrorCode, SwitchyardError } from '../errors/errors.js'
import { LocalRateLimitError } from '../errors/local-rate-limit-error.js'
import { splitByHealth } from './candidate-health.js'
import { shouldTryNextCandidate } from './fallback-policy.js'
import type { AttemptResult, Candidate, Strategy, StrategyContext } from '../spec/strategy.js'

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

const backoffFactor = 2

/** The backoff of the retries after the first (p-retry), imported when a call first needs them. */
const retryCode = /* @__PURE__ */ lazyPart('the retry backoff', () => import('./retry-runner.js'))

/**
 * Runs one candidate with retries: backoff from p-retry, plus the provider's retry-after when it
 * sends one (the wait before a retry is the longer of the two). Shared by every strategy that
 * tries candidates in some order.
 */
export function attemptWithRetries(context: StrategyContext, candidate: Candidate, options: RetryOptions = {}): Promise<AttemptResult> {
  // Most attempts succeed at once: that path, the router's hot path, skips the retry set-up (and
  // an async frame of its own).
  return context.attempt(candidate, { timeoutMs: options.timeoutMs }).catch((error: unknown) => retryAfterFailure(context, candidate, options, error))
}

async function retryAfterFailure(context: StrategyContext, candidate: Candidate, options: RetryOptions, firstError: unknown): Promise<AttemptResult> {
  const retries = options.retries ?? 2
  const minRetryDelayMs = options.minRetryDelayMs ?? 250
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 10_000
  const attempt = (): Promise<AttemptResult> => context.attempt(candidate, { timeoutMs: options.timeoutMs })
  // A router rate limit already chose between queueing and refusing: its refusal moves on, unretried.
  const isRetryable = (error: unknown): error is SwitchyardError =>
    error instanceof SwitchyardError && error.retryable && (error.retryAfterMs ?? 0) <= maxRetryAfterMs && !(error instanceof LocalRateLimitError)
  // Waits the part of the retry-after that the backoff about to follow does not already cover.
  const topUpRetryAfter = (error: SwitchyardError, backoffMs: number) =>
    error.retryAfterMs !== undefined && error.retryAfterMs > backoffMs ? sleep(error.retryAfterMs - backoffMs, context.signal) : undefined
  try {
    if (retries <= 0 || !isRetryable(firstError) || context.signal.aborted) throw firstError
    // More than one retry: the backoff's code loads while the first retry's delay runs.
    const backoff = retries > 1 ? retryCode.load() : undefined
    backoff?.catch(() => {})
    await sleep(Math.max(minRetryDelayMs, firstError.retryAfterMs ?? 0), context.signal)
    // The only retry: made now, with nothing to back off for after it.
    if (!backoff) return await attempt()
    // The remaining retries continue the exponential backoff from its second step.
    const { retryWithBackoff } = await backoff
    return await retryWithBackoff(attempt, {
      retries: retries - 1,
      minTimeout: minRetryDelayMs * backoffFactor,
      factor: backoffFactor,
      signal: context.signal,
      isRetryable,
      beforeBackoff: (error, retriesConsumed) => topUpRetryAfter(error, minRetryDelayMs * backoffFactor ** (retriesConsumed + 1)),
    })
  } catch (error) {
    if (context.signal.aborted && !(error instanceof AbortedError)) {
      throw new AbortedError('The call was aborted by its AbortSignal.', { cause: error })
    }
    throw error
  }
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
  // Usually nothing is cooling down: then the candidates are tried as given, with no split built.
  const health = context.services.health
  let ordered = candidates
  for (const candidate of candidates) {
    if (!health.isCoolingDown(candidate.id)) continue
    const { healthy, coolingDown } = splitByHealth(context, candidates)
    ordered = [...healthy, ...coolingDown]
    break
  }
  let lastError: unknown
  for (const candidate of ordered) {
    try {
      return await attemptWithRetries(context, candidate, options)
    } catch (error) {
      if (!shouldTryNextCandidate(error)) throw error
      lastError = error
    }
  }
  if (candidates.length === 1) throw lastError
  throw refusedEverywhere(context) ?? allFailed(context)
}

/**
 * When every attempt was refused by the same kind of spend control (each candidate over a budget,
 * or over the call's cost cap), the first refusal says more than "all candidates failed".
 */
function refusedEverywhere(context: StrategyContext): SwitchyardError | undefined {
  const errors = context.attempts.map((attempt) => attempt.error)
  if (errors.length === 0) return undefined
  if (errors.every((error) => hasErrorCode(error, 'budget_exceeded'))) return errors[0]
  if (errors.every((error) => hasErrorCode(error, 'cost_cap_exceeded'))) return errors[0]
  return undefined
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
    specificationVersion: 'v1',
    name: 'fallback',
    models: [...models],
    readsPricesBeforeAttempts: false,
    // One model (every direct `provider/model` call): its attempt with retries is the whole run, with
    // no candidate list or ordering frame (a single candidate's order never changes).
    run: (context) => {
      const candidates = models.map((id) => context.candidate(id))
      return candidates.length === 1 ? attemptWithRetries(context, candidates[0]!, options) : tryInOrder(context, candidates, options)
    },
  }
}
