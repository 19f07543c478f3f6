import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useRedisServer } from '../helpers/redis-server.js'
import { connectRedisClient } from '../helpers/redis-clients.js'
import { startRecordedUpstream, type RecordedUpstream } from './recorded-upstream.js'
import { buildPackage, type PackageBuild } from './runtime-bundles.js'
import type { RuntimeHost } from './runtime-hosts.js'
import { checkChat, checkExampleEndpoint, checkFallback, checkFetch, checkStream, providerSettings } from './runtime-scenarios.js'

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

/** The Bun and Deno suite: router calls, the runnable example, and the Redis store over the runtime's sockets. */
export function describeServerRuntime(runtime: ServerRuntime): void {
  describe(runtime.title, { timeout: 60_000 }, () => {
    let upstream: RecordedUpstream
    let build: PackageBuild
    const hosts: RuntimeHost[] = []

    beforeAll(async () => {
      upstream = await startRecordedUpstream()
      build = await buildPackage()
    }, 60_000)

    afterAll(async () => {
      await Promise.all(hosts.map((host) => host.stop()))
      await upstream?.close()
      build?.remove()
    })

    describe.sequential(`a router with openai, anthropic and fallback, keys from ${runtime.title}.env`, () => {
      let host: RuntimeHost
      beforeAll(async () => {
        const bundle = await build.bundle(`test/runtimes/entries/${runtime.id}-probe.ts`, runtime.id, `${runtime.id}-probe`)
        host = await runtime.start(bundle.file, providerSettings(upstream))
        hosts.push(host)
      }, 60_000)

      it(`runs in ${runtime.title}`, async () => {
        const globals = await (await fetch(`${host.url}/probe/globals`)).json()
        expect(globals).toMatchObject({ [runtime.id]: 'object', [runtime.other]: 'undefined' })
        expect(globals.navigator).toMatch(new RegExp(`^${runtime.title}/`))
      })
      it('answers router.chat() with the recorded answer and the exact cost', () => checkChat(host.url, upstream))
      it('streams router.stream() with the cost on the last chunk', () => checkStream(host.url))
      it('serves router.fetch to the official OpenAI and Anthropic clients', () => checkFetch(host.url))
      it('falls back from an overloaded OpenAI to Anthropic', () => checkFallback(host.url, upstream))
    })

    it(`runs examples/${runtime.id}.ts (${runtime.title}.serve with router.fetch) with the keys from the environment`, async () => {
      const bundle = await build.bundle(`examples/${runtime.id}.ts`, runtime.id, `${runtime.id}-example`)
      const host = await runtime.start(bundle.file, { ...providerSettings(upstream), PORT: '0' })
      hosts.push(host)
      await checkExampleEndpoint(host.url, upstream)
    })

    describe('the Redis store with a user\'s client, over the runtime\'s TCP sockets', () => {
      const redis = useRedisServer()
      let host: RuntimeHost
      beforeAll(async () => {
        const bundle = await build.bundle('test/runtimes/entries/redis-store-probe.ts', runtime.id, `${runtime.id}-redis`, { nodeBuiltins: true })
        host = await runtime.start(bundle.file, { REDIS_PORT: String(redis.current.port) })
        hosts.push(host)
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
  })
}
