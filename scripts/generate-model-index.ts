// Writes src/providers/catalog-models/: what the router needs from the price catalog to validate
// routes synchronously and to price calls (which model ids each provider's catalog entry matches,
// their context windows and token prices), without loading the ~0.8 MB catalog itself. Prices the
// catalog dates (a price change, off-peak hours) are marked, not copied: those are looked up in the
// catalog for each call's time. One file per catalog provider, imported by the adapters that use
// it, so a bundle carries only those.
// Run after upgrading @pydantic/genai-prices: `npm run generate:model-index`.
// test/cost/catalog-model-index.test.ts fails when the committed files differ from what this makes.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { waitForUpdate, type MatchLogic, type ModelInfo, type ModelPrice, type Provider } from '@pydantic/genai-prices'
import { toModelPrice } from '../src/cost/price-catalog.js'
import type { ModelPrice as OurModelPrice } from '../src/spec/cost.js'
import { compatiblePresets } from '../src/providers/openai-compatible/presets.js'

export const catalogModelsFolder = fileURLToPath(new URL('../src/providers/catalog-models/', import.meta.url))

const providersFolder = fileURLToPath(new URL('../src/providers/', import.meta.url))

/**
 * The catalog providers the built-in adapters name (a `catalogId: '…'` in src/providers/), then the
 * OpenAI-compatible presets': a new adapter is indexed by the next regeneration.
 */
export function indexedCatalogIds(): string[] {
  const builtIn: string[] = []
  for (const file of readdirSync(providersFolder, { recursive: true, encoding: 'utf8' }).sort()) {
    if (!file.endsWith('.ts') || file.startsWith('catalog-models')) continue
    for (const found of readFileSync(join(providersFolder, file), 'utf8').matchAll(/catalogId: '([^']+)'/g)) builtIn.push(found[1]!)
  }
  const presets = Object.values(compatiblePresets).flatMap((preset) => ('catalogId' in preset && preset.catalogId ? [preset.catalogId] : []))
  return [...new Set([...builtIn, ...presets])]
}

/** A match rule, compact: `=x` equals, `^x` starts with, `$x` ends with, `~x` contains, `/x` regex; `['or' | 'and', ...rules]`. */
export type CompactRule = string | ['or' | 'and', ...CompactRule[]]

function compactRule(rule: MatchLogic): CompactRule {
  // String rules compare case-insensitively, so their text is stored lower-cased; a regex is kept as written.
  if ('or' in rule) return ['or', ...rule.or.map(compactRule)]
  if ('and' in rule) return ['and', ...rule.and.map(compactRule)]
  if ('equals' in rule) return `=${rule.equals.toLowerCase()}`
  if ('starts_with' in rule) return `^${rule.starts_with.toLowerCase()}`
  if ('ends_with' in rule) return `$${rule.ends_with.toLowerCase()}`
  if ('contains' in rule) return `~${rule.contains.toLowerCase()}`
  if ('regex' in rule) return `/${rule.regex}`
  throw new Error(`generate-model-index: a match rule of a kind this index does not know: ${JSON.stringify(rule)}`)
}

/**
 * The model's prices as src/cost/price-catalog.ts reads them (its own `toModelPrice`, so the same
 * object): 0 without token prices, 1 when priced at prices that depend on the date or time of day
 * (the router looks those up in the full catalog), else the price.
 */
function priceOf(provider: Provider, model: ModelInfo): 0 | 1 | OurModelPrice {
  if (!Array.isArray(model.prices)) return toModelPrice(model.prices) ?? 0
  const variants = model.prices.map((conditional: { prices: ModelPrice }) => conditional.prices)
  const withTokens = variants.filter((variant) => toModelPrice(variant) !== undefined).length
  if (withTokens !== 0 && withTokens !== variants.length) {
    // The index answers "known" once for all time; a model priced only at some dates would need more.
    throw new Error(`generate-model-index: ${provider.id}/${model.id} has token prices at some dates only; teach the index about it.`)
  }
  return withTokens === 0 ? 0 : 1
}

