import { ConfigurationError } from '../errors/errors.js'
import type { Cost, ModelPrice, TokenPrice } from '../spec/cost.js'
import type { PriceService, ResolvedPrice } from '../spec/router-services.js'
import type { Usage } from '../spec/usage.js'
import { computeCost } from './compute-cost.js'
import { lookupCatalog } from './price-catalog.js'

/** User prices, keyed by `provider/model`, in USD per million tokens. */
export type PriceTable = Record<string, ModelPrice>

export type { ResolvedPrice }

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
    validateModelPrice(price, `prices["${id}"]`, true)
  }
}

const priceFields = ['input', 'output', 'cacheRead', 'cacheWrite', 'cacheWrite1h']

function validateModelPrice(price: unknown, where: string, allowTiers: boolean): void {
  if (!price || typeof price !== 'object' || Array.isArray(price)) {
    throw new ConfigurationError(`${where} must be an object like { input: 2.5, output: 10 } (USD per million tokens).`)
  }
  const fields = price as Record<string, unknown>
  for (const field of ['input', 'output'] as const) {
    if (!isValidTokenPrice(fields[field])) {
      throw new ConfigurationError(`${where}.${field} must be a non-negative number of USD per million tokens (got ${JSON.stringify(fields[field])}).`)
    }
  }
  for (const field of ['cacheRead', 'cacheWrite', 'cacheWrite1h'] as const) {
    const value = fields[field]
    if (value !== undefined && !isValidTokenPrice(value)) {
      throw new ConfigurationError(`${where}.${field} must be a non-negative number of USD per million tokens (got ${JSON.stringify(value)}).`)
    }
  }
  const allowed = allowTiers ? [...priceFields, 'serviceTiers'] : priceFields
  const unknownFields = Object.keys(fields).filter((field) => !allowed.includes(field))
  if (unknownFields.length > 0) {
    throw new ConfigurationError(`${where} has unknown field(s) ${unknownFields.join(', ')}; allowed: ${allowed.join(', ')}.`)
  }
  if (allowTiers && fields.serviceTiers !== undefined) {
    const tiers = fields.serviceTiers
    if (!tiers || typeof tiers !== 'object' || Array.isArray(tiers)) {
      throw new ConfigurationError(`${where}.serviceTiers must map tier names to prices, e.g. { priority: { input: 5, output: 20 } }.`)
    }
    for (const [tier, tierPrice] of Object.entries(tiers)) validateModelPrice(tierPrice, `${where}.serviceTiers.${tier}`, false)
  }
}

const maxMemoisedPrices = 1_000

/** Google's API names models as resources (`models/gemini-2.5-pro`); the catalog knows the bare id. */
function withoutResourcePrefix(model: string): string {
  return model.startsWith('models/') ? model.slice('models/'.length) : model
}

/**
 * Resolves the list price of a model: the user's table first, then the catalog. One per router;
 * look-ups are memoised on it (every successful call prices its attempt), not in module state.
 */
export class PriceBook implements PriceService {
  /** Provider → model → price: two look-ups by strings the caller already has, no key to build. */
  private readonly resolved = new Map<string, Map<string, ResolvedPrice | undefined>>()
  private memoised = 0

  constructor(
    private readonly userPrices: PriceTable = {},
    private readonly catalogIds: ReadonlyMap<string, string | undefined> = new Map(),
  ) {}

  /**
   * The price in force at `at` (now by default); treat it as read-only. Memoised per model, except
   * for catalog prices that change with the date or the time of day, which are looked up at `at`.
   */
  resolve(provider: string, model: string, at?: Date): ResolvedPrice | undefined {
    let models = this.resolved.get(provider)
    let price = models?.get(model)
    if (price?.timeDependent) return this.lookUp(provider, model, at)
    if (price === undefined && !models?.has(model)) {
      price = this.lookUp(provider, model, at)
      // Bounded: model ids come from callers, and a memo must not grow without end.
      if (this.memoised < maxMemoisedPrices) {
        if (!models) this.resolved.set(provider, (models = new Map()))
        models.set(model, price)
        this.memoised += 1
      }
    }
    return price
  }

  /** Whether the user priced this model or the catalog knows it. */
  knows(provider: string, model: string): boolean {
    return this.resolve(provider, model) !== undefined
  }

  cost(usage: Usage, price: ModelPrice): Cost {
    return computeCost(usage, price)
  }

  private lookUp(provider: string, model: string, at: Date = new Date()): ResolvedPrice | undefined {
    const bare = withoutResourcePrefix(model)
    const user = this.userPrices[`${provider}/${model}`] ?? this.userPrices[`${provider}/${bare}`]
    const catalogId = this.catalogIds.get(provider)
    const catalog = catalogId ? lookupCatalog(catalogId, bare, at) : undefined
    if (user) return { price: user, source: 'user', contextWindow: catalog?.contextWindow }
    if (!catalog) return undefined
    const resolved: ResolvedPrice = { price: catalog.price, source: 'catalog', contextWindow: catalog.contextWindow }
    if (catalog.timeDependent) resolved.timeDependent = true
    return resolved
  }
}
