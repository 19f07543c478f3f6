import { describe, expect, it } from 'vitest'
import { ProviderQuota } from '../../src/spend/provider-quota.js'
import { readRateLimitHeaders } from '../../src/spend/rate-limit-headers.js'

const exhausted = {
  'x-ratelimit-limit-requests': '500',
  'x-ratelimit-remaining-requests': '0',
  'x-ratelimit-reset-requests': '20s',
  'x-ratelimit-limit-tokens': '30000',
  'x-ratelimit-remaining-tokens': '29000',
  'x-ratelimit-reset-tokens': '2ms',
}
const now = 1_770_000_000_000
const attributes = { tags: {}, route: null, provider: 'openai', model: 'openai/gpt-4o' }

describe('provider quota readings', () => {
  it('read a Headers object as they read a record of the same headers, and nothing from a response without them', () => {
    const headers = new Headers({ 'content-type': 'application/json', ...exhausted, 'Anthropic-Ratelimit-Requests-Remaining': '3' })
    expect(readRateLimitHeaders(headers, now)).toEqual(readRateLimitHeaders(exhausted, now))
    expect(readRateLimitHeaders(headers, now)).toEqual({ requestsLimit: 500, requestsRemaining: 0, requestsResetAt: now + 20_000, tokensLimit: 30_000, tokensRemaining: 29_000, tokensResetAt: now + 2 })
    expect(readRateLimitHeaders(new Headers({ 'content-type': 'application/json', 'x-request-id': 'req_1' }), now)).toBeUndefined()
    const anthropic = new Headers({ 'anthropic-ratelimit-requests-limit': '50', 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-requests-reset': new Date(now + 30_000).toISOString() })
    expect(readRateLimitHeaders(anthropic, now)).toMatchObject({ requestsLimit: 50, requestsRemaining: 0, requestsResetAt: now + 30_000 })
  })

  it('are there for anything that asks for a reading, in the turn they came in or after it', async () => {
    const clock = () => now
    const quota = new ProviderQuota(clock)
    quota.observe('openai', 'gpt-4o', new Headers(exhausted))
    // Asked in the same turn of the event loop: the reading is read first.
    expect(quota.blockedFor(attributes)).toEqual({ scope: 'openai gpt-4o', waitMs: 20_000 })
    expect(quota.exhaustedFor('openai', 'gpt-4o')).toBe(20_000)

    const later = new ProviderQuota(clock)
    later.observe('openai', 'gpt-4o', exhausted)
    later.observe('openai', 'gpt-4o-mini', { ...exhausted, 'x-ratelimit-remaining-requests': '250' })
    await new Promise((resolve) => setImmediate(resolve))
    expect(later.reading('openai', 'gpt-4o')).toMatchObject({ requestsRemaining: 0 })
    expect(later.headroom('openai', 'gpt-4o-mini')).toBeCloseTo(0.5)
  })
})
