import { AbortedError, AuthenticationError, InvalidRequestError, ProviderError, SwitchyardError } from '../../errors/errors.js'
import { errorFromStatus } from '../../provider-kit/error-from-status.js'
import { redactSecrets } from '../../provider-kit/redact.js'
import type { ProviderErrorContext } from '../../provider-kit/classify-provider-error.js'

/** Google's JSON error body: `{ error: { code, message, status, details } }`. */
interface GoogleErrorBody {
  error?: {
    code?: number
    message?: string
    status?: string
    details?: Array<{ '@type'?: string; retryDelay?: string; reason?: string }>
  }
}

/** Masks keys, including a `key=` query parameter if a URL is echoed. */
function clean(text: string, secrets: readonly (string | undefined)[]): string {
  return redactSecrets(text, secrets).replace(/([?&]key=)[^&\s"'\\]+/gi, '$1[redacted]')
}

/**
 * The SDK's `ApiError` message is the JSON error body (for a stream, after a `got status: ...` prefix).
 */
function parseBody(message: string): GoogleErrorBody | undefined {
  const start = message.indexOf('{')
  if (start < 0) return undefined
  try {
    const body = JSON.parse(message.slice(start)) as GoogleErrorBody
    return typeof body === 'object' && body !== null ? body : undefined
  } catch {
    return undefined
  }
}

/** A 429 says how long to wait in a `google.rpc.RetryInfo` detail: `retryDelay: "34.4s"`. */
function retryAfterFromGoogleBody(body: GoogleErrorBody | undefined): number | undefined {
  for (const detail of body?.error?.details ?? []) {
    if (!detail['@type']?.endsWith('google.rpc.RetryInfo') || typeof detail.retryDelay !== 'string') continue
    const seconds = /^(\d+(?:\.\d+)?)s$/.exec(detail.retryDelay.trim())?.[1]
    if (seconds !== undefined) return Math.round(Number(seconds) * 1000)
  }
  return undefined
}

/**
 * Gemini answers a bad, expired or blocked key with HTTP 400 and an `ErrorInfo` detail whose reason
 * names the key (`API_KEY_INVALID`), not with 401.
 */
function isKeyRejection(body: GoogleErrorBody | undefined): boolean {
  return (body?.error?.details ?? []).some((detail) => detail['@type']?.endsWith('google.rpc.ErrorInfo') && /^API_KEY_/.test(detail.reason ?? ''))
}

// Thrown by the SDK itself, before any request, for parameters the Gemini API does not take.
const sdkArgumentErrorPattern = /only supported in|not supported|is required|must be|please provide/i

/** Replaces the raw error as `cause` when its text carries a key. */
function safeCause(raw: unknown, text: string, secrets: readonly (string | undefined)[]): unknown {
  return clean(text, secrets ?? []) === text ? raw : new Error(clean(text, secrets ?? []))
}

/**
 * Maps an error thrown by `@google/genai` to the typed hierarchy. The SDK throws `ApiError`
 * (`status` + the JSON body as message) for HTTP failures and plain errors for everything else.
 * Duck-typed, so the SDK module is not needed to check it.
 */
export function errorFromGoogle(raw: unknown, context: ProviderErrorContext): SwitchyardError {
  if (raw instanceof SwitchyardError) return raw
  const { provider, model, secrets } = context
  const error = (raw ?? {}) as { name?: string; message?: string; status?: number }
  const text = typeof error.message === 'string' ? error.message : String(raw)
  const cause = safeCause(raw, text, secrets ?? [])
  if (error.name === 'AbortError') {
    return new AbortedError(`${provider}/${model}: the request was aborted.`, { provider, model, cause })
  }
  if (typeof error.status !== 'number') {
    const message = `${provider}/${model}: ${clean(text, secrets ?? [])}`
    if (sdkArgumentErrorPattern.test(text) && !(raw instanceof TypeError)) {
      return new InvalidRequestError(message, { provider, model, cause })
    }
    // Connection failures (DNS, reset, refused) and broken streams are worth another try.
    return new ProviderError(message, { provider, model, cause, retryable: true })
  }
  const body = parseBody(text)
  const message = clean(body?.error?.message ?? text, secrets ?? [])
  if (isKeyRejection(body)) {
    return new AuthenticationError(`${provider}/${model}: ${message} (HTTP ${error.status})`, { provider, model, status: error.status, cause, retryable: false })
  }
  return errorFromStatus({
    provider,
    model,
    status: error.status,
    message,
    providerCode: body?.error?.status,
    retryAfterMs: retryAfterFromGoogleBody(body),
    cause,
  })
}
