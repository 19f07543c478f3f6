import type { ProviderAdapter, ProviderSettings } from '../../spec/provider-adapter.js'
import { createOpenAIChatAdapter, type OpenAIClientLike } from './openai-chat-adapter.js'

export type OpenAISettings = ProviderSettings<OpenAIClientLike>

/** OpenAI over the official `openai` SDK. The key defaults to `OPENAI_API_KEY`. */
export function openai(settings: OpenAISettings = {}): ProviderAdapter {
  return createOpenAIChatAdapter({
    id: 'openai',
    factoryName: 'openai',
    catalogId: 'openai',
    apiKeyEnv: 'OPENAI_API_KEY',
    maxTokensField: 'max_completion_tokens',
    embeddings: true,
    capabilities: (model) => ({ reasoning: /^(o\d|gpt-5)/.test(model) }),
    settings,
  })
}
