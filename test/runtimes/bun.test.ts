import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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
})
