import type { Attempt } from '../spec/response.js'
import type { ErrorCode } from '../spec/error-code.js'
import { declaredErrorName, hasErrorLineage, switchyardErrorBrand, type BrandedErrorClass } from './error-brand.js'

export interface ErrorDetails {
  provider?: string
  model?: string
  status?: number
  retryable?: boolean
  /** Milliseconds the provider asked us to wait before trying again. */
  retryAfterMs?: number
  cause?: unknown
}

/**
 * Base class of every error Switchyard throws. `code` is stable; branch on it, on `instanceof` or on
 * the static `isInstance()` of any class. Both work across the ESM and CommonJS builds and in
 * minified bundles: each class declares its name (`errorName`, also its `name`) and every
 * instance carries the `Symbol.for('switchyard.error')` brand.
 */
export class SwitchyardError extends Error {
  /** The class's name as written here, so it survives minification. Each subclass declares its own. */
  static readonly errorName: string = 'SwitchyardError'
  readonly code: ErrorCode = 'switchyard_error'
  readonly provider?: string
  readonly model?: string
  readonly status?: number
  /** Whether trying the same call again may succeed. */
  readonly retryable: boolean
  readonly retryAfterMs?: number

  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = (new.target as unknown as BrandedErrorClass).errorName
    this.provider = details.provider
    this.model = details.model
    this.status = details.status
    this.retryable = details.retryable ?? false
    this.retryAfterMs = details.retryAfterMs
  }

  /** The brand, on the prototype: `Symbol.for('switchyard.error')` is the same symbol in every build. */
  get [switchyardErrorBrand](): true {
    return true
  }

  /**
   * Whether `value` is an error of this class (or a subclass), created by any copy of Switchyard in
   * the process: the ESM build, the CommonJS build, or a bundle. A subclass that declares no
   * `errorName` of its own is checked with the ordinary prototype test.
   */
  static isInstance<Instance>(this: abstract new (...args: never[]) => Instance, value: unknown): value is Instance {
    const name = declaredErrorName(this)
    return name === undefined ? Function.prototype[Symbol.hasInstance].call(this, value) : hasErrorLineage(value, name)
  }

  /** `instanceof` answers like `isInstance()`, so it too works across builds. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return (this as unknown as typeof SwitchyardError).isInstance(value)
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

/**
 * Whether `error` is a Switchyard error with this `code`. Core code branches on codes rather than on
 * the classes of optional features (budgets, cost caps), so a bundle without those features does not
 * carry their classes.
 */
export function hasErrorCode<Code extends ErrorCode>(error: unknown, code: Code): error is SwitchyardError & { readonly code: Code } {
  return error instanceof SwitchyardError && error.code === code
}

/** The router is configured wrongly. Thrown by `createRouter()`, never mid-call. */
export class ConfigurationError extends SwitchyardError {
  static override readonly errorName: string = 'ConfigurationError'
  override readonly code: ErrorCode = 'configuration_error'
}

/** The request is malformed or the provider rejected it as such (400/404/413/422). Not retried, no fallback. */
export class InvalidRequestError extends SwitchyardError {
  static override readonly errorName: string = 'InvalidRequestError'
  override readonly code: ErrorCode = 'invalid_request'
}

/** A feature the request asks for that the chosen provider cannot do. */
export class UnsupportedFeatureError extends InvalidRequestError {
  static override readonly errorName: string = 'UnsupportedFeatureError'
  override readonly code = 'unsupported_feature'
  readonly feature: string
  constructor(message: string, details: ErrorDetails & { feature: string }) {
    super(message, details)
    this.feature = details.feature
  }
}

/** A provider answered with an error. Subclasses narrow the cause. */
export class ProviderError extends SwitchyardError {
  static override readonly errorName: string = 'ProviderError'
  override readonly code: ErrorCode = 'provider_error'
}

export class RateLimitError extends ProviderError {
  static override readonly errorName: string = 'RateLimitError'
  override readonly code = 'rate_limited'
}

export class AuthenticationError extends ProviderError {
  static override readonly errorName: string = 'AuthenticationError'
  override readonly code = 'authentication_failed'
}

/** The prompt plus output does not fit the model's context window. */
export class ContextLengthExceededError extends ProviderError {
  static override readonly errorName: string = 'ContextLengthExceededError'
  override readonly code = 'context_length_exceeded'
}

/** The provider refused to produce or return content under its safety policy. */
export class ContentFilteredError extends ProviderError {
  static override readonly errorName: string = 'ContentFilteredError'
  override readonly code = 'content_filtered'
}

/** An attempt did not finish within its `timeoutMs`. */
export class TimeoutError extends ProviderError {
  static override readonly errorName: string = 'TimeoutError'
  override readonly code = 'timeout'
}

/** The caller's AbortSignal fired. Never retried and never falls back. */
export class AbortedError extends SwitchyardError {
  static override readonly errorName: string = 'AbortedError'
  override readonly code = 'aborted'
}

/** A stream failed after it had already produced output; the partial output is attached. */
export class StreamInterruptedError extends ProviderError {
  static override readonly errorName: string = 'StreamInterruptedError'
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
  static override readonly errorName: string = 'AllCandidatesFailedError'
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
  static override readonly errorName: string = 'AttemptLimitError'
  override readonly code = 'attempt_limit_reached'
}

/** A `ChatStream` was iterated a second time; each `router.stream()` call can be read once. */
export class StreamConsumedError extends SwitchyardError {
  static override readonly errorName: string = 'StreamConsumedError'
  override readonly code = 'stream_consumed'
}

/**
 * A provider's official SDK is not installed, or a file of Switchyard's own build that it imports on
 * first use (a facade's or an adapter's code) cannot be loaded.
 */
export class MissingDependencyError extends ConfigurationError {
  static override readonly errorName: string = 'MissingDependencyError'
  override readonly code = 'missing_dependency'
}

/**
 * A strategy broke its contract: it resolved with no attempt result, one of another operation or
 * one this call did not make, or it threw something that is not a `SwitchyardError`. A mistake
 * in the strategy's code, not a provider's failure: never retried, never a reason to fall back.
 */
export class StrategyError extends SwitchyardError {
  static override readonly errorName: string = 'StrategyError'
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
