import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRecordedUpstream, type RecordedUpstream } from './recorded-upstream.js'
import { buildPackage, type BundleResult, type PackageBuild } from './runtime-bundles.js'
import { startWorkerd, type RuntimeHost } from './runtime-hosts.js'
import { checkChat, checkStream, expectedCost, openAIKey, providerSettings } from './runtime-scenarios.js'

const worker = 'test/runtimes/entries/one-provider-worker.ts'
const example = 'examples/cloudflare-worker.ts'
const otherProviders = ['anthropic', 'google', 'mistral', 'groq', 'openai-compatible', 'mock']
const otherSdks = ['@anthropic-ai/sdk', '@google/genai', '@mistralai/mistralai', 'groq-sdk']
// Each factory names its key's variable, so each provider's code carries it; the catalog does not.
const otherProviderMarkers = ['ANTHROPIC_API_KEY', 'GEMINI_API_KEY', 'MISTRAL_API_KEY', 'GROQ_API_KEY', 'DEEPSEEK_API_KEY']

function kilobytes(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`
}

/** Bytes in the bundle per source folder or npm package, largest first. */
function composition(bundle: BundleResult): [string, number][] {
  const groups = new Map<string, number>()
  for (const [file, bytes] of bundle.bytesByInput) {
    const packageName = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1]
    const group = packageName ?? file.replace(/\/[^/]+$/, '/')
    groups.set(group, (groups.get(group) ?? 0) + bytes)
  }
  return [...groups].sort((left, right) => right[1] - left[1])
}

function providerFolders(bundle: BundleResult): string[] {
  return [...new Set([...bundle.bytesByInput.keys()].flatMap((file) => /^src\/providers\/([^/]+)\//.exec(file)?.[1] ?? []))]
}

/** Source modules of features a Worker that does not use them must not carry, by path. */
const unusedFeatureModules = [
  /^src\/spend\//, // spend control, budgets, limits, the ledger
  /^src\/telemetry\//, // OpenTelemetry
  /^src\/report\//, // router.report() and its page
  /^src\/stores\//, // every store: nothing in these Workers keeps state in one
  /^src\/state\/(response-cache|shared-state|state-features)\.ts$/, // the response cache, shared state
  /^src\/facades\/openai-responses\//, // the Responses API surface
  /^src\/ai-sdk\//,
  /node_modules\/(lru-cache|redis|@redis|ioredis)\//,
]

function carried(bundle: BundleResult, patterns: RegExp[]): string[] {
  return [...bundle.bytesByInput.keys()].filter((file) => patterns.some((pattern) => pattern.test(file)))
}

/**
 * A Cloudflare Worker that uses one provider (openai) and `fallback`, `export default { fetch:
 * router.fetch }`, bundled as wrangler would (esbuild, workerd conditions, minified) in a project
 * that installed only `openai`: what it carries, and that it still works.
 */
describe('a one-provider Worker bundle', { timeout: 60_000 }, () => {
  let isolated: PackageBuild
  let repository: PackageBuild
  let published: BundleResult
  let fromSource: BundleResult
  let exampleFromSource: BundleResult
  let upstream: RecordedUpstream
  const hosts: RuntimeHost[] = []

  beforeAll(async () => {
    upstream = await startRecordedUpstream()
    isolated = await buildPackage({ installedPeers: ['openai'] })
    repository = await buildPackage()
    published = await isolated.bundle(worker, 'workerd', 'one-provider-worker', { external: ['cloudflare:workers'] })
    // The same Worker from src/, where every SDK is installed: the metafile then names each module.
    fromSource = await repository.bundle(worker, 'workerd', 'one-provider-worker-source', { external: ['cloudflare:workers'], fromSource: true })
    // gpt-tokenizer (token counting, an optional peer) is left out, as in a project that did not install it.
    exampleFromSource = await repository.bundle(example, 'workerd', 'cloudflare-worker-source', { external: ['cloudflare:workers', 'gpt-tokenizer'], fromSource: true })
    const line = ([group, bytes]: [string, number]) => `  ${kilobytes(bytes).padStart(9)}  ${group}`
    console.log(
      `one-provider Worker (openai + fallback), only openai installed: ${kilobytes(published.bytes)} minified, ${kilobytes(published.gzipBytes)} gzipped\n` +
        composition(published).map(line).join('\n') +
        `\nthe same from src/ with every optional package installed: ${kilobytes(fromSource.bytes)} minified, ${kilobytes(fromSource.gzipBytes)} gzipped\n` +
        composition(fromSource)
          .map(line)
          .join('\n') +
        `\nexamples/cloudflare-worker.ts (openai + anthropic, both dialects) from src/: ${kilobytes(exampleFromSource.bytes)} minified, ${kilobytes(exampleFromSource.gzipBytes)} gzipped`,
    )
  }, 120_000)

  afterAll(async () => {
    await Promise.all(hosts.map((host) => host.stop()))
    await upstream?.close()
    isolated?.remove()
    repository?.remove()
  })

  it('builds in a project that installed only the openai SDK, from the published ES module build', () => {
    // `switchyard/core`, resolved through the package's `workerd` export condition to dist/core.js
    // (and the chunks it shares with dist/index.js).
    const packageFiles = [...published.bytesByInput.keys()].filter((file) => file.includes('node_modules/switchyard/'))
    expect(packageFiles).toContainEqual(expect.stringMatching(/node_modules\/switchyard\/dist\/core\.js$/))
    expect(packageFiles.filter((file) => !/node_modules\/switchyard\/dist\/[^/]+\.js$/.test(file))).toEqual([])
    expect([...published.bytesByInput.keys()].some((file) => file.includes('node_modules/openai/'))).toBe(true)
  })

  it('carries no other provider: no adapter module, no SDK', () => {
    expect(providerFolders(fromSource).sort()).toEqual(['openai'])
    expect([...fromSource.bytesByInput.keys()].filter((file) => file.startsWith('src/providers/anthropic/'))).toEqual([])
    const sdks = [...fromSource.bytesByInput.keys()].filter((file) => otherSdks.some((sdk) => file.includes(`node_modules/${sdk}/`)))
    expect(sdks).toEqual([])
    expect(providerFolders(fromSource).filter((folder) => otherProviders.includes(folder) && folder !== 'anthropic')).toEqual([])
  })

  it('carries no other provider in the published build either (checked by each factory\'s key variable)', async () => {
    const { readFileSync } = await import('node:fs')
    const code = readFileSync(published.file, 'utf8')
    expect(otherProviderMarkers.filter((marker) => code.includes(marker))).toEqual([])
    // The check finds a provider when there is one: the two-provider probe carries Anthropic's.
    const twoProviders = readFileSync((await repository.bundle('test/runtimes/entries/workerd-probe.ts', 'workerd', 'two-providers')).file, 'utf8')
    expect(otherProviderMarkers.filter((marker) => twoProviders.includes(marker))).toEqual(['ANTHROPIC_API_KEY'])
  })

  it('carries no spend control, telemetry, report, store, response cache or unused facade (switchyard/core, openaiEndpoint only)', () => {
    expect(carried(fromSource, unusedFeatureModules)).toEqual([])
    // …nor the Anthropic surface it was not given, nor the OpenTelemetry API.
    expect(carried(fromSource, [/^src\/facades\/anthropic-/, /^src\/internal\/anthropic-/, /node_modules\/@opentelemetry\//])).toEqual([])
    // The check sees these modules when they are there: the full router's bundle has each kind.
    const everyKind = [...unusedFeatureModules.slice(0, 6), /^src\/facades\/anthropic-/]
    return repository.bundle('test/bundle-size/entries/full.ts', 'workerd', 'full-router', { fromSource: true, external: ['@opentelemetry/api'] }).then((full) => {
      expect(everyKind.filter((pattern) => carried(full, [pattern]).length === 0)).toEqual([])
    })
  })

  it('the example Worker (openai + anthropic, both dialects) carries its two providers and surfaces, and no unused feature, facade, provider or store', () => {
    expect(providerFolders(exampleFromSource).sort()).toEqual(['anthropic', 'openai'])
    expect(carried(exampleFromSource, [/^src\/facades\/anthropic-facade\.ts$/, /^src\/facades\/openai-facade\.ts$/]).sort()).toEqual(['src/facades/anthropic-facade.ts', 'src/facades/openai-facade.ts'])
    expect(carried(exampleFromSource, unusedFeatureModules)).toEqual([])
    // The Anthropic dialect of router.fetch shares its thinking-block format with the adapter through src/internal/.
    expect(carried(exampleFromSource, [/^src\/internal\/anthropic-thinking\.ts$/])).toHaveLength(1)
    const sdks = [...exampleFromSource.bytesByInput.keys()].filter((file) => ['@google/genai', '@mistralai/mistralai', 'groq-sdk'].some((sdk) => file.includes(`node_modules/${sdk}/`)))
    expect(sdks).toEqual([])
  })

  it('answers in workerd: the measured bundle is a working Worker', async () => {
    const host = await startWorkerd(published.file, { OPENAI_API_KEY: openAIKey, OPENAI_BASE_URL: `${upstream.url}/openai/v1` })
    hosts.push(host)
    const response = await fetch(`${host.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'Hi' }] }),
    })
    expect(response.status).toBe(200)
    expect(Number(response.headers.get('x-switchyard-cost-usd'))).toBeCloseTo(expectedCost.openAIChat, 12)
  })

  it('bundles for Node too, and the Node bundle answers chat and stream in-process', async () => {
    const nodeBundle = await repository.bundle('test/runtimes/entries/node-probe.ts', 'node', 'node-probe')
    const { createProbe } = (await import(pathToFileURL(nodeBundle.file).href)) as typeof import('./probe-app.js')
    const probe = createProbe(providerSettings(upstream) as never)
    const served = await import('node:http').then(({ createServer }) => {
      const server = createServer(async (request, response) => {
        const body = await new Promise<string>((resolve) => {
          let text = ''
          request.on('data', (part: Buffer) => (text += part.toString('utf8')))
          request.on('end', () => resolve(text))
        })
        const answer = await probe(new Request(`http://127.0.0.1${request.url}`, { method: request.method, headers: { 'content-type': 'application/json' }, body: request.method === 'POST' ? body : undefined }))
        response.writeHead(answer.status, Object.fromEntries(answer.headers))
        response.end(Buffer.from(await answer.arrayBuffer()))
      })
      return new Promise<{ url: string; close(): void }>((resolve) =>
        server.listen(0, '127.0.0.1', () => {
          const address = server.address() as { port: number }
          resolve({ url: `http://127.0.0.1:${address.port}`, close: () => server.close() })
        }),
      )
    })
    try {
      await checkChat(served.url, upstream)
      await checkStream(served.url)
    } finally {
      served.close()
    }
  })
})
