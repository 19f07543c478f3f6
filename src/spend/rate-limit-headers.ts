/** What a provider's rate-limit headers say about one model's quota. Absent fields were not sent. */
export interface QuotaReading {
  requestsLimit?: number
  requestsRemaining?: number
  /** ms since the epoch. */
  requestsResetAt?: number
  tokensLimit?: number
  tokensRemaining?: number
  tokensResetAt?: number
}

/** Response headers as `fetch` (`Headers`) or an SDK (a plain record) gives them. */
export type RateLimitHeaderSource = Headers | Record<string, string | string[] | undefined>

function header(headers: RateLimitHeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined
  const record = headers as Record<string, string | string[] | undefined>
  const value = record[name] ?? Object.entries(record).find(([key]) => key.toLowerCase() === name)?.[1]
  return Array.isArray(value) ? value[0] : value
}

function count(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined
  const value = Number(text)
  return Number.isFinite(value) && value >= 0 ? value : undefined
}

/** OpenAI-style reset durations: `1s`, `6m0s`, `20ms`, `1h2m3.5s`. */
export function parseResetDuration(text: string): number | undefined {
  const pattern = /(\d+(?:\.\d+)?)(ms|h|m|s)/g
  let total = 0
  let consumed = 0
  for (const match of text.trim().matchAll(pattern)) {
    const value = Number(match[1])
    total += match[2] === 'ms' ? value : match[2] === 's' ? value * 1_000 : match[2] === 'm' ? value * 60_000 : value * 3_600_000
    consumed += match[0].length
  }
  return consumed > 0 && consumed === text.trim().length ? total : undefined
}

function resetAt(text: string | undefined, nowMs: number, style: 'duration' | 'timestamp'): number | undefined {
  if (text === undefined) return undefined
  if (style === 'timestamp') {
    const at = Date.parse(text)
    return Number.isFinite(at) ? at : undefined
  }
  const duration = parseResetDuration(text)
  return duration === undefined ? undefined : nowMs + duration
}

/**
 * Reads `x-ratelimit-*` (OpenAI, Groq, most OpenAI-compatible hosts; resets as durations) and
 * `anthropic-ratelimit-*` (resets as RFC 3339 times). For Anthropic the tightest of the token
 * families (all, input, output) is the token figure. `undefined` when there are none.
 */
export function readRateLimitHeaders(source: RateLimitHeaderSource, nowMs: number = Date.now()): QuotaReading | undefined {
  let headers = source
  if (typeof (source as Headers).forEach === 'function' && typeof (source as Headers).get === 'function') {
    // One pass for the rate-limit names, read from then on as a record: each `Headers.get` checks
    // and lower-cases its name, and five of them (what a response without these headers takes to
    // tell) cost more than the pass.
    let found: Record<string, string> | undefined
    ;(source as Headers).forEach((value, name) => {
      if (name.startsWith('x-ratelimit-') || name.startsWith('anthropic-ratelimit-')) (found ??= {})[name] = value
    })
    if (found === undefined) return undefined
    headers = found
  }
  const reading: QuotaReading = {}
  if (header(headers, 'x-ratelimit-remaining-requests') !== undefined || header(headers, 'x-ratelimit-remaining-tokens') !== undefined) {
    reading.requestsLimit = count(header(headers, 'x-ratelimit-limit-requests'))
    reading.requestsRemaining = count(header(headers, 'x-ratelimit-remaining-requests'))
    reading.requestsResetAt = resetAt(header(headers, 'x-ratelimit-reset-requests'), nowMs, 'duration')
    reading.tokensLimit = count(header(headers, 'x-ratelimit-limit-tokens'))
    reading.tokensRemaining = count(header(headers, 'x-ratelimit-remaining-tokens'))
    reading.tokensResetAt = resetAt(header(headers, 'x-ratelimit-reset-tokens'), nowMs, 'duration')
  } else if (header(headers, 'anthropic-ratelimit-requests-remaining') !== undefined || header(headers, 'anthropic-ratelimit-tokens-remaining') !== undefined || header(headers, 'anthropic-ratelimit-input-tokens-remaining') !== undefined) {
    reading.requestsLimit = count(header(headers, 'anthropic-ratelimit-requests-limit'))
    reading.requestsRemaining = count(header(headers, 'anthropic-ratelimit-requests-remaining'))
    reading.requestsResetAt = resetAt(header(headers, 'anthropic-ratelimit-requests-reset'), nowMs, 'timestamp')
    let tightest: { remaining: number; limit?: number; reset?: number } | undefined
    for (const family of ['tokens', 'input-tokens', 'output-tokens']) {
      const remaining = count(header(headers, `anthropic-ratelimit-${family}-remaining`))
      if (remaining === undefined) continue
      const limit = count(header(headers, `anthropic-ratelimit-${family}-limit`))
      const share = limit ? remaining / limit : remaining
      const tightestShare = tightest ? (tightest.limit ? tightest.remaining / tightest.limit : tightest.remaining) : Infinity
      if (share < tightestShare) tightest = { remaining, limit, reset: resetAt(header(headers, `anthropic-ratelimit-${family}-reset`), nowMs, 'timestamp') }
    }
    if (tightest) {
      reading.tokensRemaining = tightest.remaining
      reading.tokensLimit = tightest.limit
      reading.tokensResetAt = tightest.reset
    }
  } else {
    return undefined
  }
  return reading
}
