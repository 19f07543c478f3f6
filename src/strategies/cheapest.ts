import type { RouterServices } from '../spec/router-services.js'
import type { ModelPrice, TokenPrice } from '../spec/cost.js'
import type { ChatParameters } from '../spec/request.js'
import type { ModelCapabilities } from '../spec/provider-adapter.js'
import { estimatePromptTokens } from './estimate-tokens.js'
import { tryInOrder, type RetryOptions } from './fallback.js'
import { NoQualifyingCandidateError, type DroppedCandidate } from './no-qualifying-candidate-error.js'
import type { Candidate, Strategy, StrategyContext } from '../spec/strategy.js'

export type Capability = 'tools' | 'vision' | 'json_schema' | 'reasoning'

export interface CheapestOptions extends RetryOptions {
  /** Capabilities every candidate must have, on top of those the request itself needs. */
  require?: readonly Capability[]
  /**
   * A cap: a number is the most one call may cost by the estimate, in USD; an object caps the list
   * prices, in USD per million tokens. A candidate with no known price is dropped when a cap is set.
   */
  maxPrice?: number | { input?: number; output?: number }
  /**
   * Expected output tokens when the request sets no max_tokens and the router has measured none of
   * the candidates. Default 500. The same figure is used for every candidate of one request.
   */
  defaultOutputTokens?: number
}

/** One candidate's place in the plan. */
export interface PricedCandidate {
  candidate: Candidate
  /** Estimated USD cost of this call on this candidate; `null` when the model has no known price. */
  estimatedCost: number | null
  promptTokens: number
  cachedTokens: number
  outputTokens: number
}

export interface CheapestPlan {
  /** Qualifying candidates, cheapest first; unpriced ones last, in the order given. */
  ranked: PricedCandidate[]
  dropped: DroppedCandidate[]
}

/** What the request itself needs: tools if it sends tools, vision if it sends images, ... */
function requestedCapabilities(request: ChatParameters): Capability[] {
  const needs: Capability[] = []
  if (request.tools && request.tools.length > 0) needs.push('tools')
  const hasImage = request.messages.some(
    (message) => Array.isArray(message.content) && message.content.some((part) => part.type === 'image_url'),
  )
  if (hasImage) needs.push('vision')
  if (request.response_format?.type === 'json_schema') needs.push('json_schema')
  if (request.reasoning_effort) needs.push('reasoning')
  return needs
}

function tokenPriceValue(price: TokenPrice): number {
  return typeof price === 'number' ? price : price.base
}

/**
 * Prices and filters candidates for one request without calling anything. Exported so the plan
 * can be inspected (and tested) on its own.
 */
export function planCheapest(
  request: ChatParameters,
  candidates: readonly Candidate[],
  services: RouterServices,
  options: CheapestOptions = {},
): CheapestPlan {
  const needs = [...new Set([...(options.require ?? []), ...requestedCapabilities(request)])]
  const prompt = estimatePromptTokens(request)
  const outputTokens = expectedOutputTokens(request, candidates, services, options)
  const ranked: PricedCandidate[] = []
  const dropped: DroppedCandidate[] = []
  for (const candidate of candidates) {
    const capabilities: ModelCapabilities = services.capabilities(candidate.provider, candidate.model)
    const missing = needs.filter((need) => !capabilities[need])
    if (missing.length > 0) {
      dropped.push({ id: candidate.id, reason: 'missing-capability', detail: `lacks ${missing.join(', ')}.` })
      continue
    }
    if (capabilities.contextWindow !== undefined && prompt.tokens + outputTokens > capabilities.contextWindow) {
      dropped.push({
        id: candidate.id,
        reason: 'context-window',
        detail: `~${prompt.tokens} prompt + ${outputTokens} output tokens exceed its ${capabilities.contextWindow}-token context window.`,
      })
      continue
    }
    const price = services.prices.resolve(candidate.provider, candidate.model)?.price
    if (!price && options.maxPrice !== undefined) {
      dropped.push({ id: candidate.id, reason: 'unknown-price', detail: 'has no known price, so it cannot be shown to be under maxPrice; add it to createRouter({ prices }).' })
      continue
    }
    const estimatedCost = price
      ? services.prices.cost(
          { inputTokens: prompt.tokens - prompt.cachedTokens, cacheReadTokens: prompt.cachedTokens, cacheWriteTokens: 0, outputTokens, reasoningTokens: 0 },
          price,
        ).total
      : null
    const overCap = price && overMaxPrice(options.maxPrice, estimatedCost!, price)
    if (overCap) {
      dropped.push({ id: candidate.id, reason: 'over-max-price', detail: overCap })
      continue
    }
    if (services.health.isCoolingDown(candidate.id)) {
      const retryAfterMs = services.health.coolingDownFor(candidate.id)
      dropped.push({ id: candidate.id, reason: 'cooling-down', detail: `is cooling down for ${retryAfterMs} ms after failures.`, retryAfterMs })
      continue
    }
    ranked.push({ candidate, estimatedCost, promptTokens: prompt.tokens, cachedTokens: prompt.cachedTokens, outputTokens })
  }
  // Stable sort: equal prices keep the order given; an unknown price never ranks above a known one.
  ranked.sort((a, b) => (a.estimatedCost ?? Infinity) - (b.estimatedCost ?? Infinity))
  return { ranked, dropped }
}

