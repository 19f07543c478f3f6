import { Redis as IORedis } from 'ioredis'
import { createClient } from 'redis'
import { redisStore, type RedisClientLike } from 'switchyard'

declare const Deno: { env: { get(name: string): string | undefined }; serve(options: { hostname: string; port: number; onListen(address: { port: number }): void }, handler: (request: Request) => Promise<Response>): unknown } | undefined
declare const Bun: { env: Record<string, string | undefined>; serve(options: { hostname: string; port: number; fetch(request: Request): Promise<Response> }): { port: number } } | undefined

const read = (name: string): string | undefined => (typeof Deno !== 'undefined' ? Deno.env.get(name) : Bun?.env[name])
const port = Number(read('REDIS_PORT'))

async function connect(library: string): Promise<{ client: RedisClientLike; close(): void }> {
  if (library === 'redis') {
    const client = createClient({ url: `redis://127.0.0.1:${port}` })
    await client.connect()
    return { client, close: () => client.destroy() }
  }
  const client = new IORedis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1 })
  await new Promise<void>((resolve, reject) => {
    client.once('ready', resolve)
    client.once('error', reject)
  })
  return { client, close: () => client.disconnect() }
}

// The Redis store with a user's client, over the runtime's own TCP sockets: write, read, count, claim.
async function exercise(request: Request): Promise<Response> {
  const library = new URL(request.url).searchParams.get('library') ?? 'redis'
  const { client, close } = await connect(library)
  try {
    const store = redisStore({ client, prefix: `runtime-suite:${new URL(request.url).searchParams.get('runtime')}:${library}:`, timeoutMs: 2_000 })
    await store.set('greeting', `hello from ${library}`, { ttlMs: 60_000 })
    const greeting = await store.get('greeting')
    const counts = [await store.increment('count', 1), await store.increment('count', 2)]
    const firstClaim = await store.setIfAbsent('claim', 'first')
    const secondClaim = await store.setIfAbsent('claim', 'second')
    return Response.json({ greeting, counts, firstClaim, secondClaim, claim: await store.get('claim') })
  } catch (error) {
    return Response.json({ error: String((error as Error).stack ?? error) }, { status: 500 })
  } finally {
    close()
  }
}

if (typeof Deno !== 'undefined') {
  Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port: listening }) => console.log(`listening on ${listening}`) }, exercise)
} else if (Bun) {
  const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: exercise })
  console.log(`listening on ${server.port}`)
}
