import { execFileSync } from 'node:child_process'
import { dirname } from 'node:path'
import { pathToFileURL } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildPackage, repositoryRoot } from '../helpers/package-build.js'

// The package under test is built into node_modules/.cache/: that folder is not a dependency.
/**
 * What `import('switchyard')` loads, inspected (not timed) in fresh Node processes running the
 * built package, both builds: no price catalog, no provider SDK, no Redis client, no OpenTelemetry,
 * no third-party package at all; `createRouter()` with validated routes loads none either. Each
 * probe then loads the catalog and an SDK itself, to show that it sees such loads.
 *
 * Both builds also leave the package's own lazily loaded parts unloaded (each is a file of its own): the drop-in facades, `router.fetch`, every provider's request/response translation
 * and `router.stream`'s call are imported at their first use, so importing the package does not
 * compile them. The probe then uses a facade, `router.fetch`, an adapter and a stream, and sees those files load.
 */
/** The package's own files that are imported on first use, by the name the bundler gives their chunk. */
const lazilyLoadedPart = /^(openai-facade|responses-facade|anthropic-facade|fetch-handler|[a-z]+-translation|spend-guard|response-cache|race-runner|ab-test-runner|key-pool-runner|stream-call|retry-runner|openai-token-count|report-page-response|shared-spend)-[A-Za-z0-9]+\.c?js$/

const forbidden = /^(@pydantic\/genai-prices|openai|@anthropic-ai\/.+|@google\/genai|@mistralai\/mistralai|groq-sdk|@aws-sdk\/.+|redis|@redis\/.+|ioredis|@opentelemetry\/.+|gpt-tokenizer|ai|@ai-sdk\/.+)$/

const createRouterCall = `createRouter({
  providers: [openai({ apiKey: 'sk-test-0000' }), anthropic({ apiKey: 'sk-ant-test-0000' })],
  routes: { main: fallback(['anthropic/claude-sonnet-4-5', 'openai/gpt-4o']), small: 'openai/gpt-4o-mini' },
})
let refused = ''
try { createRouter({ providers: [openai({ apiKey: 'sk-test-0000' })], routes: { typo: 'openai/gpt-4o-typo' } }) } catch (error) { refused = error.name }`

interface Footprint {
  exports: number
  afterImport: string[]
  /** The ES module build's own files loaded after the import, `createRouter` and first use (file names). */
  ownAfterImport?: string[]
  ownAfterCreateRouter?: string[]
  ownAfterFirstUse?: string[]
  ownAfterConfiguredUse?: string[]
  ownAfterStreamUse?: string[]
  afterCreateRouter: string[]
  refused: string
  afterLoadingThemOurselves: string[]
}

// First use: a facade, router.fetch, and an adapter with a ready client (no SDK, no network).
const firstUse = `
    const completion = { id: 'c', model: 'gpt-4o', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }
    const streamed = [
      { id: 'c', model: 'gpt-4o', choices: [{ index: 0, delta: { role: 'assistant', content: 'hi' }, finish_reason: null }] },
      { id: 'c', model: 'gpt-4o', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      { id: 'c', model: 'gpt-4o', choices: [], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } },
    ]
    const chunks = async function* () { yield* streamed }
    const client = { chat: { completions: { create: async (body) => (body.stream ? chunks() : completion) } }, embeddings: { create: async () => ({}) } }
    const used = createRouter({ providers: [openai({ client })] })
    await used.openai.models.list()
    await used.fetch(new Request('http://localhost/v1/models'))
    const answered = await used.chat({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }] })
    if (answered.choices[0].message.content !== 'hi') throw new Error('the adapter did not answer')`

// Then a router whose features are configured: a budget and the response cache load their code at its first call.
const configuredUse = `
    const configured = createRouter({ providers: [openai({ client })], budgets: [{ name: 'daily', limitUsd: 5, window: 'day' }], cache: true })
    const first = await configured.chat({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }] })
    const again = await configured.chat({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }] })
    if (first.route.cacheHit || !again.route.cacheHit) throw new Error('the cache did not answer the second call')`

