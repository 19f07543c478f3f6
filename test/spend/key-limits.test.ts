import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { createRouter } from '../../src/create-router.js'
import { coreOf } from '../../src/router/router.js'
import { ConfigurationError } from '../../src/errors/errors.js'
import { LocalRateLimitError } from '../../src/errors/local-rate-limit-error.js'
import { openai } from '../../src/providers/openai/openai-provider.js'
import { keyPool } from '../../src/spend/key-pool.js'
import { memoryStore } from '../../src/stores/memory-store.js'
import { fallback } from '../../src/strategies/fallback.js'
import type { Store } from '../../src/spec/store.js'
import { useMswServer } from '../helpers/msw.js'
import { recordedJson } from '../helpers/recordings.js'

const server = useMswServer()
const openaiText = recordedJson('openai', 'openai-text')
const prices = { 'openai/gpt-4.1-nano': { input: 0.1, output: 0.4 }, 'backup/gpt-4.1-nano': { input: 0.1, output: 0.4 } }
const ask = { messages: [{ role: 'user' as const, content: 'hi' }] }

/** Which key each request used (by its bearer token), in order. */
function serve(): string[] {
  const keys: string[] = []
  server.use(
    http.post('https://api.openai.test/v1/chat/completions', ({ request }) => {
      keys.push(request.headers.get('authorization')!.replace('Bearer ', ''))
      return HttpResponse.json(openaiText)
    }),
  )
  return keys
}

const member = (id: string) => openai({ id, apiKey: `sk-secret-${id}`, baseURL: 'https://api.openai.test/v1' })

/** A memory store that remembers every key it was asked to write. */
function keyRecordingStore(): Store & { keys: Set<string> } {
  const inner = memoryStore()
  const keys = new Set<string>()
  return {
    specificationVersion: 'v1',
    kind: 'memory',
    keys,
    get: (key) => inner.get(key),
    set: (key, value, options) => (keys.add(key), inner.set(key, value, options)),
    setIfAbsent: (key, value, options) => (keys.add(key), inner.setIfAbsent(key, value, options)),
    delete: (key) => inner.delete(key),
    increment: (key, by, options) => (keys.add(key), inner.increment(key, by, options)),
    run: (script, scriptKeys, args) => {
      for (const key of scriptKeys) keys.add(key)
      return inner.run(script, scriptKeys, args)
    },
  }
}

