import { abortable } from '../../core/abortable.js'
import { ProviderError, type SwitchyardError } from '../../core/errors.js'
import { errorFromStatus } from '../shared/error-from-status.js'
import { redactSecrets } from '../shared/redact.js'
import { errorFromSdk, type SdkErrorContext } from '../shared/sdk-error.js'

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

function isProviderOrAbortError(error: unknown): boolean {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as { name?: string; status?: unknown; type?: unknown }
  return (
    typeof shape.status === 'number' ||
    typeof shape.type === 'string' ||
    shape.name === 'APIUserAbortError' ||
    shape.name === 'AbortError' ||
    error instanceof AnthropicStreamErrorEvent
  )
}

/**
 * Passes the SDK's stream events through, marking a failure to read the next one (that is not an
 * API error or an abort) as a lost connection: worth another try, unlike a bug in our own code.
 * Each read also ends when `signal` fires, even where the transport (a custom `fetch`) would not
 * cancel a response body that is already streaming.
 */
export async function* guardStreamTransport<Event>(events: AsyncIterable<Event>, signal: AbortSignal): AsyncGenerator<Event> {
  const iterator = events[Symbol.asyncIterator]()
  let finished = false
  try {
    while (true) {
      let next: IteratorResult<Event>
      try {
        next = await abortable(iterator.next(), signal)
      } catch (error) {
        if (signal.aborted) throw error
        finished = true
        if (isProviderOrAbortError(error)) throw error
        throw new StreamConnectionLost(`the connection broke mid-stream: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
      }
      if (next.done) {
        finished = true
        return
      }
      yield next.value
    }
  } finally {
    // Stopping early (the consumer left, or an abort) releases the SDK's connection. Not awaited:
    // after an abort a read may still be pending, and return() would wait for it.
    if (!finished) void iterator.return?.()?.catch(() => {})
  }
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
export function errorFromAnthropic(raw: unknown, context: SdkErrorContext): SwitchyardError {
  if (raw instanceof StreamConnectionLost) {
    const message = redactSecrets(raw.message, context.secrets)
    return new ProviderError(`${context.provider}/${context.model}: ${message}`, { provider: context.provider, model: context.model, retryable: true, cause: raw })
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
      message: `stream error: ${redactSecrets(providerMessage ?? 'unknown error', context.secrets)}`,
      providerCode: type,
      cause: raw,
    })
  }
  return errorFromSdk(raw, context)
}
