import { afterAll, beforeAll } from 'vitest'
import type { Store } from '../../src/spec/store.js'
import { memoryStore } from '../../src/stores/memory-store.js'
import { redisStore } from '../../src/stores/redis-store.js'
import { connectRedisClient, type TestRedisClient } from '../helpers/redis-clients.js'
import { RedisServer } from '../helpers/redis-server.js'

export type StoreKind = 'memory' | 'redis (node-redis)' | 'redis (ioredis)'
export const storeKinds: StoreKind[] = ['memory', 'redis (node-redis)', 'redis (ioredis)']

/**
 * Gives each test a fresh store of every kind: the memory store, and the Redis store over a real
 * redis-server with both client libraries, so every script is checked in Lua and in JavaScript.
 */
export function useStores(): (kind: StoreKind) => Promise<Store> {
  let server: RedisServer | undefined
  const clients: TestRedisClient[] = []
  let sequence = 0
  beforeAll(async () => {
    server = await RedisServer.start()
  }, 120_000)
  afterAll(async () => {
    for (const client of clients) await client.close()
    await server?.stop()
  })
  return async (kind) => {
    if (kind === 'memory') return memoryStore()
    const client = await connectRedisClient(kind === 'redis (ioredis)' ? 'ioredis' : 'redis', server!.port)
    clients.push(client)
    sequence += 1
    // Each store its own prefix: tests never see each other's counters.
    return redisStore({ client: client.client, prefix: `test-${sequence}:`, timeoutMs: 2_000 })
  }
}
