import { ProviderError } from '../errors/errors.js'

/**
 * For a stream that closed cleanly without its end marker (`missing`): SDKs end such a stream
 * quietly, but it is a truncated answer, never a complete one, and worth another try.
 */
export function incompleteStreamError(provider: string, model: string, missing: string): ProviderError {
  return new ProviderError(`${provider}/${model}: the stream ended before ${missing}; the answer is incomplete.`, { provider, model, retryable: true })
}
