import { computeCost } from '../cost/compute-cost.js'
import type { ModelPrice } from '../spec/cost.js'
import type { ChatParameters } from '../spec/request.js'
import type { Usage } from '../spec/usage.js'
import { estimatePromptTokens } from '../strategies/estimate-tokens.js'

/** What one attempt's cost is made of, for fitting it under a cap and following it while it streams. */
export interface AttemptPricing {
  /** The prompt's estimated cost (a marked prefix priced as a cache write, the dearer way). */
  promptCostUsd: number
  /** USD per output token at this prompt size. */
  outputTokenUsd: number
  promptTokens: number
}

const perMillion = 1_000_000
const charactersPerToken = 4

export function attemptPricing(request: ChatParameters, price: ModelPrice): AttemptPricing {
  const prompt = estimatePromptTokens(request)
  const promptUsage = { inputTokens: prompt.tokens - prompt.cachedTokens, cacheReadTokens: 0, cacheWriteTokens: prompt.cachedTokens, outputTokens: 0, reasoningTokens: 0 }
  const promptCostUsd = computeCost(promptUsage, price).total!
  // A million output tokens at this prompt size gives the per-million output price, tiers included.
  const millionOut = computeCost({ ...promptUsage, cacheWriteTokens: prompt.cachedTokens, outputTokens: perMillion }, price)
  return { promptCostUsd, outputTokenUsd: millionOut.output! / perMillion, promptTokens: prompt.tokens }
}

/** The most output tokens that keep the attempt within `remainingUsd` (0 or less: not even the prompt fits). */
export function fittingOutputTokens(pricing: AttemptPricing, remainingUsd: number): number {
  const left = remainingUsd - pricing.promptCostUsd
  if (left <= 0) return 0
  if (pricing.outputTokenUsd === 0) return Number.MAX_SAFE_INTEGER
  return Math.floor(left / pricing.outputTokenUsd)
}

/**
 * A streamed attempt's cost so far: exact once the provider reported usage, else the prompt
 * estimate plus the text streamed so far at ~4 characters per output token.
 */
export function runningCost(pricing: AttemptPricing, streamedCharacters: number, usage: Usage | undefined, price: ModelPrice): number {
  if (usage) return computeCost(usage, price).total ?? 0
  return pricing.promptCostUsd + Math.ceil(streamedCharacters / charactersPerToken) * pricing.outputTokenUsd
}
