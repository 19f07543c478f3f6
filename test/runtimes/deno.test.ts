import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useRedisServer } from '../helpers/redis-server.js'
import { connectRedisClient } from '../helpers/redis-clients.js'
import { startRecordedUpstream, type RecordedUpstream } from './recorded-upstream.js'
import { buildPackage, type PackageBuild } from './runtime-bundles.js'
import { startDeno, type RuntimeHost } from './runtime-hosts.js'
import { checkChat, checkExampleEndpoint, checkFallback, checkFetch, checkStream, providerSettings } from './runtime-scenarios.js'

// Deno, the binary from the `deno` npm package, allowed the network on 127.0.0.1 only.
describe('Deno', { timeout: 60_000 }, () => {
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

  describe.sequential('a router with openai, anthropic and fallback, keys from Deno.env', () => {
    let deno: RuntimeHost
    beforeAll(async () => {
      const bundle = await build.bundle('test/runtimes/entries/deno-probe.ts', 'deno', 'deno-probe')
      deno = await startDeno(bundle.file, providerSettings(upstream))
      hosts.push(deno)
    }, 60_000)

    it('runs in Deno', async () => {
      const globals = await (await fetch(`${deno.url}/probe/globals`)).json()
      expect(globals).toMatchObject({ deno: 'object', bun: 'undefined' })
      expect(globals.navigator).toMatch(/^Deno\//)
    })
    it('answers router.chat() with the recorded answer and the exact cost', () => checkChat(deno.url, upstream))
    it('streams router.stream() with the cost on the last chunk', () => checkStream(deno.url))
    it('serves router.fetch to the official OpenAI and Anthropic clients', () => checkFetch(deno.url))
    it('falls back from an overloaded OpenAI to Anthropic', () => checkFallback(deno.url, upstream))
  })

  it('runs examples/deno.ts (Deno.serve with router.fetch) with the keys from Deno.env', async () => {
    const bundle = await build.bundle('examples/deno.ts', 'deno', 'deno-example')
    const deno = await startDeno(bundle.file, { ...providerSettings(upstream), PORT: '0' })
    hosts.push(deno)
    await checkExampleEndpoint(deno.url, upstream)
  })

  describe('the Redis store with a user\'s client, over the runtime\'s TCP sockets', () => {
    const redis = useRedisServer()
    let host: RuntimeHost
    beforeAll(async () => {
      const bundle = await build.bundle('test/runtimes/entries/redis-store-probe.ts', 'deno', 'deno-redis', { nodeBuiltins: true })
      host = await startDeno(bundle.file, { REDIS_PORT: String(redis.current.port) })
      hosts.push(host)
    }, 60_000)

    it.each(['redis', 'ioredis'] as const)('works with a %s client: write, read, count and claim, in the real Redis', async (library) => {
      const response = await fetch(`${host.url}/?runtime=deno&library=${library}`)
      expect(await response.json()).toEqual({ greeting: `hello from ${library}`, counts: [1, 3], firstClaim: true, secondClaim: false, claim: 'first' })
      const direct = await connectRedisClient(library, redis.current.port)
      try {
        expect(await direct.raw('GET', `runtime-suite:deno:${library}:greeting`)).toBe(`hello from ${library}`)
        expect(Number(await direct.raw('GET', `runtime-suite:deno:${library}:count`))).toBe(3)
      } finally {
        await direct.close()
      }
    })
  })
})
