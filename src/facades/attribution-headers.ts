import type { HttpFailure } from './http-errors.js'

/** What `router.fetch` reads from a request's headers for attribution and cost caps; never forwarded to a provider. */
export interface HeaderCallOptions {
  tags?: Record<string, string>
  user?: string
  maxCostUsd?: number
}

const maxTags = 32
const maxLength = 256

function invalid(message: string): { failure: HttpFailure } {
  return { failure: { status: 400, code: 'invalid_header', message, retryable: false } }
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.trim())
  } catch {
    return undefined
  }
}

/**
 * `x-switchyard-tags: team=search, feature=summary%20v2` (comma-separated `name=value` pairs,
 * percent-encoded where needed), `x-switchyard-user: alice` and `x-switchyard-max-cost-usd: 0.05`.
 */
export function readAttributionHeaders(headers: Headers): { options: HeaderCallOptions } | { failure: HttpFailure } {
  const options: HeaderCallOptions = {}
  const tagsHeader = headers.get('x-switchyard-tags')
  if (tagsHeader !== null && tagsHeader.trim() !== '') {
    const tags: Record<string, string> = {}
    const pairs = tagsHeader.split(',')
    if (pairs.length > maxTags) return invalid(`x-switchyard-tags carries ${pairs.length} tags; at most ${maxTags} are accepted.`)
    for (const pair of pairs) {
      const equals = pair.indexOf('=')
      const name = equals > 0 ? decode(pair.slice(0, equals)) : undefined
      const value = equals > 0 ? decode(pair.slice(equals + 1)) : undefined
      if (!name || value === undefined || value === '' || name.length > maxLength || value.length > maxLength) {
        return invalid(`x-switchyard-tags must be comma-separated name=value pairs (percent-encoded, each part at most ${maxLength} characters), e.g. "team=search, feature=summary"; got ${JSON.stringify(pair.trim())}.`)
      }
      tags[name] = value
    }
    options.tags = tags
  }
  const user = headers.get('x-switchyard-user')
  if (user !== null) {
    const decoded = decode(user)
    if (!decoded || decoded.length > maxLength) return invalid(`x-switchyard-user must be a non-empty user id of at most ${maxLength} characters.`)
    options.user = decoded
  }
  const cap = headers.get('x-switchyard-max-cost-usd')
  if (cap !== null) {
    const value = Number(cap)
    if (cap.trim() === '' || !Number.isFinite(value) || value <= 0) return invalid('x-switchyard-max-cost-usd must be a number of USD above 0, e.g. 0.05.')
    options.maxCostUsd = value
  }
  return { options }
}
