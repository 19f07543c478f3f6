import type { Usage } from '../spec/usage.js'

export interface CachedPromptCounts {
  /** All prompt tokens as the provider counts them, cached ones included. */
  promptTokens: number
  /** The part of `promptTokens` read from the provider's cache. */
  cachedTokens: number
  /** The part of `promptTokens` written to the provider's cache (OpenAI reports it for some models). */
  cacheWriteTokens?: number
  /** Output tokens, reasoning included. */
  outputTokens: number
  reasoningTokens: number
}

/**
 * Canonical usage for providers that count cache reads inside the prompt (OpenAI and compatible
 * hosts, Groq, Mistral, Gemini): the cache reads and writes are split out so each token is priced once.
 */
export function usageFromCachedPrompt(counts: CachedPromptCounts): Usage {
  return {
    inputTokens: Math.max(0, counts.promptTokens - counts.cachedTokens - (counts.cacheWriteTokens ?? 0)),
    cacheReadTokens: counts.cachedTokens,
    cacheWriteTokens: counts.cacheWriteTokens ?? 0,
    outputTokens: counts.outputTokens,
    reasoningTokens: counts.reasoningTokens,
  }
}
