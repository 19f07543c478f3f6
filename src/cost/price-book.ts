import { BoundedTwoLevelMap } from './bounded-two-level-map.js'
import { ConfigurationError } from '../errors/errors.js'
import type { Cost, ModelPrice, TokenPrice } from '../spec/cost.js'
import type { ProviderAdapter } from '../spec/provider-adapter.js'
import type { Candidate } from '../spec/strategy.js'
import type { PriceService, ResolvedPrice } from '../spec/router-services.js'
import type { Usage } from '../spec/usage.js'
import { computeCost } from './compute-cost.js'
import { CatalogModelIndex, type IndexedModel } from './model-index.js'
import { importPriceCatalog, lookupCatalog, type PriceCatalogModule } from './price-catalog.js'

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

/** What a provider answered, as far as its price goes: the model it says answered, and extra billed steps at other models' rates. */
export interface AnswerModels {
  model?: string | undefined
  usage?: Pick<Usage, 'iterations'> | undefined
}

/**
 * Resolves the list price of a model: the user's table first, then the catalog. One per router;
 * look-ups are memoised on it (every successful call prices its attempt), not in module state.
 *
 * Catalog prices come from the model lists the adapters carry (src/providers/catalog-models/,
 * generated from `@pydantic/genai-prices`, the same figures `lookupCatalog` reads), so the
 * catalog itself (~0.8 MB) is not loaded for them. It is loaded (`loadCatalogFor()`, awaited by
 * the router before such a price is read) only for a price the lists do not carry: a model whose
 * catalog price depends on the date or time of day, or a `catalogId` whose adapter carries no lists.
 */
export class PriceBook implements PriceService {
  /** Provider → model → price. Bounded: model ids come from callers. */
  private readonly resolved = new BoundedTwoLevelMap<string, string, ResolvedPrice | undefined>(maxMemoisedPrices)
  /** Provider → model → whether its price needs the full catalog (see `needsCatalog`). Bounded likewise. */
  private readonly catalogNeeds = new BoundedTwoLevelMap<string, string, boolean>(maxMemoisedPrices)
  private readonly index = new CatalogModelIndex()
  private catalog: PriceCatalogModule | undefined
  private catalogLoad: Promise<void> | undefined
  /** Why the catalog could not be loaded (an import failure is an `Error`): catalog prices are then unknown (cost `null`, with a warning). */
  catalogError: Error | undefined

  constructor(
    private readonly userPrices: PriceTable = {},
    /** The router's adapters by provider id: their `catalogId`, and the catalog's models they carry. */
    private readonly adapters: ReadonlyMap<string, Pick<ProviderAdapter, 'catalogId' | 'catalogModels'>> = new Map(),
    /** How the catalog is loaded; replaced in tests to delay or fail it. */
    private readonly importCatalog: () => Promise<PriceCatalogModule> = importPriceCatalog,
  ) {}

  /**
   * What to wait on before pricing a candidate's model (and, once it answered, the model that says it
   * answered and any extra billed steps): the catalog's load, started here (once), when one of
   * those prices is in the full catalog only; `undefined` (nothing to wait for) when the adapters'
   * lists or your own prices answer, which they do for every model whose catalog price is the same
   * at all times, and once the catalog has loaded or failed to. Never rejects.
   */
  loadCatalogFor({ provider, model }: Pick<Candidate, 'provider' | 'model'>, answer?: AnswerModels): Promise<void> | undefined {
    if (this.catalog || this.catalogError) return undefined
    if (!this.needsCatalog(provider, model) && (answer === undefined || !this.answerNeedsCatalog(provider, answer))) return undefined
    return (this.catalogLoad ??= this.importCatalog().then(
      (catalog) => {
        this.catalog = catalog
      },
      (error: Error) => {
        this.catalogError = error
      },
    ))
  }

  /**
   * The price in force at `at` (now by default); treat it as read-only. Memoised per model, except
   * for catalog prices that change with the date or the time of day, which are looked up at `at`.
   * Those, and the catalog prices of an adapter that carries no model lists, are known only once
   * the catalog has loaded (see `loadCatalogFor`); every other price is known at once.
   */
  resolve(provider: string, model: string, at?: Date): ResolvedPrice | undefined {
    const models = this.resolved.entriesOf(provider)
    const price = models?.get(model)
    if (price?.timeDependent) return this.lookUp(provider, model, at)
    if (price !== undefined || models?.has(model)) return price
    const found = this.lookUp(provider, model, at)
    // A miss before the catalog has loaded is not kept (it may know the model).
    if (found || this.catalog || this.catalogError) this.resolved.set(provider, model, found)
    return found
  }

