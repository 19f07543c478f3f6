import { afterAll, beforeAll, describe, it } from 'vitest'
import { startRecordedUpstream, type RecordedUpstream } from './recorded-upstream.js'
import { buildPackage, type BundleOptions, type PackageBuild, type RuntimeTarget } from './runtime-bundles.js'
import type { RuntimeHost } from './runtime-hosts.js'
import { checkChat, checkExampleEndpoint, checkFallback, checkFetch, checkOtherProviders, checkStream, otherProviderKeys, providerSettings } from './runtime-scenarios.js'

/** A runtime the suite runs in: how to bundle for it, start it, and recognise it. */
export interface RuntimeUnderTest {
  /** As the suite names it: `Cloudflare workerd`, `Vercel edge runtime`, `Bun`, `Deno`. */
  title: string
  target: RuntimeTarget
  /** The probe entry (test/runtimes/entries/…) and where its keys come from, for the test names. */
  probe: string
  keysFrom: string
  /** What the probe's `/probe/globals` must show in this runtime (it is the runtime it claims to be). */
  globals: { description: string; check(globals: Record<string, unknown>): void }
  /** The runnable example: the file bundled (an example, or a host around one), and what the test calls it. */
  example: { title: string; entry: string; environment?: Record<string, string>; bundleOptions?: BundleOptions }
  /** The entry that serves the probe over google(), mistral() and groq(), and what selects it. */
  otherProviders: { entry: string; environment?: Record<string, string> }
  start(bundleFile: string, environment: Record<string, string>): Promise<RuntimeHost>
}

/** What a runtime's own extra tests get: the suite's upstream, package build and the hosts it stops. */
export interface RuntimeSuite {
  readonly upstream: RecordedUpstream
  readonly build: PackageBuild
  /** Hosts pushed here are stopped after the suite. */
  readonly hosts: RuntimeHost[]
}

/**
 * The suite every runtime runs: the package built as published, a router with openai, anthropic
 * and fallback in the runtime (chat, stream, router.fetch, fallback), the runnable example, and
 * a router with google(), mistral() and groq().
 * `more` adds what only that runtime has (Redis over its sockets, ctx.waitUntil, …).
 */
export function describeRuntime(runtime: RuntimeUnderTest, more?: (suite: RuntimeSuite) => void): void {
  describe(runtime.title, { timeout: 60_000 }, () => {
    let upstream: RecordedUpstream
    let build: PackageBuild
    const hosts: RuntimeHost[] = []
    const suite: RuntimeSuite = {
      get upstream() {
        return upstream
      },
      get build() {
        return build
      },
      hosts,
    }

    beforeAll(async () => {
      upstream = await startRecordedUpstream()
      build = await buildPackage()
    }, 60_000)

    afterAll(async () => {
      await Promise.all(hosts.map((host) => host.stop()))
      await upstream?.close()
      build?.remove()
    })

    describe.sequential(`a router with openai, anthropic and fallback, keys from ${runtime.keysFrom}`, () => {
      let host: RuntimeHost
      beforeAll(async () => {
        const name = runtime.probe.replace(/^.*\//, '').replace(/\.ts$/, '')
        const bundle = await build.bundle(runtime.probe, runtime.target, name)
        host = await runtime.start(bundle.file, providerSettings(upstream))
        hosts.push(host)
      }, 60_000)

      it(`runs in ${runtime.title}, ${runtime.globals.description}`, async () => {
        runtime.globals.check((await (await fetch(`${host.url}/probe/globals`)).json()) as Record<string, unknown>)
      })
      it('answers router.chat() with the recorded answer and the exact cost', () => checkChat(host.url, upstream))
      it('streams router.stream() with the cost on the last chunk', () => checkStream(host.url))
      it('serves router.fetch to the official OpenAI and Anthropic clients', () => checkFetch(host.url))
      it('falls back from an overloaded OpenAI to Anthropic', () => checkFallback(host.url, upstream))
    })

    it(`runs ${runtime.example.title}`, async () => {
      const name = `${runtime.example.entry.replace(/^.*\//, '').replace(/\.ts$/, '')}-example`
      const bundle = await build.bundle(runtime.example.entry, runtime.target, name, runtime.example.bundleOptions)
      const host = await runtime.start(bundle.file, { ...providerSettings(upstream), ...runtime.example.environment })
      hosts.push(host)
      await checkExampleEndpoint(host.url, upstream)
    })

    it('runs google(), mistral() and groq() (fetch-based SDKs): chat and stream, with the exact cost', async () => {
      const bundle = await build.bundle(runtime.otherProviders.entry, runtime.target, `${runtime.target}-other-providers`)
      const host = await runtime.start(bundle.file, { ...otherProviderKeys, UPSTREAM_URL: upstream.url, ...runtime.otherProviders.environment })
      hosts.push(host)
      await checkOtherProviders(host.url, upstream)
    })

    more?.(suite)
  })
}
