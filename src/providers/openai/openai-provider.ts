import type { ProviderAdapter, ProviderSettings } from '../../spec/provider-adapter.js'
import { countOpenAITokens } from './openai-token-count.js'
import { createOpenAIChatAdapter, type OpenAIClientLike } from './openai-chat-adapter.js'
import { openaiCatalogModels } from '../catalog-models/openai.js'

export type OpenAISettings = ProviderSettings<OpenAIClientLike>

/** OpenAI over the official `openai` SDK. The key defaults to `OPENAI_API_KEY`. */
export function openai(settings: OpenAISettings = {}): ProviderAdapter {
  const adapter = createOpenAIChatAdapter({
    id: 'openai',
    factoryName: 'openai',
    catalogId: 'openai',
    catalogModels: openaiCatalogModels,
    apiKeyEnv: 'OPENAI_API_KEY',
    maxTokensField: 'max_completion_tokens',
    embeddings: true,
    capabilities: (model) => ({ reasoning: /^(o\d|gpt-5)/.test(model) }),
    settings,
  })
  // OpenAI has no counting endpoint; its models' tokenizers are public. Presets on other hosts get none.
  return Object.assign(adapter, { countTokens: countOpenAITokens })
}
