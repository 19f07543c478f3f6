import { AbortedError, ProviderError, SwitchyardError, TimeoutError } from '../errors/errors.js'
import { errorFromStatus } from './error-from-status.js'
import { redactedErrorCopy, redactSecrets } from './redact.js'
import { retryAfterFromHeaders } from './retry-after.js'

interface SdkErrorShape {
  name?: string
  message?: string
  status?: number
  headers?: Headers | Record<string, string>
  /** The parsed error body. OpenAI: `{ message, type, code }`; Anthropic: `{ type, error: { type, message } }`. */
  error?: { message?: string; type?: string; code?: string; error?: { type?: string; code?: string; message?: string } }
}

/** What every adapter's error mapping needs to name the failure and keep its key out of it. */
export interface SdkErrorContext {
  provider: string
  model: string
  /** The adapter's own key, masked even if a provider echoes it back. */
  secrets: readonly (string | undefined)[]
}

/**
 * The SDK error's kind. Stainless SDKs leave `name` as "Error" on their subclasses, so the class
 * name is the reliable signal (SDKs are not bundled by us, so class names are not minified).
 */
function errorKind(error: unknown): string {
  if (!(error instanceof Error)) return ''
  return error.name !== 'Error' ? error.name : error.constructor.name
}

/** The SDK error, keys masked, with the fields worth keeping for debugging. */
function sanitizedCause(raw: unknown, secrets: readonly (string | undefined)[]): unknown {
  if (typeof raw === 'string') return redactSecrets(raw, secrets)
  if (!(raw instanceof Error)) return raw
  const source = raw as Error & SdkErrorShape & { requestID?: string }
  return redactedErrorCopy(source, errorKind(source), { status: source.status, requestID: source.requestID, error: source.error }, secrets)
}

/**
 * Maps an error thrown by a Stainless-generated SDK (`openai`, `@anthropic-ai/sdk`, `groq-sdk` all
 * share the shape) to the typed hierarchy. Duck-typed, so the SDK module is not needed to check it.
 */
export function errorFromSdk(raw: unknown, context: SdkErrorContext): SwitchyardError {
  if (raw instanceof SwitchyardError) return raw
  const error = (raw ?? {}) as SdkErrorShape
  const { provider, model } = context
  const cause = sanitizedCause(raw, context.secrets)
  const details = { provider, model, cause }
  const kind = errorKind(raw)
  if (kind === 'APIUserAbortError' || kind === 'AbortError') {
    return new AbortedError(`${provider}/${model}: the request was aborted.`, details)
  }
  if (kind === 'APIConnectionTimeoutError') {
    return new TimeoutError(`${provider}/${model}: the request timed out.`, { ...details, retryable: true })
  }
  if (typeof error.status !== 'number') {
    const message = redactSecrets(error.message ?? String(raw), context.secrets)
    // Connection failures (DNS, reset, refused) are worth another try.
    return new ProviderError(`${provider}/${model}: ${message}`, { ...details, retryable: kind === 'APIConnectionError' })
  }
  const body = error.error
  // Both the type and the code: Groq says `context_length_exceeded` only in the nested code.
  const providerCode = [body?.error?.type, body?.error?.code, body?.code, body?.type].filter(Boolean).join(' ') || undefined
  const message = redactSecrets(body?.error?.message ?? body?.message ?? error.message ?? 'request failed', context.secrets)
  return errorFromStatus({
    provider,
    model,
    status: error.status,
    message,
    providerCode,
    retryAfterMs: retryAfterFromHeaders(error.headers),
    cause,
  })
}
