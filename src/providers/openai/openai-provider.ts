import type { ProviderAdapter, ProviderSettings } from '../../spec/provider-adapter.js'
import type { ModelRequest } from '../../spec/request.js'
import { lazyPart } from '../../internal/lazy-part.js'
import { createOpenAIChatAdapter, type OpenAIClientLike } from './openai-chat-adapter.js'
import { openaiCatalogModels } from '../catalog-models/openai.js'

export type OpenAISettings = ProviderSettings<OpenAIClientLike>

/** Token counting (the chat formatting OpenAI documents), imported at the first count. */
const tokenCounting = /* @__PURE__ */ lazyPart('OpenAI token counting', () => import('./openai-token-count.js'))

const countOpenAITokens = (request: ModelRequest) => tokenCounting.load().then((code) => code.countOpenAITokens(request))

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