/**
 * One expected output length for every candidate of a request, so they are compared on the same
 * work: `max_tokens` when set, else the mean of what the router has learned for the candidates
 * that have been measured, else `defaultOutputTokens`. A per-candidate figure would let a model
 * measured once on a short answer undercut a cheaper one estimated at the default.
 */
function expectedOutputTokens(request: ChatParameters, candidates: readonly Candidate[], services: RouterServices, options: CheapestOptions): number {
  const maxTokens = request.max_completion_tokens ?? request.max_tokens
  if (maxTokens !== undefined) return Math.ceil(maxTokens)
  let learnedSum = 0
  let learnedCount = 0
  for (const candidate of candidates) {
    const learned = services.stats.get(candidate.id)?.outputTokens
    if (learned === undefined) continue
    learnedSum += learned
    learnedCount += 1
  }
  return Math.ceil(learnedCount > 0 ? learnedSum / learnedCount : options.defaultOutputTokens ?? 500)
}

function overMaxPrice(
  maxPrice: CheapestOptions['maxPrice'],
  estimatedCost: number,
  price: ModelPrice,
): string | null {
  if (maxPrice === undefined) return null
  if (typeof maxPrice === 'number') {
    return estimatedCost > maxPrice ? `its estimated cost $${estimatedCost} is over maxPrice $${maxPrice}.` : null
  }
  for (const part of ['input', 'output'] as const) {
    const cap = maxPrice[part]
    const listed = tokenPriceValue(price[part])
    if (cap !== undefined && listed > cap) return `its ${part} price $${listed}/M tokens is over maxPrice.${part} $${cap}/M.`
  }
  return null
}

/**
 * `cheapest(models, { require, maxPrice })`: estimates each candidate's cost for this request
 * (prompt tokens by estimate, output from max_tokens or what the router has learned, list or user
 * prices, cache-read prices for a prefix marked with `cache_control`), drops those that cannot
 * serve it, tries the cheapest first and falls back in cost order. Candidates with no known price
 * are tried last (or dropped when `maxPrice` is set): a made-up price is never used.
 */
export function cheapest(models: readonly string[], options: CheapestOptions = {}): Strategy {
  return {
    specificationVersion: 'v1',
    name: 'cheapest',
    models: [...models],
    readsPricesBeforeAttempts: true,
    async run(context: StrategyContext) {
      const candidates = models.map((id) => context.candidate(id))
      if (context.operation === 'embed') return tryInOrder(context, candidates, options)
      const plan = planCheapest(context.request, candidates, context.services, options)
      for (const { id, reason } of plan.dropped) {
        if (reason !== 'cooling-down') continue
        const candidate = context.candidate(id)
        context.services.events.emit({ type: 'candidate-skipped', provider: candidate.provider, model: candidate.model, reason, routeName: context.routeName })
      }
      if (plan.ranked.length === 0) throw new NoQualifyingCandidateError('cheapest', plan.dropped)
      return tryInOrder(context, plan.ranked.map((entry) => entry.candidate), options)
    },
  }
}
