import { beforeAll, describe, expect, it } from 'vitest'
import { useRedisServer } from '../helpers/redis-server.js'
import { connectRedisClient } from '../helpers/redis-clients.js'
import type { RuntimeHost } from './runtime-hosts.js'
import { describeRuntime } from './runtime-suite.js'

/** A runtime with TCP sockets and a `serve` API (Bun, Deno): the same suite runs in each. */
export interface ServerRuntime {
  /** Bundle condition, probe and example file name: `bun`, `deno`. */
  id: 'bun' | 'deno'
  /** The other such runtime, whose global must be absent. */
  other: 'bun' | 'deno'
  /** As the runtime names itself (`navigator.userAgent`, `Bun.env`): `Bun`, `Deno`. */
  title: 'Bun' | 'Deno'
  start(bundleFile: string, environment: Record<string, string>): Promise<RuntimeHost>
}

/** The Bun and Deno suite: the runtime suite, plus the Redis store over the runtime's sockets. */
export function describeServerRuntime(runtime: ServerRuntime): void {
  describeRuntime(
    {
      title: runtime.title,
      target: runtime.id,
      probe: `test/runtimes/entries/${runtime.id}-probe.ts`,
      keysFrom: `${runtime.title}.env`,
      globals: {
        description: `its own global and user agent`,
        check(globals) {
          expect(globals).toMatchObject({ [runtime.id]: 'object', [runtime.other]: 'undefined' })
          expect(globals.navigator).toMatch(new RegExp(`^${runtime.title}/`))
        },
      },
      example: { title: `examples/${runtime.id}.ts (${runtime.title}.serve with router.fetch) with the keys from the environment`, entry: `examples/${runtime.id}.ts`, environment: { PORT: '0' } },
      otherProviders: { entry: `test/runtimes/entries/${runtime.id}-probe.ts`, environment: { PROBE: 'other-providers' } },
      start: runtime.start,
    },
    (suite) => {
      describe('the Redis store with a user\'s client, over the runtime\'s TCP sockets', () => {
        const redis = useRedisServer()
        let host: RuntimeHost
        beforeAll(async () => {
          const bundle = await suite.build.bundle('test/runtimes/entries/redis-store-probe.ts', runtime.id, `${runtime.id}-redis`, { nodeBuiltins: true })
          host = await runtime.start(bundle.file, { REDIS_PORT: String(redis.current.port) })
          suite.hosts.push(host)
        }, 60_000)

        it.each(['redis', 'ioredis'] as const)('works with a %s client: write, read, count and claim, in the real Redis', async (library) => {
          const response = await fetch(`${host.url}/?runtime=${runtime.id}&library=${library}`)
          expect(await response.json()).toEqual({ greeting: `hello from ${library}`, counts: [1, 3], firstClaim: true, secondClaim: false, claim: 'first' })
          const direct = await connectRedisClient(library, redis.current.port)
          try {
            expect(await direct.raw('GET', `runtime-suite:${runtime.id}:${library}:greeting`)).toBe(`hello from ${library}`)
            expect(Number(await direct.raw('GET', `runtime-suite:${runtime.id}:${library}:count`))).toBe(3)
          } finally {
            await direct.close()
          }
        })
      })
    },
  )
}
