import { mkdirSync, readFileSync } from 'node:fs'
import { build, type Metafile } from 'esbuild'
import { fileURLToPath } from 'node:url'

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url))
/** Where the measured bundles go; `.size-limit.json` names them there (`npm run size` builds and checks them). */
export const sizeBundleDirectory = 'node_modules/.cache/switchyard-size/'

/** Optional peers a project installs only when it uses them: left as run-time imports, not measured. */
const optionalPeers = ['openai', '@anthropic-ai/sdk', '@google/genai', '@mistralai/mistralai', 'groq-sdk', 'gpt-tokenizer', '@opentelemetry/api', 'ai', '@ai-sdk/provider']
const priceData = '@pydantic/genai-prices'

/**
 * The bundles the size budget (`.size-limit.json`, `npm run size`, test/bundle-size) measures,
 * each built from src/ with esbuild as a Worker's tooling would (workerd conditions, minified):
 * what a user's bundle carries of Switchyard for that import.
 */
export const sizeBundles = {
  /** createRouter from `switchyard/core` without any feature, the price catalog left out. */
  core: { entry: 'test/bundle-size/entries/core.ts', external: [...optionalPeers, priceData] },
  /** The same with the price catalog (every model's prices, bundled so cost needs no network). */
  'core-with-prices': { entry: 'test/bundle-size/entries/core.ts', external: optionalPeers },
  /** createRouter from `switchyard`: every feature and facade, the price catalog left out. */
  full: { entry: 'test/bundle-size/entries/full.ts', external: [...optionalPeers, priceData] },
  /** The one-provider Worker (openai + fallback + router.fetch), everything it carries: the openai SDK and the catalog too. */
  worker: { entry: 'test/runtimes/entries/one-provider-worker.ts', external: ['cloudflare:workers', 'gpt-tokenizer', '@opentelemetry/api'] },
} as const

export type SizeBundleName = keyof typeof sizeBundles

/** Builds every measured bundle; returns each one's metafile inputs (source path → bytes in the output). */
export async function buildSizeBundles(): Promise<Record<SizeBundleName, Map<string, number>>> {
  mkdirSync(`${repositoryRoot}${sizeBundleDirectory}`, { recursive: true })
  const entries = await Promise.all(
    Object.entries(sizeBundles).map(async ([name, bundle]) => {
      const result = await build({
        entryPoints: [`${repositoryRoot}${bundle.entry}`],
        bundle: true,
        outfile: `${repositoryRoot}${sizeBundleDirectory}${name}.js`,
        platform: 'browser',
        format: 'esm',
        conditions: ['workerd', 'worker', 'browser'],
        mainFields: ['browser', 'module', 'main'],
        target: 'es2022',
        minify: true,
        metafile: true,
        logLevel: 'silent',
        absWorkingDir: repositoryRoot,
        external: [...bundle.external],
        tsconfigRaw: {},
        plugins: [
          {
            name: 'switchyard-from-source',
            setup(esbuildApi) {
              esbuildApi.onResolve({ filter: /^switchyard(\/core)?$/ }, (args) => ({ path: `${repositoryRoot}src/${args.path === 'switchyard' ? 'index' : 'core'}.ts` }))
            },
          },
        ],
      })
      return [name, inputsOf(result.metafile)] as const
    }),
  )
  return Object.fromEntries(entries) as Record<SizeBundleName, Map<string, number>>
}

function inputsOf(metafile: Metafile): Map<string, number> {
  const output = Object.values(metafile.outputs)[0]!
  return new Map(Object.entries(output.inputs).filter(([, input]) => input.bytesInOutput > 0).map(([file, input]) => [file, input.bytesInOutput]))
}

export function readSizeLimitConfig(): Array<{ name: string; path: string; limit: string; gzip: boolean }> {
  return JSON.parse(readFileSync(`${repositoryRoot}.size-limit.json`, 'utf8'))
}
