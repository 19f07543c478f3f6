import {
  AbortedError,
  AllCandidatesFailedError,
  AttemptLimitError,
  AuthenticationError,
  ConfigurationError,
  ContentFilteredError,
  ContextLengthExceededError,
  hasErrorCode,
  InvalidRequestError,
  ProviderError,
  RateLimitError,
  SwitchyardError,
  TimeoutError,
} from '../errors/errors.js'

/** An error as an HTTP endpoint reports it, before it takes a dialect's shape. */
export interface HttpFailure {
  status: number
  message: string
  /** Our stable error code (`rate_limited`, `invalid_request`, ...), or an HTTP-level one (`unknown_url`). */
  code: string
  retryAfterMs?: number
  /** Whether the client may usefully send the same request again (sent as `x-should-retry`). */
  retryable: boolean
}

const overloadedStatuses = new Set([503, 529])

function statusOfError(error: SwitchyardError): number {
  if (error instanceof RateLimitError || hasErrorCode(error, 'budget_exceeded')) return 429
  if (hasErrorCode(error, 'cost_cap_exceeded')) return 402
  if (error instanceof AuthenticationError) return error.status === 403 ? 403 : 401
  if (error instanceof TimeoutError) return 504
  if (error instanceof ContextLengthExceededError || error instanceof ContentFilteredError) return 400
  if (error instanceof InvalidRequestError) return error.status !== undefined && error.status >= 400 && error.status < 500 ? error.status : 400
  if (error instanceof AbortedError) return 499
  if (error instanceof ConfigurationError) return 500
  if (error instanceof AttemptLimitError) return 502
  if (error instanceof ProviderError) return error.status !== undefined && overloadedStatuses.has(error.status) ? 503 : 502
  return 500
}

/** When every candidate failed the same way, the endpoint answers as that one failure would. */
function statusOfAllFailed(error: AllCandidatesFailedError): { status: number; retryAfterMs?: number } {
  const errors = error.attempts.map((attempt) => attempt.error).filter((item): item is SwitchyardError => item !== undefined)
  if (errors.length === 0) return { status: 502 }
  const statuses = errors.map(statusOfError)
  if (statuses.every((status) => status === statuses[0])) {
    const waits = errors.map((item) => item.retryAfterMs).filter((wait): wait is number => wait !== undefined)
    return { status: statuses[0]!, ...(waits.length > 0 ? { retryAfterMs: Math.min(...waits) } : {}) }
  }
  return { status: statuses.some((status) => status === 503) ? 503 : 502 }
}

/** Maps anything a routed call throws to a status and message. Unknown errors never leak their text. */
export function describeFailure(error: unknown): HttpFailure {
  if (error instanceof AllCandidatesFailedError) {
    return { ...statusOfAllFailed(error), message: error.message, code: error.code, retryable: error.retryable }
  }
  if (error instanceof SwitchyardError) {
    const status = statusOfError(error)
    const code = error instanceof InvalidRequestError && status === 404 ? 'model_not_found' : error.code
    const failure: HttpFailure = { status, message: error.message, code, retryable: error.retryable }
    if (error.retryAfterMs !== undefined) failure.retryAfterMs = error.retryAfterMs
    return failure
  }
  return { status: 500, message: 'The router failed unexpectedly (an internal error, not a provider error).', code: 'internal_error', retryable: false }
}

function openAIType(status: number): string {
  if (status === 401) return 'authentication_error'
  if (status === 403) return 'permission_error'
  if (status === 429) return 'rate_limit_error'
  if (status >= 500) return 'server_error'
  return 'invalid_request_error'
}

function anthropicType(status: number): string {
  switch (status) {
    case 401:
      return 'authentication_error'
    case 403:
      return 'permission_error'
    case 404:
      return 'not_found_error'
    case 413:
      return 'request_too_large'
    case 429:
      return 'rate_limit_error'
    case 503:
    case 529:
      return 'overloaded_error'
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error'
  }
}

export type Dialect = 'openai' | 'anthropic'

/** The error body each dialect's SDK parses: OpenAI `{ error: {...} }`, Anthropic `{ type: 'error', error: {...} }`. */
export function errorBody(dialect: Dialect, failure: HttpFailure): Record<string, unknown> {
  if (dialect === 'anthropic') return { type: 'error', error: { type: anthropicType(failure.status), message: failure.message } }
  const param = failure.code === 'model_not_found' ? 'model' : null
  return { error: { message: failure.message, type: openAIType(failure.status), param, code: failure.code } }
}

export function errorResponse(dialect: Dialect, failure: HttpFailure, headers: Record<string, string> = {}): Response {
  const responseHeaders: Record<string, string> = { 'content-type': 'application/json', 'x-should-retry': String(failure.retryable), ...headers }
  if (failure.retryAfterMs !== undefined) {
    responseHeaders['retry-after'] = String(Math.ceil(failure.retryAfterMs / 1000))
    responseHeaders['retry-after-ms'] = String(Math.ceil(failure.retryAfterMs))
  }
  return new Response(JSON.stringify(errorBody(dialect, failure)), { status: failure.status, headers: responseHeaders })
}
