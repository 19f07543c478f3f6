import { computeCost } from '../cost/compute-cost.js'
import type { ModelPrice } from '../spec/cost.js'
import type { ChatParameters } from '../spec/request.js'

export interface WorstCase {
  /** USD; `null` when the model has no known price. */
  costUsd: number | null
  promptTokens: number
  outputTokens: number
}

/** The output tokens an attempt may produce: its `max_tokens`, else the configured default. */
export function outputAllowance(request: Partial<ChatParameters>, defaultOutputTokens: number): number {
  return request.max_completion_tokens ?? request.max_tokens ?? defaultOutputTokens
}

/**
 * The most a chat attempt can cost, in USD: the estimated prompt (a marked prefix priced as a
 * cache write, the dearer way it can go) plus every output token it may produce, at list price.
 */
function worstCaseChatUsd(price: ModelPrice, promptTokens: number, cachedTokens: number, outputTokens: number): number | null {
  const usage = { inputTokens: promptTokens - cachedTokens, cacheReadTokens: 0, cacheWriteTokens: cachedTokens, outputTokens, reasoningTokens: 0 }
  return computeCost(usage, price).total
}

/**
 * Prices chat attempts' worst cases, remembering the last one: most attempts of a router ask the
 * same model as the attempt before, with a prompt of the same size and the same `max_tokens`, so
 * the same sum is not worked out again. Prices are read-only, so one that is the same object is the
 * same price.
 */
export class WorstCasePricer {
  private lastPrice: ModelPrice | undefined
  private lastPromptTokens = -1
  private lastCachedTokens = -1
  private lastOutputTokens = -1
  private lastCostUsd: number | null = null

  /** The worst case of a chat attempt at `price` (see `estimatePromptTokens` and `outputAllowance`), in USD. */
  chatUsd(price: ModelPrice, promptTokens: number, cachedTokens: number, outputTokens: number): number | null {
    if (price !== this.lastPrice || promptTokens !== this.lastPromptTokens || cachedTokens !== this.lastCachedTokens || outputTokens !== this.lastOutputTokens) {
      this.lastCostUsd = worstCaseChatUsd(price, promptTokens, cachedTokens, outputTokens)
      this.lastPrice = price
      this.lastPromptTokens = promptTokens
      this.lastCachedTokens = cachedTokens
      this.lastOutputTokens = outputTokens
    }
    return this.lastCostUsd
  }
}

/** An embedding attempt costs its input only. */
export function worstCaseEmbedCost(input: readonly string[], price: ModelPrice | undefined): WorstCase {
  let promptTokens = 0
  for (const text of input) promptTokens += Math.ceil(text.length / 4)
  if (!price) return { costUsd: null, promptTokens, outputTokens: 0 }
  const usage = { inputTokens: promptTokens, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 }
  return { costUsd: computeCost(usage, price).total, promptTokens, outputTokens: 0 }
}
