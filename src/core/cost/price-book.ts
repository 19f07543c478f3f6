import { ConfigurationError } from '../errors.js'
import type { ModelPrice, TokenPrice } from '../types/cost.js'
import { lookupCatalog, type CatalogEntry } from './price-catalog.js'

/** User prices, keyed by `provider/model`, in USD per million tokens. */
export type PriceTable = Record<string, ModelPrice>

export interface ResolvedPrice {
  price: ModelPrice
  source: 'user' | 'catalog'
  contextWindow?: number
}

function isValidTokenPrice(value: unknown): value is TokenPrice {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0
  if (!value || typeof value !== 'object') return false
  const tiered = value as { base?: unknown; tiers?: unknown }
  return (
    isValidTokenPrice(tiered.base) &&
    Array.isArray(tiered.tiers) &&
    tiered.tiers.every(
      (tier: { above?: unknown; price?: unknown }) =>
        typeof tier?.above === 'number' && tier.above >= 0 && isValidTokenPrice(tier.price),
    )
  )
}

/** Throws a `ConfigurationError` naming the exact entry and field of a malformed price table. */
export function validatePriceTable(prices: unknown): asserts prices is PriceTable {
  if (prices === undefined) return
  if (!prices || typeof prices !== 'object' || Array.isArray(prices)) {
    throw new ConfigurationError('`prices` must be an object keyed by "provider/model", e.g. { "openai/gpt-4o": { input: 2.5, output: 10 } }.')
  }
  for (const [id, price] of Object.entries(prices)) {
    if (!id.includes('/')) {
      throw new ConfigurationError(`prices["${id}"]: key must be a "provider/model" id, e.g. "openai/${id}".`)
    }
    if (!price || typeof price !== 'object') {
      throw new ConfigurationError(`prices["${id}"] must be an object like { input: 2.5, output: 10 } (USD per million tokens).`)
    }
    for (const field of ['input', 'output'] as const) {
      if (!isValidTokenPrice((price as Record<string, unknown>)[field])) {
        throw new ConfigurationError(
          `prices["${id}"].${field} must be a non-negative number of USD per million tokens (got ${JSON.stringify((price as Record<string, unknown>)[field])}).`,
        )
      }
    }
    for (const field of ['cacheRead', 'cacheWrite', 'cacheWrite1h'] as const) {
      const value = (price as Record<string, unknown>)[field]
      if (value !== undefined && !isValidTokenPrice(value)) {
        throw new ConfigurationError(
          `prices["${id}"].${field} must be a non-negative number of USD per million tokens (got ${JSON.stringify(value)}).`,
        )
      }
    }
    const unknownFields = Object.keys(price).filter((field) => !['input', 'output', 'cacheRead', 'cacheWrite', 'cacheWrite1h'].includes(field))
    if (unknownFields.length > 0) {
      throw new ConfigurationError(
        `prices["${id}"] has unknown field(s) ${unknownFields.join(', ')}; allowed: input, output, cacheRead, cacheWrite, cacheWrite1h.`,
      )
    }
  }
}

/**
 * Resolves the list price of a model: the user's table first, then the catalog. One per router;
 * catalog lookups are memoised on it, not in module state.
 */
export class PriceBook {
  private readonly catalogCache = new Map<string, CatalogEntry | undefined>()

  constructor(
    private readonly userPrices: PriceTable = {},
    private readonly catalogIds: ReadonlyMap<string, string | undefined> = new Map(),
  ) {}

  resolve(provider: string, model: string): ResolvedPrice | undefined {
    const user = this.userPrices[`${provider}/${model}`]
    const catalog = this.catalog(provider, model)
    if (user) return { price: user, source: 'user', contextWindow: catalog?.contextWindow }
    return catalog && { price: catalog.price, source: 'catalog', contextWindow: catalog.contextWindow }
  }

  /** Whether the user priced this model or the catalog knows it. */
  knows(provider: string, model: string): boolean {
    return this.resolve(provider, model) !== undefined
  }

  private catalog(provider: string, model: string): CatalogEntry | undefined {
    const catalogId = this.catalogIds.get(provider)
    if (!catalogId) return undefined
    const key = `${catalogId}/${model}`
    if (!this.catalogCache.has(key)) this.catalogCache.set(key, lookupCatalog(catalogId, model))
    return this.catalogCache.get(key)
  }
}
