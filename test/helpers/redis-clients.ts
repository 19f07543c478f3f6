import { Redis as IORedis } from 'ioredis'
import { createClient } from 'redis'
import { afterAll } from 'vitest'
import type { RedisClientLike } from '../../src/stores/redis-store.js'
import { useRedisServer } from './redis-server.js'

/** A connected client of one of the two supported libraries, and how to close it. */
export interface TestRedisClient {
  readonly library: 'redis' | 'ioredis'
  readonly client: RedisClientLike
  /** Sends a raw command straight to Redis, bypassing the store (to check what it wrote). */
  raw(command: string, ...args: (string | number)[]): Promise<unknown>
  close(): Promise<void>
}

export const redisLibraries = ['redis', 'ioredis'] as const

export async function connectRedisClient(library: 'redis' | 'ioredis', port: number): Promise<TestRedisClient> {
  if (library === 'redis') {
    const client = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: 50 } })
    client.on('error', () => {})
    await client.connect()
    return {
      library,
      client,
      raw: (command, ...args) => client.sendCommand([command, ...args.map(String)]),
      close: async () => {
        client.destroy()
      },
    }
  }
  const client = new IORedis({ host: '127.0.0.1', port, retryStrategy: () => 50, maxRetriesPerRequest: 1 })
  client.on('error', () => {})
  await new Promise<void>((resolve, reject) => {
    client.once('ready', resolve)
    client.once('end', () => reject(new Error('ioredis could not connect')))
  })
  return {
    library,
    client,
    raw: (command, ...args) => client.call(command, ...args),
    close: async () => {
      client.disconnect()
    },
  }
}

/**
 * A Redis for this test file (`useRedisServer`) and `connect(library)` for clients of it. The clients
 * are closed after the file's tests, before the server stops (vitest runs after-hooks in reverse).
 */
export function useRedisWithClients(): { connect(library: 'redis' | 'ioredis'): Promise<TestRedisClient> } {
  const redis = useRedisServer()
  const clients: TestRedisClient[] = []
  afterAll(async () => {
    for (const client of clients) await client.close()
  })
  return {
    async connect(library) {
      const client = await connectRedisClient(library, redis.current.port)
      clients.push(client)
      return client
    },
  }
}
