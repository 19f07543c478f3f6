import { AbortedError, ProviderError, SwitchyardError, TimeoutError } from '../../core/errors.js'
import { errorFromStatus } from './error-from-status.js'
import { redactSecrets } from './redact.js'
import { retryAfterFromHeaders } from './retry-after.js'

interface SdkErrorShape {
  name?: string
  message?: string
  status?: number
  headers?: Headers | Record<string, string>
  /** The parsed error body. OpenAI: `{ message, type, code }`; Anthropic: `{ type, error: { type, message } }`. */
  error?: { message?: string; type?: string; code?: string; error?: { type?: string; message?: string } }
}

export interface SdkErrorContext {
  provider: string
  model: string
  /** The adapter's own key, masked even if a provider echoes it back. */
  secrets: readonly (string | undefined)[]
}

/**
 * Maps an error thrown by a Stainless-generated SDK (`openai`, `@anthropic-ai/sdk`, `groq-sdk` all
 * share the shape) to the typed hierarchy. Duck-typed, so the SDK module is not needed to check it.
 */
export function errorFromSdk(raw: unknown, context: SdkErrorContext): SwitchyardError {
  if (raw instanceof SwitchyardError) return raw
  const error = (raw ?? {}) as SdkErrorShape
  const { provider, model } = context
  const details = { provider, model, cause: raw }
  if (error.name === 'APIUserAbortError' || error.name === 'AbortError') {
    return new AbortedError(`${provider}/${model}: the request was aborted.`, details)
  }
  if (error.name === 'APIConnectionTimeoutError') {
    return new TimeoutError(`${provider}/${model}: the request timed out.`, { ...details, retryable: true })
  }
  if (typeof error.status !== 'number') {
    const message = redactSecrets(error.message ?? String(raw), context.secrets)
    // Connection failures (DNS, reset, refused) are worth another try.
    return new ProviderError(`${provider}/${model}: ${message}`, { ...details, retryable: error.name === 'APIConnectionError' })
  }
  const body = error.error
  const providerCode = body?.error?.type ?? body?.code ?? body?.type
  const message = redactSecrets(body?.error?.message ?? body?.message ?? error.message ?? 'request failed', context.secrets)
  return errorFromStatus({
    provider,
    model,
    status: error.status,
    message,
    providerCode: providerCode ?? undefined,
    retryAfterMs: retryAfterFromHeaders(error.headers),
    cause: raw,
  })
}