/** JSON text as a single-quoted source literal: no escaped double quotes, so the file stays readable. */
function sourceLiteral(json: string): string {
  return `'${json.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
}

/** `x-ai` → `xAi`: the name a generated file exports its lists under. */
function camelCase(id: string): string {
  return id.replace(/[-_]+([a-z0-9])/g, (_, letter: string) => letter.toUpperCase())
}

/**
 * Every generated file, by path: one per indexed catalog provider (and per provider one of them
 * falls back to), named after it. Each exports `<id>Models`, its own list, and
 * `<id>CatalogModels`, the lists an adapter hands to the router: its own, then its fallbacks'.
 */
export async function generateModelIndexFiles(): Promise<Map<string, string>> {
  const providers = await waitForUpdate()
  if (!providers) throw new Error('generate-model-index: @pydantic/genai-prices gave no provider data')
  // The package does not export its package.json; it sits one folder above its entry file.
  const manifest = new URL('../package.json', import.meta.resolve('@pydantic/genai-prices'))
  const version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version
  const byId = new Map(providers.map((provider) => [provider.id, provider]))
  const wanted = indexedCatalogIds()
  // A provider's fallback providers (Claude on Vertex is priced from `anthropic`) are looked in too.
  for (const id of [...wanted]) for (const fallback of byId.get(id)?.fallback_model_providers ?? []) if (!wanted.includes(fallback)) wanted.push(fallback)
  for (const id of wanted) if (!byId.has(id)) throw new Error(`generate-model-index: the catalog has no provider "${id}"`)

  const files = new Map<string, string>()
  for (const id of wanted.sort()) {
    const provider = byId.get(id)!
    const entries = provider.models.map((model) => [compactRule(model.match), model.context_window ?? 0, priceOf(provider, model)])
    // The catalog looks in a fallback provider's own models only, not in its fallbacks.
    const fallbacks = provider.fallback_model_providers ?? []
    const imports = fallbacks.map((fallback) => `import { ${camelCase(fallback)}Models } from './${fallback}.js'\n`).join('')
    const name = camelCase(id)
    files.set(
      join(catalogModelsFolder, `${id}.ts`),
      `// Generated by scripts/generate-model-index.ts from @pydantic/genai-prices ${version}; do not edit.
// After upgrading the catalog, run \`npm run generate:model-index\` (a test fails until then).
import type { CatalogModelList } from '../../spec/provider-adapter.js'
${imports}
/**
 * The catalog's \`${id}\` models: [match rule, context window (0: not listed), price]. Rules: \`=x\` equals, \`^x\` starts with, \`$x\` ends with, \`~x\` contains (on the lower-cased name), \`/x\` a regular expression; \`["or" | "and", ...rules]\`.
 * Price: 0 none; 1 dated or time-of-day prices (looked up in the full catalog); else the \`ModelPrice\` (USD per million tokens).
 */
export const ${name}Models: CatalogModelList = {
  provider: '${id}',
  models: ${sourceLiteral(JSON.stringify(entries))},
}

/** What an adapter with \`catalogId: ${JSON.stringify(id)}\` hands to the router${fallbacks.length > 0 ? `: its models, then those of ${fallbacks.join(', ')}` : ''}. */
export const ${name}CatalogModels: readonly CatalogModelList[] = [${[name, ...fallbacks.map(camelCase)].map((each) => `${each}Models`).join(', ')}]
`,
    )
  }
  return files
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = await generateModelIndexFiles()
  rmSync(catalogModelsFolder, { recursive: true, force: true })
  mkdirSync(catalogModelsFolder, { recursive: true })
  for (const [path, source] of files) writeFileSync(path, source)
  console.log(`wrote ${files.size} files to ${catalogModelsFolder}`)
}
