import { calcPrice, TieredPrices, type ModelPrice as CatalogModelPrice } from '@pydantic/genai-prices'
import type { ModelPrice, TokenPrice } from '../spec/cost.js'

export interface CatalogEntry {
  price: ModelPrice
  contextWindow?: number
  /** The catalog dates this model's prices (a price change, off-peak hours): look it up for each call's time. */
  timeDependent: boolean
}

function toTokenPrice(value: CatalogModelPrice[string]): TokenPrice | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'number') return value
  if (value instanceof TieredPrices || (typeof value === 'object' && 'base' in value)) {
    return { base: value.base, tiers: value.tiers.map((tier) => ({ above: tier.start, price: tier.price })) }
  }
  return undefined
}

/**
 * Looks a model up in the `@pydantic/genai-prices` catalog (bundled data, no network). Returns
 * `undefined` when the catalog does not know the model or has no token prices for it.
 */
export function lookupCatalog(catalogProviderId: string, model: string, at: Date = new Date()): CatalogEntry | undefined {
  const result = calcPrice({ input_tokens: 0, output_tokens: 0 }, model, { providerId: catalogProviderId, timestamp: at })
  if (!result) return undefined
  const prices = result.model_price
  const input = toTokenPrice(prices.input_mtok)
  const output = toTokenPrice(prices.output_mtok)
  if (input === undefined || output === undefined) return undefined
  const price: ModelPrice = { input, output }
  const cacheRead = toTokenPrice(prices.cache_read_mtok)
  const cacheWrite = toTokenPrice(prices.cache_write_mtok)
  const cacheWrite1h = toTokenPrice(prices.cache_write_1h_mtok)
  if (cacheRead !== undefined) price.cacheRead = cacheRead
  if (cacheWrite !== undefined) price.cacheWrite = cacheWrite
  if (cacheWrite1h !== undefined) price.cacheWrite1h = cacheWrite1h
  return { price, contextWindow: result.model.context_window, timeDependent: Array.isArray(result.model.prices) }
}
