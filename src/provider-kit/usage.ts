import type { Usage } from '../spec/usage.js'

/** A usage record with every counter at zero, for adapters to fill in. */
export function emptyUsage(): Usage {
  return { inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 }
}

/** Token counts as OpenAI Chat Completions and most OpenAI-like hosts report them. */
export interface OpenAIShapedUsage {
  prompt_tokens?: number | null
  completion_tokens?: number | null
  prompt_tokens_details?: { cached_tokens?: number | null } | null
  completion_tokens_details?: { reasoning_tokens?: number | null } | null
}

/**
 * Canonical usage from an OpenAI-shaped `usage` object: cached tokens are split out of the prompt
 * (OpenAI counts them inside it) and reasoning stays inside output, so each token is priced once.
 */
export function usageFromOpenAIShape(usage: OpenAIShapedUsage): Usage {
  const promptTokens = usage.prompt_tokens ?? 0
  const cachedTokens = usage.prompt_tokens_details?.cached_tokens ?? 0
  return {
    inputTokens: Math.max(0, promptTokens - cachedTokens),
    cacheReadTokens: cachedTokens,
    cacheWriteTokens: 0,
    outputTokens: usage.completion_tokens ?? 0,
    reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
  }
}
