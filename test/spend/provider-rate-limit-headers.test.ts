import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { createRouter } from '../../src/create-router.js'
import { LocalRateLimitError } from '../../src/errors/local-rate-limit-error.js'
import { anthropic } from '../../src/providers/anthropic/anthropic-provider.js'
import { groq } from '../../src/providers/groq/groq-provider.js'
import { openai } from '../../src/providers/openai/openai-provider.js'
import { keyPool } from '../../src/spend/key-pool.js'
import { redisStore } from '../../src/stores/redis-store.js'
import { fallback } from '../../src/strategies/fallback.js'
import { useMswServer } from '../helpers/msw.js'
import { recordedChunks, recordedJson, sseResponse } from '../helpers/recordings.js'
import { useRedisWithClients } from '../helpers/redis-clients.js'

// The recordings carry bodies only; the headers are the ones each provider documents for a
// successful answer (OpenAI and Groq: `x-ratelimit-*` with durations; Anthropic:
// `anthropic-ratelimit-*` with RFC 3339 times).
const server = useMswServer()
const openaiText = recordedJson('openai', 'openai-text')
const openaiChunks = recordedChunks('openai', 'openai-text')
const anthropicText = recordedJson('anthropic', 'anthropic-text')
const groqText = recordedJson('groq', 'groq-text')

function openaiHeaders(remainingRequests: number, reset = '20s'): Record<string, string> {
  return {
    'x-ratelimit-limit-requests': '500',
    'x-ratelimit-remaining-requests': String(remainingRequests),
    'x-ratelimit-reset-requests': reset,
    'x-ratelimit-limit-tokens': '30000',
    'x-ratelimit-remaining-tokens': '29000',
    'x-ratelimit-reset-tokens': '2ms',
  }
}

/** Which key each request used (by its bearer token), in order. */
function servePerKey(url: string, headersFor: (key: string) => Record<string, string>, stream = false) {
  const keys: string[] = []
  server.use(
    http.post(url, async ({ request }) => {
      const key = request.headers.get('authorization')!.replace('Bearer ', '')
      keys.push(key)
      const body = (await request.json()) as { stream?: boolean }
      if (stream && body.stream) {
        const response = sseResponse(openaiChunks, { done: true })
        for (const [name, value] of Object.entries(headersFor(key))) response.headers.set(name, value)
        return response
      }
      return HttpResponse.json(openaiText, { headers: headersFor(key) })
    }),
  )
  return keys
}

function openaiPool(ids: string[]) {
  return keyPool({ id: 'openai', members: ids.map((id) => openai({ id, apiKey: `sk-${id}`, baseURL: 'https://api.openai.test/v1' })) })
}

const prices = { 'openai/gpt-4.1-nano': { input: 0.1, output: 0.4 }, 'groq/llama-3.3-70b-versatile': { input: 0.59, output: 0.79 } }

