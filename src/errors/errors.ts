import type { Attempt } from '../spec/response.js'

export interface ErrorDetails {
  provider?: string
  model?: string
  status?: number
  retryable?: boolean
  /** Milliseconds the provider asked us to wait before trying again. */
  retryAfterMs?: number
  cause?: unknown
}

/** Base class of every error Switchyard throws. `code` is stable; branch on it or on `instanceof`. */
export class SwitchyardError extends Error {
  readonly code: string = 'switchyard_error'
  readonly provider?: string
  readonly model?: string
  readonly status?: number
  /** Whether trying the same call again may succeed. */
  readonly retryable: boolean
  readonly retryAfterMs?: number

  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = new.target.name
    this.provider = details.provider
    this.model = details.model
    this.status = details.status
    this.retryable = details.retryable ?? false
    this.retryAfterMs = details.retryAfterMs
  }

  /** JSON form for logs and events; it never contains the cause's raw request (and so no key). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      provider: this.provider,
      model: this.model,
      status: this.status,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
    }
  }
}

/** The router is configured wrongly. Thrown by `createRouter()`, never mid-call. */
export class ConfigurationError extends SwitchyardError {
  override readonly code: string = 'configuration_error'
}

/** The request is malformed or the provider rejected it as such (400/404/413/422). Not retried, no fallback. */
export class InvalidRequestError extends SwitchyardError {
  override readonly code: string = 'invalid_request'
}

/** A feature the request asks for that the chosen provider cannot do. */
export class UnsupportedFeatureError extends InvalidRequestError {
  override readonly code = 'unsupported_feature'
  readonly feature: string
  constructor(message: string, details: ErrorDetails & { feature: string }) {
    super(message, details)
    this.feature = details.feature
  }
}

/** A provider answered with an error. Subclasses narrow the cause. */
export class ProviderError extends SwitchyardError {
  override readonly code: string = 'provider_error'
}

export class RateLimitError extends ProviderError {
  override readonly code = 'rate_limited'
}

export class AuthenticationError extends ProviderError {
  override readonly code = 'authentication_failed'
}

/** The prompt plus output does not fit the model's context window. */
export class ContextLengthExceededError extends ProviderError {
  override readonly code = 'context_length_exceeded'
}

/** The provider refused to produce or return content under its safety policy. */
export class ContentFilteredError extends ProviderError {
  override readonly code = 'content_filtered'
}

/** An attempt did not finish within its `timeoutMs`. */
export class TimeoutError extends ProviderError {
  override readonly code = 'timeout'
}

/** The caller's AbortSignal fired. Never retried and never falls back. */
export class AbortedError extends SwitchyardError {
  override readonly code = 'aborted'
}

/** A stream failed after it had already produced output; the partial output is attached. */
export class StreamInterruptedError extends ProviderError {
  override readonly code = 'stream_interrupted'
  /** Text the stream produced before it failed. */
  readonly partialText: string
  /** Everything received before the failure, as OpenAI-shaped chunks. */
  readonly partialChunks: readonly unknown[]
  constructor(message: string, details: ErrorDetails & { partialText: string; partialChunks: readonly unknown[] }) {
    super(message, details)
    this.partialText = details.partialText
    this.partialChunks = details.partialChunks
  }
}

/** Every candidate of a route failed; `attempts` holds each try with its own error. */
export class AllCandidatesFailedError extends SwitchyardError {
  override readonly code = 'all_candidates_failed'
  readonly attempts: readonly Attempt[]
  constructor(message: string, attempts: readonly Attempt[]) {
    const last = attempts.at(-1)?.error
    super(message, { status: last?.status, retryable: attempts.some((attempt) => attempt.error?.retryable) })
    this.attempts = attempts
  }
}

/**
 * The call reached its limit of attempts (`createRouter({ callLimits: { maxAttemptsPerCall } })`): no
 * further provider call is made for it, whatever the strategy would still try.
 */
export class AttemptLimitError extends SwitchyardError {
  override readonly code = 'attempt_limit_reached'
}

/** A `ChatStream` was iterated a second time; each `router.stream()` call can be read once. */
export class StreamConsumedError extends SwitchyardError {
  override readonly code = 'stream_consumed'
}

/** A provider's official SDK is not installed. */
export class MissingDependencyError extends ConfigurationError {
  override readonly code = 'missing_dependency'
}

/**
 * A strategy broke its contract: it resolved with no attempt result, one of another operation or
 * one this call did not make, or it threw something that is not a `SwitchyardError`. A mistake
 * in the strategy's code, not a provider's failure: never retried, never a reason to fall back.
 */
export class StrategyError extends SwitchyardError {
  override readonly code = 'strategy_error'
  /** The `name` of the strategy at fault. */
  readonly strategy: string
  constructor(strategy: string, problem: string, details: ErrorDetails = {}) {
    super(`Strategy "${strategy}": ${problem}`, { status: 500, ...details, retryable: false })
    this.strategy = strategy
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), strategy: this.strategy }
  }
}