  /**
   * Whether the user priced this model or the catalog has token prices for it; answered from the
   * catalog's model lists the adapter carries, without loading the catalog. An adapter that carries
   * none (a `catalogId` of your own) cannot be checked this way: its models are taken on trust.
   */
  knows(provider: string, model: string): boolean {
    const indexed = this.indexedModel(provider, model)
    return Boolean(this.userPrice(provider, model)) || (indexed === undefined ? Boolean(this.adapters.get(provider)?.catalogId) : indexed?.priced === true)
  }

  /** The model's context window as the catalog lists it, from the model lists its adapter carries. */
  contextWindow(provider: string, model: string): number | undefined {
    return this.indexedModel(provider, model)?.contextWindow
  }

  cost(usage: Usage, price: ModelPrice): Cost {
    return computeCost(usage, price)
  }

  private userPrice(provider: string, model: string): ModelPrice | undefined {
    return this.userPrices[`${provider}/${model}`] ?? this.userPrices[`${provider}/${withoutResourcePrefix(model)}`]
  }

  private indexedModel(provider: string, model: string): IndexedModel | null | undefined {
    const adapter = this.adapters.get(provider)
    return adapter?.catalogId ? this.index.lookUp(adapter.catalogModels, withoutResourcePrefix(model)) : undefined
  }

  /** The answering model or an extra billed step is priced by the full catalog alone. */
  private answerNeedsCatalog(provider: string, answer: AnswerModels): boolean {
    if (answer.model !== undefined && this.needsCatalog(provider, answer.model)) return true
    for (const step of answer.usage?.iterations ?? []) if (step.model !== undefined && this.needsCatalog(provider, step.model)) return true
    return false
  }

  /**
   * `!pricedWithoutCatalog`, memoised per model: what it reads (your prices, the adapters' lists)
   * never changes, and every attempt asks it before and after its provider answers.
   */
  private needsCatalog(provider: string, model: string): boolean {
    let needs = this.catalogNeeds.get(provider, model)
    if (needs === undefined) {
      needs = !this.pricedWithoutCatalog(provider, model)
      this.catalogNeeds.set(provider, model, needs)
    }
    return needs
  }

  /**
   * Whether the model's price is known without the full catalog: its provider does not use the
   * catalog, or the adapter's lists say the catalog has no such model, no token prices for it, or
   * a price that is the same at all times (which they carry), or you priced it (the lists then
   * give its context window).
   */
  private pricedWithoutCatalog(provider: string, model: string): boolean {
    const indexed = this.indexedModel(provider, model)
    // Undefined: a provider without a catalog id (nothing to load), or an adapter without lists (only the catalog knows).
    return indexed === undefined ? !this.adapters.get(provider)?.catalogId : !indexed?.priced || Boolean(indexed.price ?? this.userPrice(provider, model))
  }

  private lookUp(provider: string, model: string, at: Date = new Date()): ResolvedPrice | undefined {
    const user = this.userPrice(provider, model)
    const catalogId = this.adapters.get(provider)?.catalogId
    const indexed = catalogId ? this.indexedModel(provider, model) : null
    // The full catalog answers only what the adapter's lists cannot: a price that depends on `at`
    // (unless you priced the model), or everything when the adapter carries no lists.
    const catalog =
      this.catalog && (indexed === undefined || (indexed?.priced && !indexed.price && !user)) ? lookupCatalog(this.catalog, catalogId!, withoutResourcePrefix(model), at) : undefined
    const price = user ?? indexed?.price ?? catalog?.price
    if (!price) return undefined
    const resolved: ResolvedPrice = { price, source: user ? 'user' : 'catalog' }
    const contextWindow = indexed ? indexed.contextWindow : catalog?.contextWindow
    if (contextWindow !== undefined) resolved.contextWindow = contextWindow
    if (catalog?.timeDependent) resolved.timeDependent = true
    return resolved
  }
}
