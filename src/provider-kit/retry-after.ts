export type HeaderSource = Headers | Record<string, string | string[] | undefined> | undefined | null

function readHeader(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined
  const record = headers as Record<string, string | string[] | undefined>
  const value = record[name] ?? record[name.toLowerCase()]
  return Array.isArray(value) ? value[0] : value
}

/** Milliseconds to wait, from `retry-after-ms` or `retry-after` (seconds or an HTTP date). */
export function retryAfterFromHeaders(headers: HeaderSource, now = Date.now()): number | undefined {
  const milliseconds = readHeader(headers, 'retry-after-ms')
  if (milliseconds !== undefined && Number.isFinite(Number(milliseconds))) return Math.max(0, Number(milliseconds))
  const value = readHeader(headers, 'retry-after')
  if (value === undefined || value.trim() === '') return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** `"34.4s"`, `"250ms"`, `"1m2.5s"`: a duration as Google's `retryDelay` and hosts' messages write it. */
function durationMs(text: string): number | undefined {
  const match = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)(s|ms))?$/.exec(text.trim())
  if (!match || (match[1] === undefined && match[2] === undefined && match[3] === undefined)) return undefined
  const hours = Number(match[1] ?? 0)
  const minutes = Number(match[2] ?? 0)
  const seconds = match[3] === undefined ? 0 : match[4] === 'ms' ? Number(match[3]) / 1000 : Number(match[3])
  return Math.round((hours * 3600 + minutes * 60 + seconds) * 1000)
}

/**
 * Milliseconds to wait, from an error body: a `google.rpc.RetryInfo` detail (`retryDelay: "34s"`,
 * Gemini and other Google APIs), a `retry_after` field in seconds, or a message that says
 * "try again in 1.5s" (OpenAI, Groq and several OpenAI-compatible hosts).
 */
export function retryAfterFromBody(body: unknown, message?: string): number | undefined {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined
  const inner = typeof record?.error === 'object' && record.error !== null ? (record.error as Record<string, unknown>) : record
  const details = inner?.details
  if (Array.isArray(details)) {
    for (const detail of details as Array<Record<string, unknown>>) {
      if (typeof detail?.['@type'] === 'string' && detail['@type'].endsWith('google.rpc.RetryInfo') && typeof detail.retryDelay === 'string') {
        const delay = durationMs(detail.retryDelay)
        if (delay !== undefined) return delay
      }
    }
  }
  for (const source of [inner, record]) {
    const seconds = source?.retry_after ?? source?.retryAfter
    if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000)
  }
  const text = message ?? (typeof inner?.message === 'string' ? inner.message : undefined)
  const phrase = text ? /try again in ((?:\d+(?:\.\d+)?h)?(?:\d+(?:\.\d+)?m(?!s))?(?:\d+(?:\.\d+)?(?:ms|s))?)\b/i.exec(text)?.[1] : undefined
  return phrase ? durationMs(phrase) : undefined
}
