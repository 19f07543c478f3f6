import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigurationError } from '../../src/errors/errors.js'
import { failSafeStore, FailSafeStore } from '../../src/stores/fail-safe-store.js'
import { redisStore } from '../../src/stores/redis-store.js'
import { connectRedisClient, redisLibraries, type TestRedisClient } from '../helpers/redis-clients.js'
import { useRedisServer } from '../helpers/redis-server.js'
import { storeContract, takeTokensScript } from './store-contract.js'

const redis = useRedisServer()
let counter = 0
const unique = () => `key-${++counter}`

describe.each(redisLibraries)('redisStore over a %s client', (library) => {
  let connection: TestRedisClient
  beforeAll(async () => {
    connection = await connectRedisClient(library, redis.current.port)
  })
  afterAll(async () => {
    await connection.close()
  })

  describe('store contract', () => {
    storeContract(() => redisStore({ client: connection.client, prefix: `contract-${library}:` }), unique)
  })

  it('puts the prefix on every key, scripts included', async () => {
    const store = redisStore({ client: connection.client, prefix: `app-${library}:` })
    await store.set('plain', 'v')
    await store.increment('counter', 2)
    await store.run(takeTokensScript, ['used', 'refused'], [1, 10, 60_000])
    expect(await connection.raw('GET', `app-${library}:plain`)).toBe('v')
    expect(Number(await connection.raw('GET', `app-${library}:counter`))).toBe(2)
    expect(await connection.raw('GET', `app-${library}:used`)).toBe('1')
    expect(await connection.raw('EXISTS', 'plain')).toBe(0)
  })

  it('keeps stores with different prefixes apart on one Redis', async () => {
    const first = redisStore({ client: connection.client, prefix: `first-${library}:` })
    const second = redisStore({ client: connection.client, prefix: `second-${library}:` })
    await first.set('same-name', 'first')
    expect(await second.get('same-name')).toBeUndefined()
    await second.increment('hits', 1)
    await first.increment('hits', 5)
    expect(await second.increment('hits', 0)).toBe(1)
  })

  it('loads a script with EVAL when the server has none cached (after SCRIPT FLUSH)', async () => {
    const store = redisStore({ client: connection.client, prefix: `flush-${library}:` })
    expect((await store.run(takeTokensScript, ['u', 'r'], [2, 10, 60_000])).used).toBe(2)
    await connection.raw('SCRIPT', 'FLUSH')
    expect((await store.run(takeTokensScript, ['u', 'r'], [2, 10, 60_000])).used).toBe(4)
    expect((await store.run(takeTokensScript, ['u', 'r'], [2, 10, 60_000])).used).toBe(6)
  })

  it('reports a reply it cannot use as an error', async () => {
    const store = redisStore({ client: connection.client, prefix: `garbage-${library}:` })
    await connection.raw('LPUSH', `garbage-${library}:list`, 'x')
    await expect(store.get('list')).rejects.toThrow(/WRONGTYPE/)
    await store.set('text', 'not a number')
    await expect(store.increment('text', 1)).rejects.toThrow()
  })

  it('through the fail-safe wrapper: a wrong-type key is a miss with one warning, not an error', async () => {
    const warnings: string[] = []
    const store = failSafeStore(redisStore({ client: connection.client, prefix: `safe-${library}:` }), {
      warn: (code) => warnings.push(code),
    })
    await connection.raw('LPUSH', `safe-${library}:list`, 'x')
    expect(await store.get('list')).toBeUndefined()
    expect(await store.get('list')).toBeUndefined()
    expect(warnings).toEqual(['store_error'])
  })

  it('survives Redis killed mid-run and restarted: every operation answers, warnings once, Redis used again after', async () => {
    const warnings: Array<{ code: string; message: string }> = []
    const store = failSafeStore(redisStore({ client: connection.client, prefix: `outage-${library}:`, timeoutMs: 100 }), {
      warn: (code, message) => warnings.push({ code, message }),
    }) as FailSafeStore
    const answered: number[] = []
    let running = true
    const load = (async () => {
      let index = 0
      while (running) {
        index += 1
        await store.set(`k${index % 5}`, String(index), { ttlMs: 10_000 })
        answered.push(await store.increment('calls', 1))
        await store.get(`k${index % 5}`)
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    })()
    await new Promise((resolve) => setTimeout(resolve, 100))
    const beforeOutage = answered.length
    await redis.current.kill()
    await new Promise((resolve) => setTimeout(resolve, 600))
    const duringOutage = answered.length - beforeOutage
    await redis.current.restart()
    // The client reconnects by itself, and the wrapper tries Redis again after its pause.
    const deadline = Date.now() + 10_000
    while (Date.now() < deadline) {
      const marker = unique()
      await store.set(marker, 'after')
      if ((await connection.raw('GET', `outage-${library}:${marker}`).catch(() => null)) === 'after') break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    running = false
    await load
    expect(beforeOutage).toBeGreaterThan(3)
    expect(duringOutage).toBeGreaterThan(3)
    const codes = warnings.map((warning) => warning.code)
    expect(new Set(codes).size).toBe(codes.length)
    expect(codes.length).toBeGreaterThan(0)
    expect(warnings[0]!.message).toMatch(/redis store failed/)
    expect(store.degraded).toBe(false)
    // Back on Redis: counted there from a fresh server.
    const onRedis = await store.increment('after-restart', 1)
    expect(onRedis).toBe(1)
    expect(Number(await connection.raw('GET', `outage-${library}:after-restart`))).toBe(1)
  }, 30_000)
})

describe('redisStore options', () => {
  it('refuses something that is not a redis client', () => {
    expect(() => redisStore({ client: {} as never })).toThrow(ConfigurationError)
    expect(() => redisStore({ client: {} as never })).toThrow(/neither `sendCommand` nor `call`/)
    expect(() => redisStore(undefined as never)).toThrow(/`client` is required/)
  })

  it('refuses a bad timeout', () => {
    const client = { sendCommand: async () => 'OK' }
    expect(() => redisStore({ client, timeoutMs: 0 })).toThrow(/timeoutMs/)
  })
})
