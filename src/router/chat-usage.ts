import type { ChatUsage, Usage } from '../spec/usage.js'

export function toChatUsage(usage: Usage): ChatUsage {
  const promptTokens = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens
  // Spelled out rather than spread: adapters build usage objects of different shapes, and this runs on every call.
  const chatUsage: ChatUsage = {
    inputTokens: usage.inputTokens,
    cacheReadTokens: usage.cacheReadTokens,
    cacheWriteTokens: usage.cacheWriteTokens,
    outputTokens: usage.outputTokens,
    reasoningTokens: usage.reasoningTokens,
    prompt_tokens: promptTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: promptTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cacheReadTokens },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
  }
  if (usage.cacheWrite1hTokens !== undefined) chatUsage.cacheWrite1hTokens = usage.cacheWrite1hTokens
  if (usage.serviceTier !== undefined) chatUsage.serviceTier = usage.serviceTier
  if (usage.iterations !== undefined) chatUsage.iterations = usage.iterations
  return chatUsage
}
