import { computeCost } from '../cost/compute-cost.js'
import type { ModelPrice } from '../spec/cost.js'
import type { ChatParameters } from '../spec/request.js'
import { estimatePromptTokens } from '../strategies/estimate-tokens.js'

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
 * The most a chat attempt can cost: the estimated prompt (a marked prefix priced as a cache write,
 * the dearer way it can go) plus every output token it may produce, at list price.
 */
export function worstCaseChatCost(request: ChatParameters, price: ModelPrice | undefined, defaultOutputTokens: number): WorstCase {
  const prompt = estimatePromptTokens(request)
  const outputTokens = outputAllowance(request, defaultOutputTokens)
  if (!price) return { costUsd: null, promptTokens: prompt.tokens, outputTokens }
  const usage = {
    inputTokens: prompt.tokens - prompt.cachedTokens,
    cacheReadTokens: 0,
    cacheWriteTokens: prompt.cachedTokens,
    outputTokens,
    reasoningTokens: 0,
  }
  return { costUsd: computeCost(usage, price).total, promptTokens: prompt.tokens, outputTokens }
}

/** An embedding attempt costs its input only. */
export function worstCaseEmbedCost(input: readonly string[], price: ModelPrice | undefined): WorstCase {
  let promptTokens = 0
  for (const text of input) promptTokens += Math.ceil(text.length / 4)
  if (!price) return { costUsd: null, promptTokens, outputTokens: 0 }
  const usage = { inputTokens: promptTokens, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 }
  return { costUsd: computeCost(usage, price).total, promptTokens, outputTokens: 0 }
}
