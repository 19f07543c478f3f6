import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import * as genaiPrices from '@pydantic/genai-prices'
import { describe, expect, it, vi } from 'vitest'
import { cheapest, createRouter, mockProvider, type RouterEvent } from '../../src/index.js'
import { PriceBook } from '../../src/cost/price-book.js'
import { priceAttempt } from '../../src/cost/price-attempt.js'
import { lookupCatalog, type PriceCatalogModule } from '../../src/cost/price-catalog.js'
import { emptyUsage } from '../../src/provider-kit/usage.js'
import { openaiCatalogModels } from '../../src/providers/catalog-models/openai.js'
import type { ProviderAdapter } from '../../src/spec/provider-adapter.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const messages = [{ role: 'user' as const, content: 'Hi' }]
const openAIAdapter = { catalogId: 'openai', catalogModels: openaiCatalogModels }

/** An OpenAI model whose catalog price depends on the date or hour: only the full catalog prices it. */
async function datedOpenAIModel(): Promise<string> {
  const providers = (await genaiPrices.waitForUpdate())!
  const model = providers.find((provider) => provider.id === 'openai')!.models.find((each) => Array.isArray(each.prices))
  if (!model) throw new Error('the installed catalog has no dated OpenAI price: pick another provider for this test')
  return model.id
}

/** A catalog import the test releases by hand. */
function heldCatalog() {
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  const importCatalog = vi.fn(async () => {
    await gate
    return genaiPrices as PriceCatalogModule
  })
  return { importCatalog, release }
}

