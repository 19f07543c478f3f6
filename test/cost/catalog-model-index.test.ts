import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import * as genaiPrices from '@pydantic/genai-prices'
import { calcPrice, waitForUpdate, type MatchLogic, type ModelInfo, type Provider } from '@pydantic/genai-prices'
import { describe, expect, it } from 'vitest'
import { catalogModelsFolder, generateModelIndexFiles, indexedCatalogIds } from '../../scripts/generate-model-index.js'
import { CatalogModelIndex, type IndexedModel } from '../../src/cost/model-index.js'
import { lookupCatalog } from '../../src/cost/price-catalog.js'
import { anthropic, azureOpenai, bedrock, google, groq, mistral, openai, openaiCompatible } from '../../src/index.js'
import type { CatalogModelList } from '../../src/spec/provider-adapter.js'

/** What the full catalog says about a name: the same question the lists answer, asked of `calcPrice`. */
function fromCatalog(providerId: string, name: string): IndexedModel | null {
  const result = calcPrice({ input_tokens: 0, output_tokens: 0 }, name, { providerId })
  if (!result) return null
  const price = result.model_price
  const noOutput = Object.keys(price).every((key) => !key.startsWith('output'))
  const priced = price.input_mtok !== undefined && (price.output_mtok !== undefined || noOutput)
  return result.model.context_window ? { contextWindow: result.model.context_window, priced } : { priced }
}

/** Names each rule matches or nearly matches: the rule's own text, with something around it, upper-cased. */
function probesOf(rule: MatchLogic): string[] {
  if ('or' in rule) return rule.or.flatMap(probesOf)
  if ('and' in rule) return rule.and.flatMap(probesOf)
  if ('equals' in rule) return [rule.equals, rule.equals.toUpperCase(), `${rule.equals}-x`, ` ${rule.equals} `]
  if ('starts_with' in rule) return [rule.starts_with, `${rule.starts_with}-preview`, `x-${rule.starts_with}`]
  if ('ends_with' in rule) return [rule.ends_with, `x-${rule.ends_with}`, `${rule.ends_with}-x`]
  if ('contains' in rule) return [rule.contains, `a-${rule.contains}-b`]
  return []
}

/** Dated names in both spellings the catalog reads: `-2025-04-14` and `-20250414`. */
function dateVariants(name: string): string[] {
  const dashed = name.replace(/-(20\d{2})(\d{2})(\d{2})(?=-|:|$)/g, '-$1-$2-$3')
  const compact = name.replace(/-(20\d{2})-(\d{2})-(\d{2})(?=-|:|$)/g, '-$1$2$3')
  return [dashed, compact].filter((variant) => variant !== name)
}

/** What the index says of a name, without the price (compared on its own, against `lookupCatalog`). */
function withoutPrice(indexed: IndexedModel | null | undefined): IndexedModel | null | undefined {
  if (!indexed) return indexed
  const { price: _price, ...rest } = indexed
  return rest
}

/** Names the catalog may resolve to `model`: its id, its rule's own texts and their date spellings. */
function namesFor(model: ModelInfo): string[] {
  const names = [model.id, ...probesOf(model.match)]
  return [...names, ...names.flatMap(dateVariants)]
}

/** Every generated file's `<id>CatalogModels`, by catalog id. */
async function generatedLists(): Promise<Map<string, readonly CatalogModelList[]>> {
  const lists = new Map<string, readonly CatalogModelList[]>()
  for (const file of readdirSync(catalogModelsFolder).sort()) {
    const module = (await import(pathToFileURL(join(catalogModelsFolder, file)).href)) as Record<string, unknown>
    const exported = Object.entries(module).find(([name]) => name.endsWith('CatalogModels'))![1] as readonly CatalogModelList[]
    lists.set(file.replace(/\.ts$/, ''), exported)
  }
  return lists
}

