import type { ChatUsage, Usage } from '../spec/usage.js'

/** OpenAI's usage fields, from the canonical usage. */
export function toChatUsage(usage: Usage): ChatUsage {
  const promptTokens = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens
  return {
    prompt_tokens: promptTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: promptTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cacheReadTokens },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
  }
}

/** The canonical usage as the result reports it: its own copy, with only the fields the provider filled. */
export function toTokens(usage: Usage): Usage {
  // Spelled out rather than spread: adapters build usage objects of different shapes, and this runs on every call.
  const tokens: Usage = {
    inputTokens: usage.inputTokens,
    cacheReadTokens: usage.cacheReadTokens,
    cacheWriteTokens: usage.cacheWriteTokens,
    outputTokens: usage.outputTokens,
    reasoningTokens: usage.reasoningTokens,
  }
  if (usage.cacheWrite1hTokens !== undefined) tokens.cacheWrite1hTokens = usage.cacheWrite1hTokens
  if (usage.serviceTier !== undefined) tokens.serviceTier = usage.serviceTier
  if (usage.iterations !== undefined) tokens.iterations = usage.iterations
  return tokens
}
