import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRecordedUpstream, type RecordedUpstream } from './recorded-upstream.js'
import { buildPackage, type PackageBuild } from './runtime-bundles.js'
import { startEdgeRuntime, type RuntimeHost } from './runtime-hosts.js'
import { checkChat, checkExampleEndpoint, checkFallback, checkFetch, checkStream, providerSettings } from './runtime-scenarios.js'

// Vercel Edge Functions: the bundles run in `edge-runtime`, the isolate Vercel and Next.js use for them.
describe('Vercel edge runtime', { timeout: 60_000 }, () => {
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

  describe.sequential('a router with openai, anthropic and fallback, keys from process.env', () => {
    let edge: RuntimeHost
    beforeAll(async () => {
      const bundle = await build.bundle('test/runtimes/entries/edge-probe.ts', 'edge-light', 'edge-probe')
      edge = await startEdgeRuntime(bundle.file, providerSettings(upstream))
      hosts.push(edge)
    }, 60_000)

    it('runs in the edge runtime, with web APIs and process.env only', async () => {
      const globals = await (await fetch(`${edge.url}/probe/globals`)).json()
      expect(globals).toMatchObject({ edgeRuntime: 'string', process: 'object', deno: 'undefined', bun: 'undefined' })
    })
    it('answers router.chat() with the recorded answer and the exact cost', () => checkChat(edge.url, upstream))
    it('streams router.stream() with the cost on the last chunk', () => checkStream(edge.url))
    it('serves router.fetch to the official OpenAI and Anthropic clients', () => checkFetch(edge.url))
    it('falls back from an overloaded OpenAI to Anthropic', () => checkFallback(edge.url, upstream))
  })

  it('runs examples/vercel-edge.ts with the keys from the environment variables', async () => {
    const bundle = await build.bundle('test/runtimes/entries/vercel-edge-host.ts', 'edge-light', 'vercel-edge')
    const edge = await startEdgeRuntime(bundle.file, providerSettings(upstream))
    hosts.push(edge)
    await checkExampleEndpoint(edge.url, upstream)
  })
})
