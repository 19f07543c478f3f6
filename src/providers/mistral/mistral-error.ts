import { AbortedError, InvalidRequestError, ProviderError, SwitchyardError, TimeoutError } from '../../errors/errors.js'
import { classifyProviderError, sanitizedCause, type ProviderErrorContext } from '../../provider-kit/classify-provider-error.js'
import { redactSecrets } from '../../provider-kit/redact.js'

export interface MistralErrorContext extends ProviderErrorContext {
  /** The call's signal: fetch rethrows whatever reason it was aborted with. */
  signal: AbortSignal
}

/**
 * Maps an error thrown by `@mistralai/mistralai` to the typed hierarchy. The Speakeasy SDK names
 * its errors with string literals (`this.name = "ConnectionError"`), so they survive minification;
 * HTTP failures (`statusCode`, `headers`, the body text) go through the kit's shape classifier.
 */
export function errorFromMistral(raw: unknown, context: MistralErrorContext): SwitchyardError {
  if (SwitchyardError.isInstance(raw)) return raw
  const { provider, model } = context
  const secrets = context.secrets ?? []
  const error = (raw ?? {}) as { name?: string; message?: string; statusCode?: number }
  const details = () => ({ provider, model, cause: sanitizedCause(raw, secrets) })
  const message = () => redactSecrets(error.message ?? String(raw), secrets)
  // The signal may carry any reason, which fetch rethrows as is; the signal itself is the truth.
  if (context.signal.aborted || error.name === 'RequestAbortedError' || error.name === 'AbortError') {
    return new AbortedError(`${provider}/${model}: the request was aborted.`, details())
  }
  if (error.name === 'RequestTimeoutError') {
    return new TimeoutError(`${provider}/${model}: the request timed out.`, { ...details(), retryable: true })
  }
  if (error.name === 'SDKValidationError' || error.name === 'InvalidRequestError') {
    // The SDK rejected the request before sending it: retrying or falling back would not fix it.
    return new InvalidRequestError(`${provider}/${model}: the Mistral SDK rejected the request: ${message()}`, details())
  }
  const httpFailure = typeof error.statusCode === 'number' && error.statusCode >= 400
  // A 2xx body the SDK could not read is a malformed success. (An error body it could not read still has its HTTP status.)
  if (error.name === 'ResponseValidationError' && !httpFailure) {
    return new ProviderError(`${provider}/${model}: Mistral returned a response the SDK could not read: ${message()}`, { ...details(), retryable: true })
  }
  if (!httpFailure && error.name === 'ConnectionError') {
    return new ProviderError(`${provider}/${model}: ${message()}`, { ...details(), retryable: true })
  }
  return classifyProviderError(raw, context)
}
