import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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
})
