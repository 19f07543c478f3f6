import { readFileSync } from 'node:fs'
import { calcPrice, waitForUpdate, type MatchLogic, type Provider } from '@pydantic/genai-prices'
import { describe, expect, it } from 'vitest'
import { generateModelIndexSource, indexedCatalogIds, outputPath } from '../../scripts/generate-model-index.js'
import { catalogModels } from '../../src/cost/catalog-model-index.js'
import { CatalogModelIndex, type IndexedModel } from '../../src/cost/model-index.js'

/** What the full catalog says about a name: the same question the index answers, asked of `calcPrice`. */
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

describe('the catalog model index (src/cost/catalog-model-index.ts)', () => {
  it('is what scripts/generate-model-index.ts makes from the installed catalog (run `npm run generate:model-index` after an upgrade)', async () => {
    const committed = readFileSync(outputPath, 'utf8')
    expect(await generateModelIndexSource()).toBe(committed)
  })

  it('covers the catalog ids of every built-in adapter and OpenAI-compatible preset', () => {
    for (const id of indexedCatalogIds()) expect(Object.keys(catalogModels)).toContain(id)
  })

  it('answers as the full catalog does for every model of every indexed provider, and for near misses', async () => {
    const providers = (await waitForUpdate()) as Provider[]
    const index = new CatalogModelIndex()
    let compared = 0
    for (const providerId of Object.keys(catalogModels)) {
      const provider = providers.find((candidate) => candidate.id === providerId)!
      const names = new Set<string>(['no-such-model', 'gpt', 'claude', ''])
      for (const model of provider.models) {
        for (const name of [model.id, ...probesOf(model.match)]) {
          names.add(name)
          for (const variant of dateVariants(name)) names.add(variant)
        }
      }
      for (const name of names) {
        expect(index.lookUp(providerId, name), `${providerId} / "${name}"`).toEqual(fromCatalog(providerId, name))
        compared += 1
      }
    }
    // Every model of eleven providers, several names each.
    expect(compared).toBeGreaterThan(5_000)
  })

  it('resolves provider names as the catalog does, and says when only the full catalog can tell', () => {
    const index = new CatalogModelIndex()
    // `xai` is the x-ai provider's alias in the catalog; `vertex` is Google's.
    expect(index.lookUp('xai', 'grok-4')).toEqual(fromCatalog('xai', 'grok-4'))
    expect(index.lookUp('xai', 'grok-4')?.priced).toBe(true)
    expect(index.lookUp('google-vertex', 'gemini-2.5-pro')).toEqual(fromCatalog('google-vertex', 'gemini-2.5-pro'))
    // Claude on Vertex: Google's catalog entry falls back to Anthropic's models.
    expect(index.lookUp('google', 'claude-sonnet-4-5')).toEqual(fromCatalog('google', 'claude-sonnet-4-5'))
    expect(index.lookUp('google', 'claude-sonnet-4-5')?.priced).toBe(true)
    // A catalog provider outside the index (AWS Bedrock): unknown here, not "absent".
    expect(index.lookUp('aws', 'amazon.nova-pro-v1:0')).toBeUndefined()
    expect(index.lookUp('bedrock', 'amazon.nova-pro-v1:0')).toBeUndefined()
    // A provider the catalog does not have at all: no model of it is known.
    expect(index.lookUp('no-such-provider', 'gpt-4o')).toBeNull()
    expect(fromCatalog('no-such-provider', 'gpt-4o')).toBeNull()
  })
})
