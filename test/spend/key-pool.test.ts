import { describe, expect, it } from 'vitest'
import { createRouter } from '../../src/create-router.js'
import { mockProvider } from '../../src/providers/mock/mock-provider.js'
import { fallback } from '../../src/strategies/fallback.js'
import { keyPool } from '../../src/spend/key-pool.js'
import { ConfigurationError, RateLimitError } from '../../src/errors/errors.js'
import type { ChatRequest } from '../../src/spec/request.js'

const ask = (text: string): ChatRequest => ({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: text }] })

function members(count: number, replies: Record<number, Parameters<typeof mockProvider>[0]['models']['x']> = {}) {
  return Array.from({ length: count }, (_, index) =>
    mockProvider({ id: `openai-${index}`, models: { 'gpt-4o': replies[index] ?? `from key ${index}` } }),
  )
}

const prices = { 'openai/gpt-4o': { input: 2.5, output: 10 } }

describe('key pools', () => {
  it('round robin spreads calls over the keys, behind one provider id, and says which key answered', async () => {
    const keys = members(3)
    const router = createRouter({ providers: [keyPool({ id: 'openai', members: keys })], prices })
    const answers: unknown[] = []
    for (let index = 0; index < 6; index += 1) answers.push((await router.chat(ask('hi'))).provider_metadata?.keyPool)
    expect(keys.map((key) => key.calls.length)).toEqual([2, 2, 2])
    expect(answers).toContainEqual({ pool: 'openai', member: 'openai-1' })
  })

  it('a key that answers 429 sits out for its retry-after, and the same call moves on to another key', async () => {
    const keys = members(2, { 0: { error: 'rate_limit', retryAfterMs: 60_000 } })
    const pool = keyPool({ id: 'openai', members: keys })
    const router = createRouter({ providers: [pool], prices })
    for (let index = 0; index < 4; index += 1) {
      const result = await router.chat(ask('hi'))
      expect(result.choices[0]!.message.content).toBe('from key 1')
      expect(result.route.attempts).toHaveLength(1)
    }
    // Key 0 was tried once, then left alone while it cools down.
    expect(keys[0]!.calls).toHaveLength(1)
    const [first] = pool.status()
    expect(first!.coolingDownForMs).toBeGreaterThan(59_000)
  })

  it('when every key is limited the call fails with the provider RateLimitError', async () => {
    const keys = members(2, { 0: { error: 'rate_limit', retryAfterMs: 1_000 }, 1: { error: 'rate_limit', retryAfterMs: 2_000 } })
    const router = createRouter({ providers: [keyPool({ id: 'openai', members: keys })], prices, routes: { once: fallback(['openai/gpt-4o'], { retries: 0 }) } })
    await expect(router.chat({ ...ask('hi'), model: 'once' })).rejects.toBeInstanceOf(RateLimitError)
    expect([keys[0]!.calls.length, keys[1]!.calls.length]).toEqual([1, 1])
  })

  it('least busy sends a new call to the key with the fewest calls in flight', async () => {
    const keys = members(2, { 0: { text: 'slow', latencyMs: 300 } })
    const router = createRouter({ providers: [keyPool({ id: 'openai', members: keys, balance: 'least-busy' })], prices })
    // Two at once: one on each key. Key 0 is still busy with its slow answer while key 1 is free.
    const both = [router.chat(ask('a')), router.chat(ask('b'))]
    await new Promise((resolve) => setTimeout(resolve, 20))
    for (let index = 0; index < 3; index += 1) await router.chat(ask('c'))
    expect([keys[0]!.calls.length, keys[1]!.calls.length]).toEqual([1, 4])
    await Promise.all(both)
  })

  it('most headroom prefers the key whose rate-limit headers left the most quota, and avoids one with none left', async () => {
    const keys = members(3)
    const pool = keyPool({ id: 'openai', members: keys, balance: 'most-headroom' })
    pool.observeHeaders('openai-0', 'gpt-4o', { 'x-ratelimit-limit-requests': '100', 'x-ratelimit-remaining-requests': '10', 'x-ratelimit-reset-requests': '30s' })
    pool.observeHeaders('openai-1', 'gpt-4o', { 'x-ratelimit-limit-requests': '100', 'x-ratelimit-remaining-requests': '90', 'x-ratelimit-reset-requests': '30s' })
    pool.observeHeaders('openai-2', 'gpt-4o', { 'anthropic-ratelimit-requests-limit': '100', 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-requests-reset': new Date(Date.now() + 60_000).toISOString() })
    const router = createRouter({ providers: [pool], prices })
    for (let index = 0; index < 4; index += 1) await router.chat(ask('hi'))
    expect(keys.map((key) => key.calls.length)).toEqual([0, 4, 0])
  })

  it('requests with the same cache_control prefix stick to one key; other requests still rotate', async () => {
    const keys = members(3)
    const router = createRouter({ providers: [keyPool({ id: 'openai', members: keys })], prices })
    const longSystem = 'You are a careful assistant. '.repeat(50)
    const cached = (question: string): ChatRequest => ({
      model: 'openai/gpt-4o',
      messages: [
        { role: 'system', content: [{ type: 'text', text: longSystem, cache_control: { type: 'ephemeral' } }] },
        { role: 'user', content: question },
      ],
    })
    const used = new Set<unknown>()
    for (const question of ['one', 'two', 'three', 'four']) used.add(((await router.chat(cached(question))).provider_metadata?.keyPool as { member: string }).member)
    expect(used.size).toBe(1)
    const plain = new Set<unknown>()
    for (const question of ['one', 'two', 'three']) plain.add(((await router.chat(ask(question))).provider_metadata?.keyPool as { member: string }).member)
    expect(plain.size).toBe(3)
  })

  it('a stream whose key fails before its first token continues on another key', async () => {
    const keys = members(2, { 0: { error: 'server' }, 1: 'streamed from key 1' })
    const router = createRouter({ providers: [keyPool({ id: 'openai', members: keys, balance: 'round-robin' })], prices })
    let text = ''
    for (let index = 0; index < 2; index += 1) {
      text = ''
      for await (const chunk of router.stream(ask('hi'))) text += chunk.choices[0]?.delta.content ?? ''
      expect(text).toBe('streamed from key 1')
    }
  })

  it('bad pools fail at creation', () => {
    expect(() => keyPool({ id: 'openai', members: [] })).toThrow(ConfigurationError)
    expect(() => keyPool({ id: 'openai', members: members(2).map((member) => ({ ...member, id: 'same' })) })).toThrow(/two members have the id "same"/)
    expect(() => keyPool({ id: 'open/ai', members: members(1) })).toThrow(/without "\/"/)
    expect(() => keyPool({ id: 'openai', members: members(1), balance: 'random' as never })).toThrow(/balance/)
  })
})
