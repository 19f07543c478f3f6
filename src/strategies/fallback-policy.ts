import { AbortedError, InvalidRequestError, SwitchyardError, UnsupportedFeatureError } from '../errors/errors.js'

/**
 * Whether a failed candidate should hand over to the next one. Rate limits, 5xx, timeouts,
 * authentication, context length and content filtering all move on; a plain invalid request would
 * fail the same way everywhere, and an abort means the caller has stopped listening.
 */
export function shouldTryNextCandidate(error: unknown): boolean {
  if (error instanceof AbortedError) return false
  if (error instanceof UnsupportedFeatureError) return true
  if (error instanceof InvalidRequestError) return false
  return error instanceof SwitchyardError
}
