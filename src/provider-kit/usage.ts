import type { Usage } from '../spec/usage.js'

/** A usage record with every counter at zero, for adapters to fill in. */
export function emptyUsage(): Usage {
  return { inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 }
}