describe("providers' success-response rate-limit headers", () => {
  it('a key pool skips an OpenAI key whose x-ratelimit headers say no requests are left, until the reset', async () => {
    const keys = servePerKey('https://api.openai.test/v1/chat/completions', (key) => openaiHeaders(key === 'sk-openai-a' ? 0 : 400))
    const router = createRouter({ providers: [openaiPool(['openai-a', 'openai-b'])], prices })
    for (let index = 0; index < 5; index += 1) await router.chat({ model: 'openai/gpt-4.1-nano', messages: [{ role: 'user', content: 'hi' }] })
    // Round robin would alternate; key a answered once, said it had nothing left, and was left alone.
    expect(keys.filter((key) => key === 'sk-openai-a')).toHaveLength(1)
    expect(keys).toHaveLength(5)
    await router.close()
  })

  it('streams feed the headers too, and most-headroom prefers the key with the most quota left', async () => {
    const remaining: Record<string, number> = { 'sk-openai-a': 50, 'sk-openai-b': 450 }
    const keys = servePerKey('https://api.openai.test/v1/chat/completions', (key) => openaiHeaders(remaining[key]!), true)
    const pool = keyPool({ id: 'openai', balance: 'most-headroom', members: ['openai-a', 'openai-b'].map((id) => openai({ id, apiKey: `sk-${id}`, baseURL: 'https://api.openai.test/v1' })) })
    const router = createRouter({ providers: [pool], prices })
    // Two streams, one per key (nothing known yet), then every call goes to the key with headroom.
    for (let index = 0; index < 6; index += 1) {
      const stream = router.stream({ model: 'openai/gpt-4.1-nano', messages: [{ role: 'user', content: 'hi' }] })
      for await (const _chunk of stream) void _chunk
    }
    expect(keys.slice(2).every((key) => key === 'sk-openai-b')).toBe(true)
    expect(new Set(keys.slice(0, 2))).toEqual(new Set(['sk-openai-a', 'sk-openai-b']))
    await router.close()
  })

  it('when every key is exhausted the pool refuses without calling any, with the time to the earliest reset', async () => {
    const keys = servePerKey('https://api.openai.test/v1/chat/completions', (key) => openaiHeaders(0, key === 'sk-openai-a' ? '30s' : '1m0s'))
    const router = createRouter({ providers: [openaiPool(['openai-a', 'openai-b'])], prices, routes: { once: fallback(['openai/gpt-4.1-nano'], { retries: 0 }) } })
    await router.chat({ model: 'once', messages: [{ role: 'user', content: 'one' }] })
    await router.chat({ model: 'once', messages: [{ role: 'user', content: 'two' }] })
    expect(keys).toHaveLength(2)
    const refusal = await router.chat({ model: 'once', messages: [{ role: 'user', content: 'three' }] }).catch((error: unknown) => error)
    expect(refusal).toBeInstanceOf(LocalRateLimitError)
    expect((refusal as LocalRateLimitError).kind).toBe('provider-quota')
    expect((refusal as LocalRateLimitError).retryAfterMs).toBeGreaterThan(28_000)
    expect((refusal as LocalRateLimitError).retryAfterMs).toBeLessThanOrEqual(30_000)
    expect(keys).toHaveLength(2)
    await router.close()
  })

  it("an Anthropic model whose anthropic-ratelimit headers say it is out of requests is passed over by fallback until the reset", async () => {
    let anthropicCalls = 0
    const resetAt = new Date(Date.now() + 45_000).toISOString().replace(/\.\d+Z$/, 'Z')
    server.use(
      http.post('https://api.anthropic.test/v1/messages', () => {
        anthropicCalls += 1
        return HttpResponse.json(anthropicText, {
          headers: {
            'anthropic-ratelimit-requests-limit': '50',
            'anthropic-ratelimit-requests-remaining': '0',
            'anthropic-ratelimit-requests-reset': resetAt,
            'anthropic-ratelimit-input-tokens-limit': '30000',
            'anthropic-ratelimit-input-tokens-remaining': '29000',
            'anthropic-ratelimit-input-tokens-reset': resetAt,
          },
        })
      }),
      http.post('https://api.groq.test/openai/v1/chat/completions', () => HttpResponse.json(groqText, { headers: openaiHeaders(100) })),
    )
    const router = createRouter({
      providers: [anthropic({ apiKey: 'sk-ant-test', baseURL: 'https://api.anthropic.test' }), groq({ apiKey: 'gsk-test', baseURL: 'https://api.groq.test' })],
      prices: { ...prices, 'anthropic/claude-sonnet-4-5': { input: 3, output: 15 } },
      routes: { main: fallback(['anthropic/claude-sonnet-4-5', 'groq/llama-3.3-70b-versatile'], { retries: 0 }) },
    })
    const first = await router.chat({ model: 'main', messages: [{ role: 'user', content: 'hi' }] })
    expect(first.route.provider).toBe('anthropic')
    const second = await router.chat({ model: 'main', messages: [{ role: 'user', content: 'hi' }] })
    expect(second.route.provider).toBe('groq')
    expect(second.route.attempts[0]!.error?.code).toBe('rate_limited')
    expect(second.route.attempts[0]!.error?.message).toMatch(/rate-limit headers/)
    expect(anthropicCalls).toBe(1)
    await router.close()
  })

  it('groq-sdk responses feed them too: a Groq model out of tokens is refused before it is called', async () => {
    let groqCalls = 0
    server.use(
      http.post('https://api.groq.test/openai/v1/chat/completions', () => {
        groqCalls += 1
        return HttpResponse.json(groqText, { headers: { ...openaiHeaders(100), 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '7.66s' } })
      }),
    )
    const router = createRouter({ providers: [groq({ apiKey: 'gsk-test', baseURL: 'https://api.groq.test' })], prices, routes: { once: fallback(['groq/llama-3.3-70b-versatile'], { retries: 0 }) } })
    await router.chat({ model: 'once', messages: [{ role: 'user', content: 'hi' }] })
    const refusal = await router.chat({ model: 'once', messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error)
    expect(refusal).toBeInstanceOf(LocalRateLimitError)
    expect((refusal as LocalRateLimitError).retryAfterMs).toBeGreaterThan(6_000)
    expect((refusal as LocalRateLimitError).retryAfterMs).toBeLessThanOrEqual(7_660)
    expect(groqCalls).toBe(1)
    await router.close()
  })

  describe('with a shared Redis store', () => {
    const redis = useRedisWithClients()

    it("a second router skips the key the first router's response showed exhausted", async () => {
      const keys = servePerKey('https://api.openai.test/v1/chat/completions', (key) => openaiHeaders(key === 'sk-openai-a' ? 0 : 400))
      const routers = await Promise.all(
        (['redis', 'ioredis'] as const).map(async (library) => {
          const client = await redis.connect(library)
          return createRouter({ providers: [openaiPool(['openai-a', 'openai-b'])], prices, store: redisStore({ client: client.client, prefix: 'quota-test:' }) })
        }),
      )
      const [first, second] = routers as [ReturnType<typeof createRouter>, ReturnType<typeof createRouter>]
      // The first router's first call goes to key a (round robin starts at the second member, so one call to b first).
      while (!keys.includes('sk-openai-a')) await first.chat({ model: 'openai/gpt-4.1-nano', messages: [{ role: 'user', content: 'hi' }] })
      await first.close()
      const before = keys.length
      for (let index = 0; index < 4; index += 1) await second.chat({ model: 'openai/gpt-4.1-nano', messages: [{ role: 'user', content: 'hi' }] })
      expect(keys.slice(before)).toEqual(['sk-openai-b', 'sk-openai-b', 'sk-openai-b', 'sk-openai-b'])
      await second.close()
    })
  })
})
