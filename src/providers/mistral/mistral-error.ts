import { AbortedError, InvalidRequestError, ProviderError, SwitchyardError, TimeoutError } from '../../errors/errors.js'
import { errorFromStatus } from '../../provider-kit/error-from-status.js'
import { redactedErrorCopy, redactSecrets } from '../../provider-kit/redact.js'
import { retryAfterFromHeaders } from '../../provider-kit/retry-after.js'
import type { SdkErrorContext } from '../../provider-kit/sdk-error.js'

/** What a `MistralError` (and its `SDKError` / `HTTPValidationError` subclasses) carries. */
interface MistralErrorShape {
  name?: string
  message?: string
  statusCode?: number
  headers?: Headers
  /** The raw response body text. */
  body?: string
}

export interface MistralErrorContext extends SdkErrorContext {
  /** The call's signal: fetch rethrows whatever reason it was aborted with. */
  signal: AbortSignal
}

function describeValidationDetail(detail: unknown): string | undefined {
  if (typeof detail === 'string') return detail
  if (!Array.isArray(detail)) return undefined
  return detail
    .map((item: { loc?: unknown[]; msg?: string }) => (item.loc ? `${item.loc.join('.')}: ${item.msg ?? ''}` : (item.msg ?? JSON.stringify(item))))
    .join('; ')
}

/**
 * The provider's own message and code from an error body: `{ message, type, code }` for most errors,
 * `{ detail: [{ loc, msg }] }` for 422 validation errors. Bodies that are not JSON are used as text.
 */
function readErrorBody(body: string | undefined): { message?: string; code?: string } {
  if (!body) return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return { message: body.slice(0, 500) }
  }
  if (!parsed || typeof parsed !== 'object') return { message: String(parsed) }
  const record = parsed as { message?: unknown; detail?: unknown; type?: unknown; code?: unknown }
  // A 422 puts its field errors in `detail`, at the top or inside `message`.
  const nested = record.message && typeof record.message === 'object' ? describeValidationDetail((record.message as { detail?: unknown }).detail) : undefined
  const message =
    typeof record.message === 'string' ? record.message : (nested ?? describeValidationDetail(record.detail) ?? (record.message !== undefined ? JSON.stringify(record.message) : undefined))
  const code = typeof record.type === 'string' ? record.type : typeof record.code === 'string' ? record.code : undefined
  return { message, code }
}

/** The SDK error, keys masked: its messages quote the whole response body. */
function sanitizedCause(raw: unknown, secrets: readonly (string | undefined)[]): unknown {
  if (!(raw instanceof Error)) return raw
  const source = raw as Error & MistralErrorShape
  return redactedErrorCopy(source, source.name, { statusCode: source.statusCode, body: source.body }, secrets)
}

/**
 * Maps an error thrown by `@mistralai/mistralai` (a Speakeasy SDK: HTTP failures carry `statusCode`,
 * `headers` and the body text; transport failures are named classes) to the typed hierarchy.
 * Duck-typed, so the SDK module is not needed to check it.
 */
export function errorFromMistral(raw: unknown, context: MistralErrorContext): SwitchyardError {
  if (raw instanceof SwitchyardError) return raw
  const { provider, model } = context
  const cause = sanitizedCause(raw, context.secrets)
  const details = { provider, model, cause }
  const error = (raw ?? {}) as MistralErrorShape
  // The signal may carry any reason, which fetch rethrows as is; the signal itself is the truth.
  if (context.signal.aborted || error.name === 'RequestAbortedError' || error.name === 'AbortError') {
    return new AbortedError(`${provider}/${model}: the request was aborted.`, details)
  }
  if (error.name === 'RequestTimeoutError' || error.name === 'TimeoutError') {
    return new TimeoutError(`${provider}/${model}: the request timed out.`, { ...details, retryable: true })
  }
  if (error.name === 'SDKValidationError' || error.name === 'InvalidRequestError') {
    // The SDK rejected the request before sending it: retrying or falling back would not fix it.
    const message = redactSecrets(error.message ?? String(raw), context.secrets)
    return new InvalidRequestError(`${provider}/${model}: the Mistral SDK rejected the request: ${message}`, details)
  }
  const httpFailure = typeof error.statusCode === 'number' && error.statusCode >= 400
  // A 2xx body the SDK could not read. (An error body it could not read still has its HTTP status.)
  if (error.name === 'ResponseValidationError' && !httpFailure) {
    const message = redactSecrets(error.message ?? String(raw), context.secrets)
    return new ProviderError(`${provider}/${model}: Mistral returned a response the SDK could not read: ${message}`, { ...details, retryable: true })
  }
  if (!httpFailure) {
    const message = redactSecrets(error.message ?? String(raw), context.secrets)
    // Connection failures (DNS, reset, refused) are worth another try.
    return new ProviderError(`${provider}/${model}: ${message}`, { ...details, retryable: error.name === 'ConnectionError' })
  }
  const body = readErrorBody(error.body)
  return errorFromStatus({
    provider,
    model,
    status: error.statusCode,
    message: redactSecrets(body.message ?? error.message ?? 'request failed', context.secrets),
    providerCode: body.code,
    retryAfterMs: retryAfterFromHeaders(error.headers),
    cause,
  })
}