// Then a stream: router.stream's call loads its code at the first stream.
const streamUse = `
    let text = ''
    for await (const chunk of used.stream({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }] })) text += chunk.choices[0]?.delta?.content ?? ''
    if (text !== 'hi') throw new Error('the stream did not answer')`

/**
 * What both probes do once their `loaded()` and `own()` are defined: load the package, create
 * routers, use the lazily loaded parts, then load the catalog and an SDK themselves; `load` writes
 * the import (ESM) or require (CommonJS) of a specifier.
 */
function probeSteps(load: (specifier: string) => string, entry: string): string {
  return `
    const entry = ${load(entry)}
    const afterImport = loaded()
    const ownAfterImport = own()
    const { createRouter, openai, anthropic, fallback } = entry
    ${createRouterCall}
    const afterCreateRouter = loaded()
    const ownAfterCreateRouter = own()
    ${firstUse}
    const ownAfterFirstUse = own()
    ${configuredUse}
    const ownAfterConfiguredUse = own()
    ${streamUse}
    const ownAfterStreamUse = own()
    ${load('@pydantic/genai-prices')}
    ${load('openai')}
    console.log(JSON.stringify({ exports: Object.keys(entry).length, afterImport, afterCreateRouter, refused, afterLoadingThemOurselves: loaded(), ownAfterImport, ownAfterCreateRouter, ownAfterFirstUse, ownAfterConfiguredUse, ownAfterStreamUse }))`
}

function esmProbe(entry: string): string {
  const builtDirectory = pathToFileURL(dirname(entry)).href + '/'
  // The loader hook runs off the main thread in Node 20: it writes each resolved package to a file.
  return `
    import { register } from 'node:module'
    import { mkdtempSync, readFileSync, existsSync } from 'node:fs'
    import { tmpdir } from 'node:os'
    import { join } from 'node:path'
    const log = join(mkdtempSync(join(tmpdir(), 'switchyard-footprint-')), 'loaded.txt')
    const builtDirectory = ${JSON.stringify(builtDirectory)}
    const hook = \`
      import { appendFileSync } from 'node:fs'
      export async function resolve(specifier, context, next) {
        const result = await next(specifier, context)
        const found = /\\\\/node_modules\\\\/(?!\\\\.cache\\\\/)((?:@[^/]+\\\\/)?[^/]+)\\\\//.exec(result.url)
        if (found) appendFileSync(\${JSON.stringify(log)}, found[1] + '\\\\n')
        if (result.url.startsWith(\${JSON.stringify(builtDirectory)})) appendFileSync(\${JSON.stringify(log)}, 'own:' + result.url.slice(\${builtDirectory.length}) + '\\\\n')
        return result
      }\`
    register('data:text/javascript,' + encodeURIComponent(hook))
    const lines = () => [...new Set(existsSync(log) ? readFileSync(log, 'utf8').split('\\n').filter(Boolean) : [])].sort()
    const loaded = () => lines().filter((line) => !line.startsWith('own:'))
    const own = () => lines().filter((line) => line.startsWith('own:')).map((line) => line.slice(4))
    ${probeSteps((specifier) => `await import(${JSON.stringify(specifier)})`, pathToFileURL(entry).href)}
  `
}

function cjsProbe(entry: string): string {
  const builtDirectory = dirname(entry) + '/'
  return `
    const loaded = () => [...new Set(Object.keys(require.cache).flatMap((file) => {
      const found = /\\/node_modules\\/(?!\\.cache\\/)((?:@[^/]+\\/)?[^/]+)\\//.exec(file)
      return found ? [found[1]] : []
    }))].sort()
    const own = () => Object.keys(require.cache).filter((file) => file.startsWith(${JSON.stringify(builtDirectory)})).map((file) => file.slice(${builtDirectory.length})).sort()
    ;(async () => {
    ${probeSteps((specifier) => `require(${JSON.stringify(specifier)})`, entry)}
    })()
  `
}

