import type { ProviderAdapter } from '../src/index.js'

/**
 * An `openai`-shaped adapter that answers every chat at once with a fixed completion: what the
 * router's own work costs, without any I/O.
 */
export function instantProvider(content = 'Hello'): ProviderAdapter {
  const response = {
    id: 'chatcmpl-instant',
    model: 'gpt-4o',
    message: { role: 'assistant' as const, content },
    finishReason: 'stop' as const,
    usage: { inputTokens: 11, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 9, reasoningTokens: 0 },
  }
  return { specificationVersion: 'v1', id: 'openai', catalogId: 'openai', chat: async () => response, stream: async function* () {} }
}
