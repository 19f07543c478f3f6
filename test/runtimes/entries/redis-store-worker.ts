import { env } from 'cloudflare:workers'
import { Redis as IORedis } from 'ioredis'
import { createClient } from 'redis'
import { redisStore, type RedisClientLike } from 'switchyard'

declare global {
  namespace Cloudflare {
    interface Env {
      REDIS_PORT: string
    }
  }
}

async function connect(library: string): Promise<{ client: RedisClientLike; close(): void }> {
  if (library === 'redis') {
    const client = createClient({ url: `redis://127.0.0.1:${env.REDIS_PORT}` })
    await client.connect()
    return { client, close: () => client.destroy() }
  }
  const client = new IORedis({ host: '127.0.0.1', port: Number(env.REDIS_PORT), maxRetriesPerRequest: 1 })
  await new Promise<void>((resolve, reject) => {
    client.once('ready', resolve)
    client.once('error', reject)
  })
  return { client, close: () => client.disconnect() }
}

// One client kept for the isolate, to show what workerd does with a socket opened by an earlier request.
let shared: Promise<{ client: RedisClientLike; close(): void }> | undefined

/**
 * The Redis store with a user's client over workerd's sockets (`nodejs_compat` gives node:net on
 * top of `connect()`). `client=per-request` opens a client for the request and closes it;
 * `client=shared` keeps the first request's client for the next ones.
 */
export default {
  async fetch(request: Request): Promise<Response> {
    const parameters = new URL(request.url).searchParams
    const library = parameters.get('library') ?? 'redis'
    const perRequest = parameters.get('client') !== 'shared'
    try {
      const connection = await (perRequest ? connect(library) : (shared ??= connect(library)))
      try {
        const store = redisStore({ client: connection.client, prefix: `runtime-suite:workerd:${library}:`, timeoutMs: 1_000 })
        await store.set('greeting', `hello from ${library}`, { ttlMs: 60_000 })
        const greeting = await store.get('greeting')
        const count = await store.increment('count', 1)
        return Response.json({ greeting, count })
      } finally {
        if (perRequest) connection.close()
      }
    } catch (error) {
      return Response.json({ error: `${(error as Error).name}: ${(error as Error).message}` }, { status: 500 })
    }
  },
}