function run(args: string[]): Footprint {
  const output = execFileSync(process.execPath, args, { cwd: repositoryRoot, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } })
  return JSON.parse(output.trim().split('\n').at(-1)!) as Footprint
}

describe('importing the built package', () => {
  let built: { esm: string; cjs: string }
  beforeAll(() => {
    built = buildPackage('switchyard-import-footprint')
  }, 120_000)

  for (const format of ['esm', 'cjs'] as const) {
    it(`${format.toUpperCase()}: loads no third-party package (price catalog, provider SDKs, Redis, OpenTelemetry), nor does createRouter`, () => {
      const footprint = run(format === 'esm' ? ['--input-type=module', '-e', esmProbe(built.esm)] : ['-e', cjsProbe(built.cjs)])
      expect(footprint.exports).toBeGreaterThan(20)
      expect(footprint.afterImport).toEqual([])
      expect(footprint.afterCreateRouter).toEqual([])
      // Routes were validated against the catalog's models all the same.
      expect(footprint.refused).toBe('ConfigurationError')
      // The probe sees a package once something loads it.
      expect(footprint.afterLoadingThemOurselves).toEqual(expect.arrayContaining(['@pydantic/genai-prices', 'openai']))
      expect(footprint.afterLoadingThemOurselves.filter((name) => forbidden.test(name)).length).toBeGreaterThanOrEqual(2)
    }, 60_000)
  }

  for (const format of ['esm', 'cjs'] as const) {
    it(`${format.toUpperCase()}: loads none of its lazily loaded parts (facades, router.fetch, provider translations, budgets and limits, the response cache, router.stream's call) at import or createRouter, and only two files; each part loads at first use`, () => {
      const footprint = run(format === 'esm' ? ['--input-type=module', '-e', esmProbe(built.esm)] : ['-e', cjsProbe(built.cjs)])
      const extension = format === 'esm' ? '.js' : '.cjs'
      expect(footprint.ownAfterImport).toContain(`index${extension}`)
      // Each file costs Node a resolution, a read and a link: the eager code is grouped in few.
      expect(footprint.ownAfterImport!.length).toBeLessThanOrEqual(2)
      expect(footprint.ownAfterImport!.filter((file) => lazilyLoadedPart.test(file))).toEqual([])
      expect(footprint.ownAfterCreateRouter!.filter((file) => lazilyLoadedPart.test(file))).toEqual([])
      const loadedAtFirstUse = footprint.ownAfterFirstUse!.filter((file) => lazilyLoadedPart.test(file)).map((file) => file.replace(/-[A-Za-z0-9]+\.c?js$/, ''))
      expect(loadedAtFirstUse.sort()).toEqual(['fetch-handler', 'openai-facade', 'openai-translation'])
      // Budgets, limits and cost caps (spend-guard) and the response cache load only for a router or call that uses them.
      const loadedWhenConfigured = footprint.ownAfterConfiguredUse!.filter((file) => lazilyLoadedPart.test(file) && !footprint.ownAfterFirstUse!.includes(file))
      expect(loadedWhenConfigured.map((file) => file.replace(/-[A-Za-z0-9]+\.c?js$/, '')).sort()).toEqual(['response-cache', 'spend-guard'])
      // router.stream's call (the stream path and its live stream attempt) loads at the first stream only.
      const loadedAtFirstStream = footprint.ownAfterStreamUse!.filter((file) => !footprint.ownAfterConfiguredUse!.includes(file))
      expect(loadedAtFirstStream.map((file) => file.replace(/-[A-Za-z0-9]+\.c?js$/, ''))).toEqual(['stream-call'])
    }, 60_000)
  }
})
