import { AbortedError, ProviderError, SwitchyardError, TimeoutError } from '../errors/errors.js'
import { errorBodyOf } from './error-body.js'
import { errorFromStatus } from './error-from-status.js'
import { isAbortFailure, isConnectionFailure, isTimeoutFailure, shapeOf, statusOf } from './failure-shape.js'
import { redactedErrorCopy, redactSecrets } from './redact.js'
import { retryAfterFromBody, retryAfterFromHeaders, type HeaderSource } from './retry-after.js'

/** What an adapter's error mapping needs to name the failure and keep its key out of it. */
export interface ProviderErrorContext {
  provider: string
  model: string
  /** The adapter's own key (and any other secret it holds), masked even if a provider echoes it back. */
  secrets?: readonly (string | undefined)[]
  /** The call's signal: once it has fired, whatever the transport threw means "aborted". */
  signal?: AbortSignal
}

/** The thrown value, keys masked, with the fields worth keeping for debugging; kept as `cause`. */
export function sanitizedCause(raw: unknown, secrets: readonly (string | undefined)[] = []): unknown {
  if (typeof raw === 'string') return redactSecrets(raw, secrets)
  if (!(raw instanceof Error)) return raw
  const shape = raw as Error & { status?: unknown; statusCode?: unknown; requestID?: unknown; error?: unknown; body?: unknown; code?: unknown; type?: unknown }
  return redactedErrorCopy(raw, raw.name, { status: shape.status, statusCode: shape.statusCode, code: shape.code, type: shape.type, requestID: shape.requestID, error: shape.error, body: shape.body }, secrets)
}

/**
 * Turns whatever a provider call threw into the typed hierarchy, by shape alone (never by class
 * name, which minifiers change):
 *
 * - a Switchyard error is returned as is;
 * - an abort (the call's signal fired, or an `AbortError`) is an `AbortedError`;
 * - any value with a numeric `status` (or `statusCode`) is an HTTP failure: 429 → `RateLimitError`
 *   with `retryAfterMs` from its headers or body, 401/403 → `AuthenticationError`, 5xx retryable, ...;
 * - a client-side time limit is a retryable `TimeoutError`;
 * - a connection that failed or broke (`ECONNRESET`, `UND_ERR_SOCKET`, undici's `terminated`, ...,
 *   anywhere in the `cause` chain) is a retryable `ProviderError`;
 * - anything else is a non-retryable `ProviderError` (most likely a bug, which retrying would repeat).
 *
 * Provider text is masked (`secrets` and anything shaped like a key) before it reaches the message.
 */
export function classifyProviderError(raw: unknown, context: ProviderErrorContext): SwitchyardError {
  if (SwitchyardError.isInstance(raw)) return raw
  const { provider, model } = context
  const secrets = context.secrets ?? []
  const cause = sanitizedCause(raw, secrets)
  const details = { provider, model, cause }
  const shape = shapeOf(raw)
  const status = statusOf(raw)
  if (context.signal?.aborted || (status === undefined && isAbortFailure(raw))) {
    return new AbortedError(`${provider}/${model}: the request was aborted.`, details)
  }
  if (status !== undefined) {
    const body = errorBodyOf(raw)
    const ownMessage = typeof shape.message === 'string' && shape.message !== '' ? shape.message : undefined
    const message = redactSecrets(body.message ?? ownMessage ?? 'request failed', secrets)
    return errorFromStatus({
      provider,
      model,
      status,
      message,
      providerCode: body.providerCode,
      retryAfterMs: retryAfterFromHeaders(shape.headers as HeaderSource) ?? retryAfterFromBody(body.parsed, body.message),
      cause,
    })
  }
  const text = redactSecrets(typeof shape.message === 'string' ? shape.message : String(raw), secrets)
  if (isTimeoutFailure(raw)) return new TimeoutError(`${provider}/${model}: the request timed out.`, { ...details, retryable: true })
  // Connection failures (DNS, refused, reset, a body cut off mid-way) are worth another try.
  return new ProviderError(`${provider}/${model}: ${text}`, { ...details, retryable: isConnectionFailure(raw) })
}