describe('the catalog model lists (src/providers/catalog-models/)', () => {
  it('are what scripts/generate-model-index.ts makes from the installed catalog (run `npm run generate:model-index` after an upgrade)', async () => {
    const generated = await generateModelIndexFiles()
    expect(readdirSync(catalogModelsFolder).sort()).toEqual([...generated.keys()].map((path) => path.slice(catalogModelsFolder.length)).sort())
    for (const [path, source] of generated) expect(readFileSync(path, 'utf8'), path).toBe(source)
  })

  it('cover the catalog id of every built-in adapter and preset, and each adapter carries its own', async () => {
    const lists = await generatedLists()
    for (const id of indexedCatalogIds()) expect([...lists.keys()]).toContain(id)
    const key = { apiKey: 'sk-test' }
    expect(openai(key).catalogModels).toBe(lists.get('openai'))
    expect(anthropic(key).catalogModels).toBe(lists.get('anthropic'))
    expect(mistral(key).catalogModels).toBe(lists.get('mistral'))
    expect(groq(key).catalogModels).toBe(lists.get('groq'))
    expect(bedrock({ region: 'us-east-1', credentials: { accessKeyId: 'AKIATEST', secretAccessKey: 'secret' } }).catalogModels).toBe(lists.get('aws'))
    // Claude on Vertex: Google's catalog entry falls back to Anthropic's models.
    expect(google(key).catalogModels!.map((list) => list.provider)).toEqual(['google', 'anthropic'])
    expect(azureOpenai({ ...key, endpoint: 'https://example.openai.azure.com', apiVersion: '2024-10-21' }).catalogModels!.map((list) => list.provider)).toEqual([
      'azure',
      'openai',
      'anthropic',
      'deepseek',
      'x-ai',
      'moonshotai',
    ])
    expect(openaiCompatible({ id: 'xai', ...key }).catalogModels).toBe(lists.get('x-ai'))
    expect(openaiCompatible({ id: 'openrouter', ...key }).catalogModels).toBe(lists.get('openrouter'))
    // A host the catalog does not price, and a catalog id no preset uses: nothing to check against.
    expect(openaiCompatible({ id: 'ollama' }).catalogModels).toBeUndefined()
    expect(openaiCompatible({ id: 'bedrock-proxy', baseURL: 'http://localhost:1/v1', catalogId: 'aws', ...key }).catalogModels).toBeUndefined()
  })

  it('answer as the full catalog does for every model of every listed provider, and for near misses', async () => {
    const providers = (await waitForUpdate()) as Provider[]
    const index = new CatalogModelIndex()
    let compared = 0
    for (const [catalogId, lists] of await generatedLists()) {
      const names = new Set<string>(['no-such-model', 'gpt', 'claude', ''])
      for (const list of lists) {
        for (const model of providers.find((provider) => provider.id === list.provider)!.models) {
          for (const name of [model.id, ...probesOf(model.match)]) {
            names.add(name)
            for (const variant of dateVariants(name)) names.add(variant)
          }
        }
      }
      for (const name of names) {
        expect(withoutPrice(index.lookUp(lists, name)), `${catalogId} / "${name}"`).toEqual(fromCatalog(catalogId, name))
        compared += 1
      }
    }
    expect(compared).toBeGreaterThan(5_000)
  })

  it('carry, for every model entry, the price lookupCatalog() reads from the real catalog; a dated price is marked, not carried', async () => {
    const providers = (await waitForUpdate()) as Provider[]
    const index = new CatalogModelIndex()
    const now = new Date()
    let staticPrices = 0
    let datedPrices = 0
    let unpriced = 0
    const unreachable: string[] = []
    for (const [catalogId, lists] of await generatedLists()) {
      const provider = providers.find((each) => each.id === catalogId)!
      expect(JSON.parse(lists[0]!.models)).toHaveLength(provider.models.length)
      for (const model of provider.models) {
        // A name the catalog itself resolves to this very entry (not an earlier one that also matches it).
        const name = namesFor(model).find((candidate) => calcPrice({ input_tokens: 0, output_tokens: 0 }, candidate, { providerId: catalogId })?.model === model)
        if (name === undefined) {
          unreachable.push(`${catalogId}/${model.id}`)
          continue
        }
        const where = `${catalogId} / "${name}" (${model.id})`
        const expected = lookupCatalog(genaiPrices, catalogId, name, now)
        const indexed = index.lookUp(lists, name)
        if (expected === undefined) {
          expect(indexed, where).toMatchObject({ priced: false })
          expect(indexed?.price, where).toBeUndefined()
          unpriced += 1
        } else if (expected.timeDependent) {
          expect(indexed, where).toMatchObject({ priced: true })
          expect(indexed?.price, where).toBeUndefined()
          datedPrices += 1
        } else {
          expect(indexed?.price, where).toStrictEqual(expected.price)
          expect(indexed?.contextWindow, where).toBe(expected.contextWindow)
          staticPrices += 1
        }
      }
    }
    // Entries every name of which an earlier entry of the same provider answers: no call can reach them.
    expect(unreachable).toEqual([])
    expect(staticPrices).toBeGreaterThan(1_000)
    expect(datedPrices).toBeGreaterThan(0)
    expect(unpriced).toBeGreaterThan(0)
  })

  it('an adapter that carries no lists cannot be checked without the catalog', () => {
    expect(new CatalogModelIndex().lookUp(undefined, 'gpt-4o')).toBeUndefined()
    expect(new CatalogModelIndex().lookUp([], 'gpt-4o')).toBeUndefined()
  })
})
