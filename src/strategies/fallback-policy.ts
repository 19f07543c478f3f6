import { AbortedError, AttemptLimitError, hasErrorCode, InvalidRequestError, SwitchyardError, UnsupportedFeatureError } from '../errors/errors.js'

/**
 * Whether a failed candidate should hand over to the next one. Rate limits, 5xx, timeouts,
 * authentication, context length and content filtering all move on; a plain invalid request would
 * fail the same way everywhere, an abort means the caller has stopped listening, and a call that
 * used up its attempts may start no more. A budget or cost cap that refuses one candidate may
 * still fit a cheaper one, so those move on too.
 */
export function shouldTryNextCandidate(error: unknown): boolean {
  if (error instanceof AbortedError || error instanceof AttemptLimitError) return false
  if (error instanceof UnsupportedFeatureError || hasErrorCode(error, 'budget_exceeded') || hasErrorCode(error, 'cost_cap_exceeded')) return true
  if (error instanceof InvalidRequestError) return false
  return error instanceof SwitchyardError
}
