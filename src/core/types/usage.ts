/**
 * Token usage in one shape for every provider. The four token classes are disjoint, so each is
 * billed at its own price: `inputTokens` excludes cache reads and writes.
 */
export interface Usage {
  /** Input tokens billed at the plain input price (not read from or written to a cache). */
  inputTokens: number
  /** Input tokens served from the provider's prompt cache. */
  cacheReadTokens: number
  /** Input tokens written to the provider's prompt cache. */
  cacheWriteTokens: number
  /**
   * The part of `cacheWriteTokens` written with a 1-hour lifetime (Anthropic's `ttl: '1h'`), which
   * is billed at its own, higher price. Absent when the provider has no such distinction.
   */
  cacheWrite1hTokens?: number
  /** Output tokens, reasoning included. */
  outputTokens: number
  /** The part of `outputTokens` spent on reasoning / thinking. */
  reasoningTokens: number
}

/** `Usage` plus the OpenAI Chat Completions usage fields, so OpenAI-shaped code keeps working. */
export interface ChatUsage extends Usage {
  /** All input tokens: plain, cache read and cache write. */
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
  prompt_tokens_details: { cached_tokens: number }
  completion_tokens_details: { reasoning_tokens: number }
}

export function emptyUsage(): Usage {
  return { inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 }
}

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
  return chatUsage
}
