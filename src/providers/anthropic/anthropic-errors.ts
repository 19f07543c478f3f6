import { ProviderError, type SwitchyardError } from '../../errors/errors.js'
import { errorFromStatus } from '../../provider-kit/error-from-status.js'
import { redactedErrorCopy, redactSecrets } from '../../provider-kit/redact.js'
import { classifyProviderError, type ProviderErrorContext } from '../../provider-kit/classify-provider-error.js'

// The status each Anthropic error type is sent with. A stream that fails after its HTTP 200 only
// carries the type, so this gives it the same meaning (and retry decision) as the HTTP error.
const statusByErrorType: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
}

/** An `error` event in the middle of a stream, for clients that yield it instead of throwing. */
export class AnthropicStreamErrorEvent extends Error {
  override readonly name = 'AnthropicStreamErrorEvent'
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message)
  }
}

/** The connection broke while a stream was being read (reset, closed socket). */
export class StreamConnectionLost extends Error {
  override readonly name = 'StreamConnectionLost'
}

interface StreamErrorShape {
  name?: string
  status?: unknown
  type?: unknown
  message?: string
  error?: { error?: { type?: string; message?: string } }
}

/**
 * Maps what the Anthropic SDK throws to the typed errors. HTTP errors go through the shared
 * Stainless mapping; a mid-stream `error` event (no status, only a type such as
 * `overloaded_error`) is mapped by its type.
 */
export function errorFromAnthropic(raw: unknown, context: ProviderErrorContext): SwitchyardError {
  // Kept as `cause`, which loggers print: masked like every other text from the provider.
  const cause = () => (raw instanceof Error ? redactedErrorCopy(raw, raw.name, { type: (raw as StreamErrorShape).type }, context.secrets ?? []) : raw)
  if (raw instanceof StreamConnectionLost) {
    const message = redactSecrets(raw.message, context.secrets ?? [])
    return new ProviderError(`${context.provider}/${context.model}: ${message}`, { provider: context.provider, model: context.model, retryable: true, cause: cause() })
  }
  const shape = (typeof raw === 'object' && raw !== null ? raw : {}) as StreamErrorShape
  const type = typeof shape.type === 'string' ? shape.type : shape.error?.error?.type
  const status = type === undefined ? undefined : statusByErrorType[type]
  if (typeof shape.status !== 'number' && status !== undefined) {
    const providerMessage = shape.error?.error?.message ?? shape.message ?? type
    return errorFromStatus({
      provider: context.provider,
      model: context.model,
      status,
      message: `stream error: ${redactSecrets(providerMessage ?? 'unknown error', context.secrets ?? [])}`,
      providerCode: type,
      cause: cause(),
    })
  }
  return classifyProviderError(raw, context)
}
