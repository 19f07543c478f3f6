import type { SwitchyardError } from '../errors/errors.js'
import { classifyProviderError, type ProviderErrorContext } from './classify-provider-error.js'

/**
 * The typed error for a failed `fetch` response, for adapters that talk HTTP themselves: reads the
 * body (JSON or text) and hands status, headers and body to the kit's classifier, so 429 carries
 * its retry-after, 5xx is retryable, 401/403 is an authentication failure, and keys are masked.
 */
export async function errorFromResponse(response: Response, context: ProviderErrorContext): Promise<SwitchyardError> {
  const body = await response.text().catch(() => '')
  return classifyProviderError({ status: response.status, headers: response.headers, body, message: response.statusText || `HTTP ${response.status}` }, context)
}