describe('per-key rate limits: scope { key }', () => {
  it("{ key: '*' } gives each pool member its own rpm: a full key is passed over for one with room, and when all are full the call is refused without a request", async () => {
    const keys = serve()
    const store = keyRecordingStore()
    const router = createRouter({
      providers: [keyPool({ id: 'openai', members: [member('openai-a'), member('openai-b')] })],
      prices,
      store,
      limits: [{ name: 'per-key', scope: { key: '*' }, rpm: 2 }],
      routes: { once: fallback(['openai/gpt-4.1-nano'], { retries: 0 }) },
    })
    for (let index = 0; index < 4; index += 1) await router.chat({ model: 'once', ...ask })
    expect(keys.filter((key) => key === 'sk-secret-openai-a')).toHaveLength(2)
    expect(keys.filter((key) => key === 'sk-secret-openai-b')).toHaveLength(2)
    const refusal = await router.chat({ model: 'once', ...ask }).catch((error: unknown) => error)
    expect(refusal).toBeInstanceOf(LocalRateLimitError)
    expect((refusal as LocalRateLimitError).limit).toBe('per-key')
    expect((refusal as LocalRateLimitError).scope).toMatch(/^key openai-[ab]$/)
    expect((refusal as LocalRateLimitError).retryAfterMs).toBeGreaterThan(0)
    expect(keys).toHaveLength(4)
    // The router's own limit is not the provider's failure: the model does not cool down.
    expect(coreOf(router).health.isCoolingDown('openai/gpt-4.1-nano')).toBe(false)
    // Counters are named by the member's id, never by its API key.
    const limitKeys = [...store.keys].filter((key) => key.startsWith('spend:limit:'))
    expect(limitKeys.some((key) => key.includes('key=openai-a'))).toBe(true)
    expect([...store.keys].join('\n')).not.toContain('sk-secret')
    await router.close()
  })

  it('a named key only counts its own requests; other members and other limits are unaffected', async () => {
    const keys = serve()
    const router = createRouter({
      providers: [keyPool({ id: 'openai', members: [member('openai-a'), member('openai-b')] })],
      prices,
      limits: [{ scope: { key: 'openai-a' }, rpm: 1 }],
    })
    for (let index = 0; index < 5; index += 1) await router.chat({ model: 'openai/gpt-4.1-nano', ...ask })
    expect(keys.filter((key) => key === 'sk-secret-openai-a')).toHaveLength(1)
    expect(keys.filter((key) => key === 'sk-secret-openai-b')).toHaveLength(4)
    await router.close()
  })

  it("a provider outside a pool is its own key: its limit refuses before the provider is called and fallback moves on", async () => {
    const keys = serve()
    const router = createRouter({
      providers: [member('openai'), openai({ id: 'backup', apiKey: 'sk-secret-backup', baseURL: 'https://api.openai.test/v1' })],
      prices,
      limits: [{ scope: { key: 'openai' }, rpm: 1 }],
      routes: { main: fallback(['openai/gpt-4.1-nano', 'backup/gpt-4.1-nano'], { retries: 0 }) },
    })
    expect((await router.chat({ model: 'main', ...ask })).route.provider).toBe('openai')
    const second = await router.chat({ model: 'main', ...ask })
    expect(second.route.provider).toBe('backup')
    expect(second.route.attempts[0]!.error?.code).toBe('rate_limited')
    expect(keys).toEqual(['sk-secret-openai', 'sk-secret-backup'])
    await router.close()
  })

  it('per-key concurrency is held until a pooled stream ends', async () => {
    serve()
    server.use(
      http.post('https://api.openai.test/v1/chat/completions', async ({ request }) => {
        const body = (await request.json()) as { stream?: boolean }
        if (!body.stream) return HttpResponse.json(openaiText)
        const encoder = new TextEncoder()
        const chunk = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4.1-nano', choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: null }] }
        const last = { ...chunk, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } }
        return new HttpResponse(
          new ReadableStream({
            start(controller) {
              controller.enqueue(encoder.encode(`data: ${JSON.stringify(chunk)}\n\n`))
              setTimeout(() => {
                controller.enqueue(encoder.encode(`data: ${JSON.stringify(last)}\n\ndata: [DONE]\n\n`))
                controller.close()
              }, 150)
            },
          }),
          { headers: { 'content-type': 'text/event-stream' } },
        )
      }),
    )
    const router = createRouter({
      providers: [keyPool({ id: 'openai', members: [member('openai-a')] })],
      prices,
      limits: [{ scope: { key: 'openai-a' }, concurrency: 1 }],
      routes: { once: fallback(['openai/gpt-4.1-nano'], { retries: 0 }) },
    })
    const stream = router.stream({ model: 'once', ...ask })
    const iterator = stream[Symbol.asyncIterator]()
    await iterator.next()
    // The stream holds the key's only slot: a second call finds it full.
    await expect(router.chat({ model: 'once', ...ask })).rejects.toBeInstanceOf(LocalRateLimitError)
    while (!(await iterator.next()).done) {
      // drain
    }
    expect((await router.chat({ model: 'once', ...ask })).choices[0]!.message.content).toBeTruthy()
    await router.close()
  })

  it('budgets take no key scope; limits reject a bad key value', () => {
    const providers = [member('openai')]
    expect(() => createRouter({ providers, budgets: [{ name: 'b', limitUsd: 1, window: 'day', scope: { key: 'openai' } as never }] })).toThrow(/unknown scope key "key"/)
    expect(() => createRouter({ providers, limits: [{ scope: { key: '' }, rpm: 1 }] })).toThrow(ConfigurationError)
  })
})
