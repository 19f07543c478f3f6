import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useRedisServer } from '../helpers/redis-server.js'
import { connectRedisClient } from '../helpers/redis-clients.js'
import { startRecordedUpstream, type RecordedUpstream } from './recorded-upstream.js'
import { buildPackage, type PackageBuild } from './runtime-bundles.js'
import { startBun, type RuntimeHost } from './runtime-hosts.js'
import { checkChat, checkExampleEndpoint, checkFallback, checkFetch, checkStream, providerSettings } from './runtime-scenarios.js'

// Bun, the binary from the `bun` npm package.
describe('Bun', { timeout: 60_000 }, () => {
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

  describe.sequential('a router with openai, anthropic and fallback, keys from Bun.env', () => {
    let bun: RuntimeHost
    beforeAll(async () => {
      const bundle = await build.bundle('test/runtimes/entries/bun-probe.ts', 'bun', 'bun-probe')
      bun = await startBun(bundle.file, providerSettings(upstream))
      hosts.push(bun)
    }, 60_000)

    it('runs in Bun', async () => {
      const globals = await (await fetch(`${bun.url}/probe/globals`)).json()
      expect(globals).toMatchObject({ bun: 'object', deno: 'undefined' })
      expect(globals.navigator).toMatch(/^Bun\//)
    })
    it('answers router.chat() with the recorded answer and the exact cost', () => checkChat(bun.url, upstream))
    it('streams router.stream() with the cost on the last chunk', () => checkStream(bun.url))
    it('serves router.fetch to the official OpenAI and Anthropic clients', () => checkFetch(bun.url))
    it('falls back from an overloaded OpenAI to Anthropic', () => checkFallback(bun.url, upstream))
  })

  it('runs examples/bun.ts (Bun.serve with router.fetch) with the keys from the environment', async () => {
    const bundle = await build.bundle('examples/bun.ts', 'bun', 'bun-example')
    const bun = await startBun(bundle.file, { ...providerSettings(upstream), PORT: '0' })
    hosts.push(bun)
    await checkExampleEndpoint(bun.url, upstream)
  })

  describe('the Redis store with a user\'s client, over the runtime\'s TCP sockets', () => {
    const redis = useRedisServer()
    let host: RuntimeHost
    beforeAll(async () => {
      const bundle = await build.bundle('test/runtimes/entries/redis-store-probe.ts', 'bun', 'bun-redis', { nodeBuiltins: true })
      host = await startBun(bundle.file, { REDIS_PORT: String(redis.current.port) })
      hosts.push(host)
    }, 60_000)

    it.each(['redis', 'ioredis'] as const)('works with a %s client: write, read, count and claim, in the real Redis', async (library) => {
      const response = await fetch(`${host.url}/?runtime=bun&library=${library}`)
      expect(await response.json()).toEqual({ greeting: `hello from ${library}`, counts: [1, 3], firstClaim: true, secondClaim: false, claim: 'first' })
      const direct = await connectRedisClient(library, redis.current.port)
      try {
        expect(await direct.raw('GET', `runtime-suite:bun:${library}:greeting`)).toBe(`hello from ${library}`)
        expect(Number(await direct.raw('GET', `runtime-suite:bun:${library}:count`))).toBe(3)
      } finally {
        await direct.close()
      }
    })
  })
})
