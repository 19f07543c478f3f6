import { describe, expect, it } from 'vitest'
import { createRouter, fallback, mockProvider, redisStore } from '../../src/index.js'
import { coreOf } from '../../src/router/router.js'
import { useRedisWithClients } from '../helpers/redis-clients.js'

const messages = [{ role: 'user' as const, content: 'hi' }]

describe('failure counts shared through Redis', () => {
  const redis = useRedisWithClients()

  async function instance(prefix: string, replies: Parameters<typeof mockProvider>[0]['models'][string]) {
    const client = await redis.connect('ioredis')
    const llm = mockProvider({ id: 'llm', models: { flaky: replies, backup: 'backup answer' } })
    const router = createRouter({
      providers: [llm],
      store: redisStore({ client: client.client, prefix }),
      health: { failureThreshold: 2, cooldownMs: 30_000 },
      routes: { main: fallback(['llm/flaky', 'llm/backup'], { retries: 0 }) },
    })
    return { router, llm }
  }

  it('a success on the instance that counted a failure starts the shared count again', async () => {
    const prefix = `failure-counts-${Date.now()}:`
    const first = await instance(prefix, [{ error: 'server' }, 'recovered'])
    await first.router.chat({ model: 'main', messages })
    await first.router.chat({ model: 'main', messages })
    await first.router.close()
    // One failure, then a success: the count starts again, so another instance's single failure does not trip the breaker.
    const second = await instance(prefix, [{ error: 'server' }])
    await second.router.chat({ model: 'main', messages })
    await second.router.close()
    expect(coreOf(second.router).health.coolDowns()).toEqual([])
  })

  it('without the success in between, the second instance\'s failure trips it', async () => {
    const prefix = `failure-counts-trip-${Date.now()}:`
    const first = await instance(prefix, [{ error: 'server' }])
    await first.router.chat({ model: 'main', messages })
    await first.router.close()
    const second = await instance(prefix, [{ error: 'server' }])
    await second.router.chat({ model: 'main', messages })
    await second.router.close()
    expect(coreOf(second.router).health.coolDowns().map((coolDown) => coolDown.id)).toEqual(['llm/flaky'])
  })
})
