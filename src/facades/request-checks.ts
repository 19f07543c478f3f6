/**
 * Checks both dialects make on a wire request before it becomes canonical. The router validates
 * the canonical request again; these catch what the translation itself would otherwise mangle
 * (a spread string, a marker that is not an object) and name the field as the client sent it.
 */
import { InvalidRequestError } from '../errors/errors.js'

/** A 400 that each endpoint reports in its own dialect's error body. */
export function invalidRequest(message: string): never {
  throw new InvalidRequestError(`Invalid request: ${message}`, { status: 400 })
}

export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** `stream` decides the response's shape, so a value that is not a boolean must not be read as true. */
export function checkStreamFlag(stream: unknown): void {
  if (stream !== undefined && stream !== null && typeof stream !== 'boolean') invalidRequest('`stream` must be true or false.')
}

/**
 * The caller's `provider_options` plus a dialect's fields that have no canonical home, placed
 * under `providerId` so that only that provider receives them. The caller's own entries win.
 */
export function withForwardedFields(providerOptions: unknown, providerId: string, forwarded: Record<string, unknown>): Record<string, Record<string, unknown>> | undefined {
  if (providerOptions === undefined) return Object.keys(forwarded).length > 0 ? { [providerId]: forwarded } : undefined
  if (!isObject(providerOptions)) invalidRequest('`provider_options` must be an object keyed by provider id.')
  const own = providerOptions[providerId]
  if (own !== undefined && !isObject(own)) invalidRequest(`\`provider_options.${providerId}\` must be an object of ${providerId} request fields.`)
  const options = providerOptions as Record<string, Record<string, unknown>>
  return Object.keys(forwarded).length > 0 ? { ...options, [providerId]: { ...forwarded, ...own } } : options
}
