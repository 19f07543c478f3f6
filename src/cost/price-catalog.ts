import type { ModelPrice as CatalogModelPrice } from '@pydantic/genai-prices'
import type { ModelPrice, TokenPrice } from '../spec/cost.js'

/**
 * The `@pydantic/genai-prices` module: ~0.8 MB of price data, loaded only when a price is needed that
 * the adapters' generated model lists do not carry (see `PriceBook`), never at import.
 */
export type PriceCatalogModule = typeof import('@pydantic/genai-prices')

export interface CatalogEntry {
  price: ModelPrice
  contextWindow?: number
  /** The catalog dates this model's prices (a price change, off-peak hours): look it up for each call's time. */
  timeDependent: boolean
}

/**
 * Loads the catalog. A dynamic `import()`, so bundlers put the data in a chunk of its own and
 * `import('switchyard')` does not evaluate it.
 */
export function importPriceCatalog(): Promise<PriceCatalogModule> {
  return import('@pydantic/genai-prices')
}

function toTokenPrice(value: CatalogModelPrice[string]): TokenPrice | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'number') return value
  // A `TieredPrices` instance or its plain-object form.
  if (typeof value === 'object' && 'base' in value) {
    return { base: value.base, tiers: value.tiers.map((tier) => ({ above: tier.start, price: tier.price })) }
  }
  return undefined
}

function hasNoOutputPrice(prices: CatalogModelPrice): boolean {
  return Object.keys(prices).every((key) => !key.startsWith('output'))
}

/**
 * Our price for a catalog price entry: input and output (or input and no output of any kind, as
 * embedding models have), cache prices when listed; `undefined` without token prices. Also used by
 * scripts/generate-model-index.ts, so the prices the adapters carry are this function's output.
 */
export function toModelPrice(prices: CatalogModelPrice): ModelPrice | undefined {
  const input = toTokenPrice(prices.input_mtok)
  // A model priced for input and for no output of any kind (the embedding models) produces none.
  const output = toTokenPrice(prices.output_mtok) ?? (hasNoOutputPrice(prices) ? 0 : undefined)
  if (input === undefined || output === undefined) return undefined
  const price: ModelPrice = { input, output }
  const cacheRead = toTokenPrice(prices.cache_read_mtok)
  const cacheWrite = toTokenPrice(prices.cache_write_mtok)
  const cacheWrite1h = toTokenPrice(prices.cache_write_1h_mtok)
  if (cacheRead !== undefined) price.cacheRead = cacheRead
  if (cacheWrite !== undefined) price.cacheWrite = cacheWrite
  if (cacheWrite1h !== undefined) price.cacheWrite1h = cacheWrite1h
  return price
}

/**
 * Looks a model up in the loaded catalog (bundled data, no network). Returns `undefined` when the
 * catalog does not know the model or has no token prices for it.
 */
export function lookupCatalog(catalog: PriceCatalogModule, catalogProviderId: string, model: string, at: Date): CatalogEntry | undefined {
  const result = catalog.calcPrice({ input_tokens: 0, output_tokens: 0 }, model, { providerId: catalogProviderId, timestamp: at })
  if (!result) return undefined
  const price = toModelPrice(result.model_price)
  if (!price) return undefined
  return { price, contextWindow: result.model.context_window, timeDependent: Array.isArray(result.model.prices) }
}