describe('the price catalog loads on first use', () => {
  it('validates models and reads context windows from the index, without importing the catalog', () => {
    const { importCatalog } = heldCatalog()
    const prices = new PriceBook({ 'openai/my-fine-tune': { input: 1, output: 2 } }, new Map<string, Pick<ProviderAdapter, 'catalogId' | 'catalogModels'>>([['openai', openAIAdapter], ['own', {}], ['unlisted', { catalogId: 'aws' }]]), importCatalog)
    expect(prices.knows('openai', 'gpt-4o')).toBe(true)
    expect(prices.knows('openai', 'gpt-4o-2024-08-06')).toBe(true)
    expect(prices.knows('openai', 'gpt-4o-typo')).toBe(false)
    expect(prices.knows('openai', 'my-fine-tune')).toBe(true)
    expect(prices.knows('own', 'anything')).toBe(false)
    // A catalog id without lists: only the full catalog could tell, so the model is taken on trust.
    expect(prices.knows('unlisted', 'anything')).toBe(true)
    // The catalog's own figure for gpt-4o.
    expect(prices.contextWindow('openai', 'gpt-4o')).toBe(genaiPrices.calcPrice({ input_tokens: 1 }, 'gpt-4o', { providerId: 'openai' })!.model.context_window)
    expect(importCatalog).not.toHaveBeenCalled()
  })

  it('knows a price that is the same at all times at once, from the lists, without importing the catalog', () => {
    const { importCatalog } = heldCatalog()
    const prices = new PriceBook({}, new Map([['openai', openAIAdapter]]), importCatalog)
    expect(prices.loadCatalogFor({ provider: 'openai', model: 'gpt-4o' })).toBeUndefined()
    for (const model of ['gpt-4o-mini', 'gpt-4o-2024-08-06', 'no-such-model']) expect(prices.loadCatalogFor({ provider: 'openai', model })).toBeUndefined()
    const catalog = genaiPrices.calcPrice({ input_tokens: 1 }, 'gpt-4o', { providerId: 'openai' })!
    expect(prices.resolve('openai', 'gpt-4o')).toEqual({
      source: 'catalog',
      contextWindow: catalog.model.context_window,
      price: { input: catalog.model_price.input_mtok, output: catalog.model_price.output_mtok, cacheRead: catalog.model_price.cache_read_mtok },
    })
    expect(prices.resolve('openai', 'no-such-model')).toBeUndefined()
    expect(importCatalog).not.toHaveBeenCalled()
  })

  it('knows a dated catalog price only once the catalog has loaded, and does not memoise the answer it gave before', async () => {
    const model = await datedOpenAIModel()
    const { importCatalog, release } = heldCatalog()
    const prices = new PriceBook({}, new Map([['openai', openAIAdapter]]), importCatalog)
    expect(prices.resolve('openai', model)).toBeUndefined()
    const loading = prices.loadCatalogFor({ provider: 'openai', model })
    expect(loading).toBeInstanceOf(Promise)
    expect(prices.loadCatalogFor({ provider: 'openai', model })).toBe(loading)
    // An answer by the dated model, or an extra billed step at its rate, waits for it as well.
    expect(prices.loadCatalogFor({ provider: 'openai', model: 'gpt-4o' }, { model })).toBe(loading)
    expect(prices.loadCatalogFor({ provider: 'openai', model: 'gpt-4o' }, { usage: { iterations: [{ kind: 'advisor', model, usage: emptyUsage() }] } })).toBe(loading)
    expect(prices.resolve('openai', model)).toBeUndefined()
    release()
    await loading
    expect(prices.loadCatalogFor({ provider: 'openai', model })).toBeUndefined()
    expect(importCatalog).toHaveBeenCalledTimes(1)
    const at = new Date()
    const expected = lookupCatalog(genaiPrices, 'openai', model, at)!
    expect(expected.timeDependent).toBe(true)
    expect(prices.resolve('openai', model, at)).toEqual({ source: 'catalog', price: expected.price, contextWindow: expected.contextWindow, timeDependent: true })
  })

  it('your own price for a dated model needs no catalog; a catalog id without lists still does', async () => {
    const model = await datedOpenAIModel()
    const { importCatalog } = heldCatalog()
    const prices = new PriceBook({ [`openai/${model}`]: { input: 1, output: 2 } }, new Map<string, Pick<ProviderAdapter, 'catalogId' | 'catalogModels'>>([['openai', openAIAdapter], ['unlisted', { catalogId: 'openai' }]]), importCatalog)
    expect(prices.loadCatalogFor({ provider: 'openai', model })).toBeUndefined()
    expect(prices.resolve('openai', model)).toMatchObject({ source: 'user', price: { input: 1, output: 2 } })
    expect(importCatalog).not.toHaveBeenCalled()
    expect(prices.loadCatalogFor({ provider: 'unlisted', model: 'gpt-4o' })).toBeInstanceOf(Promise)
    expect(importCatalog).toHaveBeenCalledTimes(1)
  })

  it('never loads the catalog for a router whose providers have no catalog id', () => {
    const { importCatalog } = heldCatalog()
    const prices = new PriceBook({}, new Map([['mock', {}]]), importCatalog)
    expect(prices.loadCatalogFor({ provider: 'mock', model: 'any-model' })).toBeUndefined()
    expect(importCatalog).not.toHaveBeenCalled()
  })

  it('a catalog that fails to load leaves its dated prices unknown (cost null, with a warning), and keeps why', async () => {
    const model = await datedOpenAIModel()
    const prices = new PriceBook({}, new Map([['openai', openAIAdapter]]), () => Promise.reject(new Error('Cannot find package @pydantic/genai-prices')))
    await prices.loadCatalogFor({ provider: 'openai', model })
    expect(prices.loadCatalogFor({ provider: 'openai', model })).toBeUndefined()
    const { cost, warnings } = priceAttempt({
      prices,
      catalogId: 'openai',
      candidate: { id: `openai/${model}`, provider: 'openai', model },
      usage: { ...emptyUsage(), inputTokens: 10, outputTokens: 5 },
      at: new Date(),
    })
    expect(cost.total).toBeNull()
    expect(warnings).toEqual([{ code: 'unknown_price', message: expect.stringContaining(`No price is known for openai/${model}`) }])
    expect(prices.catalogError?.message).toBe('Cannot find package @pydantic/genai-prices')
  })

  it('every surface’s first call, answered while the catalog is still loading, reports the catalog’s exact price (fresh process)', () => {
    const output = execFileSync(process.execPath, ['--import', 'tsx', 'test/helpers/first-call-cost-probe.ts'], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } })
    const report = JSON.parse(output.trim().split('\n').at(-1)!) as Array<{ surface: string; costs: Array<number | null>; expected: number; catalogLoadedWhenAnswered: boolean[] }>
    expect(report.map((run) => run.surface)).toEqual(['router.chat', 'router.stream', 'router.embed', 'router.openai facade', 'router.anthropic facade', 'router.fetch', 'router.fetch stream'])
    for (const run of report) {
      // The provider answered before the catalog was there: the router had to wait for it.
      expect(run.catalogLoadedWhenAnswered, run.surface).toEqual([false])
      expect(run.costs, run.surface).toHaveLength(1)
      expect(run.costs[0], run.surface).toBeCloseTo(run.expected, 12)
    }
  }, 30_000)

  it('the official SDKs’ calls to models priced the same at all times never load the catalog, and cost the catalog’s price; a dated model’s call loads it (fresh process)', () => {
    const output = execFileSync(process.execPath, ['--import', 'tsx', 'test/helpers/static-price-probe.ts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } })
    const report = JSON.parse(output.trim().split('\n').at(-1)!) as { cheapestModel: string; afterStaticCalls: string[]; afterDatedCall: string[]; costs: Record<string, number | null>; expected: Record<string, number> }
    // The probe sees the SDKs it loads, so it would see the catalog.
    expect(report.afterStaticCalls).toEqual(expect.arrayContaining(['openai', '@anthropic-ai/sdk']))
    expect(report.afterStaticCalls).not.toContain('@pydantic/genai-prices')
    expect(report.afterDatedCall).toContain('@pydantic/genai-prices')
    expect(report.cheapestModel).toBe('gpt-4.1-nano')
    expect(Object.keys(report.costs)).toEqual(['router.chat', 'router.stream', 'anthropic chat', 'cheapest', 'dated model'])
    for (const [call, cost] of Object.entries(report.costs)) expect(cost, call).toBeCloseTo(report.expected[call]!, 15)
  }, 30_000)

  it('cheapest ranks by catalog price on a router’s first call (the catalog is loaded before it plans)', async () => {
    // Catalog list prices: gpt-4o 2.50 / 10.00, gpt-4o-mini 0.15 / 0.60 USD per 1M tokens.
    const router = createRouter({
      providers: [mockProvider({ id: 'openai', catalogId: 'openai', models: { 'gpt-4o': 'from gpt-4o', 'gpt-4o-mini': 'from gpt-4o-mini' } })],
      routes: { cheap: cheapest(['openai/gpt-4o', 'openai/gpt-4o-mini']) },
    })
    const result = await router.chat({ model: 'cheap', messages, max_tokens: 10 })
    expect(result.route.model).toBe('gpt-4o-mini')
    expect(result.cost.total).not.toBeNull()
  })

  it('a cost cap on a router’s first call is checked against the catalog price, not refused as unpriced', async () => {
    const events: RouterEvent[] = []
    const router = createRouter({
      providers: [mockProvider({ id: 'openai', catalogId: 'openai', models: { 'gpt-4o': { text: 'ok', usage: { inputTokens: 100, outputTokens: 10 } } } })],
      onEvent: (event) => events.push(event),
    })
    const result = await router.chat({ model: 'openai/gpt-4o', messages, max_tokens: 10 }, { maxCostUsd: 0.01 })
    // 100 × 2.5 / 1e6 + 10 × 10 / 1e6
    expect(result.cost.total).toBeCloseTo(0.00035, 12)
    expect(events.filter((event) => event.type === 'warning')).toEqual([])
  })
})
