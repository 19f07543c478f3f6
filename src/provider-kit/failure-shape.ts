/**
 * What a thrown value looks like, read by shape only: the fields SDKs and `fetch` put on their
 * errors. Class names are never consulted, since a user's bundler may minify them.
 */
export interface FailureShape {
  name?: unknown
  message?: unknown
  code?: unknown
  /** HTTP status: Stainless SDKs (`openai`, `@anthropic-ai/sdk`, `groq-sdk`), `@google/genai`, most others. */
  status?: unknown
  /** HTTP status as Speakeasy SDKs (`@mistralai/mistralai`) name it. */
  statusCode?: unknown
  headers?: unknown
  /** The parsed error body (Stainless). */
  error?: unknown
  /** The raw or parsed error body (Speakeasy, hand-written clients). */
  body?: unknown
  cause?: unknown
}

export function shapeOf(value: unknown): FailureShape {
  return typeof value === 'object' && value !== null ? (value as FailureShape) : {}
}

/** The HTTP status a thrown value carries, if any: `status`, else `statusCode`. */
export function statusOf(value: unknown): number | undefined {
  const shape = shapeOf(value)
  if (typeof shape.status === 'number' && Number.isFinite(shape.status)) return shape.status
  if (typeof shape.statusCode === 'number' && Number.isFinite(shape.statusCode)) return shape.statusCode
  return undefined
}

/** The value and its causes, nearest first (bounded: a cause chain may loop). */
export function causeChain(value: unknown, limit = 6): unknown[] {
  const chain: unknown[] = []
  for (let current = value; current !== undefined && current !== null && chain.length < limit; current = shapeOf(current).cause) {
    if (chain.includes(current)) break
    chain.push(current)
  }
  return chain
}

// System and undici codes of a connection that failed or broke: another try may well succeed.
const connectionCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_REQ_RETRY',
  'ERR_STREAM_PREMATURE_CLOSE',
])

// Messages of the same failures where no code is attached: undici ends a body cut off by a reset
// with `terminated`; browsers and msw say `Failed to fetch`; Stainless SDKs wrap them as `Connection error.`.
const connectionMessages = /^(terminated|fetch failed|failed to fetch|other side closed|socket hang up|connection error\.?|network error|load failed|networkerror when attempting to fetch resource\.?)$/i

/** Whether a thrown value (or anything in its cause chain) is a connection that failed or broke. */
export function isConnectionFailure(value: unknown): boolean {
  return causeChain(value).some((link) => {
    const shape = shapeOf(link)
    if (typeof shape.code === 'string' && connectionCodes.has(shape.code)) return true
    return typeof shape.message === 'string' && connectionMessages.test(shape.message.trim())
  })
}

/** Whether a thrown value is the end of an aborted request (`fetch`'s `AbortError`). */
export function isAbortFailure(value: unknown): boolean {
  return causeChain(value, 3).some((link) => {
    const name = shapeOf(link).name
    return name === 'AbortError' || name === 'RequestAbortedError'
  })
}

/** Whether a thrown value is a client-side time limit (an SDK's own timeout, `AbortSignal.timeout`). */
export function isTimeoutFailure(value: unknown): boolean {
  return causeChain(value, 3).some((link) => {
    const shape = shapeOf(link)
    if (shape.name === 'TimeoutError' || shape.name === 'RequestTimeoutError') return true
    return statusOf(link) === undefined && typeof shape.message === 'string' && /^request timed out\.?$/i.test(shape.message.trim())
  })
}
