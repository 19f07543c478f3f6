import {
  AuthenticationError,
  ContentFilteredError,
  ContextLengthExceededError,
  InvalidRequestError,
  ProviderError,
  RateLimitError,
  TimeoutError,
  type SwitchyardError,
} from '../errors/errors.js'

const contextLengthPattern =
  /context.length|context window|maximum context|too many tokens|prompt is too long|input is too long|exceeds the maximum|token limit/i
const contentFilterPattern = /content.filter|content.policy|safety|responsibleai|moderation|blocked/i

export interface HttpFailure {
  provider: string
  model: string
  status: number | undefined
  /** The provider's message, already free of secrets. */
  message: string
  retryAfterMs?: number
  /** The provider's own error type or code (`overloaded_error`, `context_length_exceeded`, ...). */
  providerCode?: string
  cause?: unknown
}

/**
 * Maps an HTTP failure to the typed error hierarchy. Shared by every adapter, so one status means
 * the same thing whichever provider sent it.
 */
export function errorFromStatus(failure: HttpFailure): SwitchyardError {
  const { provider, model, status, retryAfterMs, cause } = failure
  const code = failure.providerCode ?? ''
  const text = `${code} ${failure.message}`
  const message = `${provider}/${model}: ${failure.message}${status ? ` (HTTP ${status})` : ''}`
  const details = { provider, model, status, retryAfterMs, cause }

  if (status === 401 || status === 403) return new AuthenticationError(message, { ...details, retryable: false })
  // The account cannot pay (billing, exhausted credit): retrying will not help, another provider may.
  if (status === 402) return new ProviderError(message, { ...details, retryable: false })
  if (status === 429) return new RateLimitError(message, { ...details, retryable: true })
  if (status === 408) return new TimeoutError(message, { ...details, retryable: true })
  if (status === 413 || contextLengthPattern.test(text)) {
    return new ContextLengthExceededError(message, { ...details, retryable: false })
  }
  if (status !== undefined && status >= 400 && status < 500 && contentFilterPattern.test(text)) {
    return new ContentFilteredError(message, { ...details, retryable: false })
  }
  if (status !== undefined && status >= 400 && status < 500 && status !== 409) {
    return new InvalidRequestError(message, { ...details, retryable: false })
  }
  // 409 conflicts, 5xx (Anthropic's 529 "overloaded" included) and connection failures are transient.
  return new ProviderError(message, { ...details, retryable: true })
}
