import type { Cost, ModelPrice, TokenPrice } from '../spec/cost.js'
import type { Candidate } from '../spec/strategy.js'
import type { Usage } from '../spec/usage.js'
import { addCosts, computeCost } from './compute-cost.js'
import type { PriceBook, ResolvedPrice } from './price-book.js'

export interface PricingWarning {
  code: 'unknown_price' | 'answered_model_unpriced'
  message: string
}

/** Tier names that mean the standard price. */
const standardTiers = new Set(['default', 'standard', 'auto', 'on_demand'])

function scaled(price: TokenPrice, factor: number): TokenPrice {
  return typeof price === 'number' ? price * factor : { base: price.base * factor, tiers: price.tiers.map((tier) => ({ above: tier.above, price: tier.price * factor })) }
}

function halved(price: ModelPrice): ModelPrice {
  const half: ModelPrice = { input: scaled(price.input, 0.5), output: scaled(price.output, 0.5) }
  for (const field of ['cacheRead', 'cacheWrite', 'cacheWrite1h'] as const) {
    const value = price[field]
    if (value !== undefined) half[field] = scaled(value, 0.5)
  }
  return half
}

/**
 * The price of a model at the service tier a call was served at: your `serviceTiers` price, or
 * for OpenAI's catalog the published `flex` price (half the standard one). Any other
 * non-standard tier has no known price.
 */
function priceAtTier(resolved: ResolvedPrice, catalogId: string | undefined, tier: string | undefined): ModelPrice | undefined {
  if (tier === undefined || standardTiers.has(tier)) return resolved.price
  const declared = resolved.price.serviceTiers?.[tier]
  if (declared) return declared
  if (resolved.source === 'catalog' && catalogId === 'openai' && tier === 'flex') return halved(resolved.price)
  // Only OpenAI's catalog prices depend on a tier we know of; elsewhere the tier does not change the price.
  if (catalogId !== 'openai' && !resolved.price.serviceTiers) return resolved.price
  return undefined
}

/** Whether the answering model is the requested one under another name (a dated snapshot, a resource path). */
function sameModel(requested: string, answered: string): boolean {
  const bare = (model: string) => (model.startsWith('models/') ? model.slice('models/'.length) : model)
  const left = bare(requested)
  const right = bare(answered)
  if (left === right || right.startsWith(`${left}-`) || right.startsWith(`${left}@`)) return true
  // An alias (`mistral-medium-latest`) answered by the version it points to (`mistral-medium-2508`).
  return left.endsWith('-latest') && right.startsWith(left.slice(0, -'latest'.length))
}

export interface AttemptPriceInput {
  prices: PriceBook
  catalogId: string | undefined
  candidate: Candidate
  usage: Usage
  /** The model the provider says answered, when it reported one. */
  answeredModel?: string
  /** When the call was made: catalog prices change over time. */
  at: Date
}

/**
 * What one attempt cost: the model that answered at the tier it was served at, plus each extra
 * billed step at its own model's rate. Warnings say where a price was missing.
 */
export function priceAttempt(input: AttemptPriceInput): { cost: Cost; warnings: PricingWarning[] } {
  const { prices, catalogId, candidate, usage, at } = input
  const warnings: PricingWarning[] = []
  let model = candidate.model
  let resolved = prices.resolve(candidate.provider, model, at)
  const answered = input.answeredModel
  if (answered && !sameModel(candidate.model, answered)) {
    const answeredPrice = prices.resolve(candidate.provider, answered, at)
    if (answeredPrice) {
      model = answered
      resolved = answeredPrice
    } else if (resolved) {
      warnings.push({
        code: 'answered_model_unpriced',
        message: `${candidate.id} was answered by ${answered}, which has no known price; the call is priced as ${candidate.model}. Add ${candidate.provider}/${answered} to createRouter({ prices }).`,
      })
    }
  }
  const price = resolved && priceAtTier(resolved, catalogId, usage.serviceTier)
  if (!price) {
    const tier = resolved ? ` at the ${usage.serviceTier} service tier` : ''
    warnings.push({
      code: 'unknown_price',
      message: `No price is known for ${candidate.provider}/${model}${tier}; its cost is reported as null. Add it to createRouter({ prices }).`,
    })
  }
  const main = computeCost(usage, price)
  if (!usage.iterations || usage.iterations.length === 0) return { cost: main, warnings }
  const parts = [main]
  for (const iteration of usage.iterations) {
    const iterationModel = iteration.model ?? model
    const iterationPrice = iterationModel === model ? price : prices.resolve(candidate.provider, iterationModel, at)?.price
    if (!iterationPrice) {
      warnings.push({ code: 'unknown_price', message: `No price is known for ${candidate.provider}/${iterationModel} (a ${iteration.kind} step of ${candidate.id}); the cost is reported as null.` })
    }
    parts.push(computeCost(iteration.usage, iterationPrice))
  }
  return { cost: addCosts(parts), warnings }
}
