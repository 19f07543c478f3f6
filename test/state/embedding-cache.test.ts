import { describe, expect, it } from 'vitest'
import { createRouter, mockProvider, redisStore, type RouterEvent, type Store } from '../../src/index.js'
import { useRedisWithClients } from '../helpers/redis-clients.js'

const prices = { 'emb/small': { input: 20, output: 0 } }

function setup(options: { cache?: Parameters<typeof createRouter>[0]['cache']; store?: Store } = {}) {
  const emb = mockProvider({ id: 'emb', models: { small: { text: '', usage: { inputTokens: 7 } } } })
  const events: RouterEvent[] = []
  const router = createRouter({
    providers: [emb],
    prices,
    routes: { vectors: 'emb/small' },
    cache: options.cache ?? { ttlMs: 60_000 },
    ...(options.store ? { store: options.store } : {}),
    onEvent: (event) => events.push(event),
  })
  return { router, emb, events }
}

describe('embedding cache', () => {
  it('an identical embed call is served from the cache: cacheHit, cost 0 with the saving, the same vectors and usage, no provider call', async () => {
    const { router, emb, events } = setup()
    const first = await router.embed({ model: 'vectors', input: ['alpha', 'beta'] })
    expect(first.route.cacheHit).toBe(false)
    expect(first.cost.total).toBeCloseTo((7 * 20) / 1e6, 12)
    const second = await router.embed({ model: 'vectors', input: ['alpha', 'beta'] })
    expect(emb.calls).toHaveLength(1)
    expect(second.route).toMatchObject({ cacheHit: true, attempts: [], provider: 'emb', model: 'small', name: 'vectors' })
    expect(second.cost.total).toBe(0)
    expect(second.cost.saved).toBe(first.cost.total)
    expect(second.data).toEqual(first.data)
    expect(second.usage).toEqual(first.usage)
    expect(second.model).toBe('emb/small')
    expect(events.filter((event) => event.type === 'cache-hit')).toEqual([expect.objectContaining({ operation: 'embed', provider: 'emb', model: 'small', saved: first.cost.total })])
  })

  it('the key follows what changes the vectors (input, dimensions, model asked for), not `user`; the OpenAI facade and router.fetch share it', async () => {
    const { router, emb } = setup()
    await router.embed({ model: 'vectors', input: 'alpha' })
    await router.embed({ model: 'vectors', input: 'alpha' }, { user: 'someone-else' })
    expect(emb.calls).toHaveLength(1)
    await router.embed({ model: 'vectors', input: 'alpha', dimensions: 4 })
    await router.embed({ model: 'vectors', input: 'alpha beta' })
    await router.embed({ model: 'emb/small', input: 'alpha' })
    expect(emb.calls).toHaveLength(4)
    const viaFacade = await router.openai.embeddings.create({ model: 'vectors', input: 'alpha', user: 'u' })
    expect(viaFacade.data[0]!.embedding).toHaveLength(8)
    const viaFetch = await router.fetch('/v1/embeddings', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'vectors', input: 'alpha' }) })
    expect(viaFetch.status).toBe(200)
    expect(emb.calls).toHaveLength(4)
  })

  it('off unless asked for; `cache: false` on a call, and `refresh`, go to the provider', async () => {
    const off = setup({ cache: false })
    await off.router.embed({ model: 'vectors', input: 'alpha' })
    await off.router.embed({ model: 'vectors', input: 'alpha' })
    expect(off.emb.calls).toHaveLength(2)
    const { router, emb } = setup()
    await router.embed({ model: 'vectors', input: 'alpha' })
    await router.embed({ model: 'vectors', input: 'alpha' }, { cache: false })
    const refreshed = await router.embed({ model: 'vectors', input: 'alpha' }, { cache: { refresh: true } })
    expect(refreshed.route.cacheHit).toBe(false)
    expect(emb.calls).toHaveLength(3)
  })

  describe('on a shared Redis store', () => {
    const redis = useRedisWithClients()

    it('a second router is served the first one\'s embedding', async () => {
      const stores = await Promise.all(
        (['redis', 'ioredis'] as const).map(async (library) => {
          const client = await redis.connect(library)
          return redisStore({ client: client.client, prefix: 'embedding-cache:' })
        }),
      )
      const first = setup({ store: stores[0] })
      const original = await first.router.embed({ model: 'vectors', input: 'shared' })
      await first.router.close()
      const second = setup({ store: stores[1] })
      const served = await second.router.embed({ model: 'vectors', input: 'shared' })
      expect(served.route.cacheHit).toBe(true)
      expect(served.data).toEqual(original.data)
      expect(second.emb.calls).toHaveLength(0)
    })
  })
})
