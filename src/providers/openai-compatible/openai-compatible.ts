import { ConfigurationError } from '../../errors/errors.js'
import { createOpenAIChatAdapter, type OpenAIClientLike } from '../openai/openai-chat-adapter.js'
import type { ModelCapabilities, ProviderAdapter, ProviderSettings } from '../../spec/provider-adapter.js'
import { compatiblePresets, type CompatiblePreset, type CompatiblePresetName } from './presets.js'

export interface OpenAICompatibleSettings extends ProviderSettings<OpenAIClientLike> {
  /**
   * The provider id used in model ids. A preset name (`deepseek`, `ollama`, ...) fills in the base
   * URL, key variable and catalog; any other id needs a `baseURL`.
   */
  id: string
  /** Environment variable to read the key from, for a host that is not a preset. */
  apiKeyEnv?: string
  /** Provider id in the `@pydantic/genai-prices` catalog, for default prices. */
  catalogId?: string
  /** Whether the host serves `/embeddings`. Default: the preset's, else true. */
  embeddings?: boolean
  /** Most hosts accept only `max_tokens`; set this for hosts that want `max_completion_tokens`. */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens'
  capabilities?: (model: string) => Partial<ModelCapabilities>
}

/**
 * Any host that speaks the OpenAI Chat Completions API, through the official `openai` SDK:
 * `openaiCompatible({ id: 'deepseek' })`, or `openaiCompatible({ id: 'mine', baseURL, apiKey })`.
 */
export function openaiCompatible(settings: OpenAICompatibleSettings): ProviderAdapter {
  const presetNames = Object.keys(compatiblePresets).join(', ')
  if (!settings || typeof settings.id !== 'string' || settings.id === '') {
    throw new ConfigurationError(`openaiCompatible: give an \`id\`, a preset (${presetNames}) or your own with a \`baseURL\`.`)
  }
  const preset: CompatiblePreset | undefined = compatiblePresets[settings.id as CompatiblePresetName]
  if (!preset && !settings.baseURL && !settings.client) {
    throw new ConfigurationError(`openaiCompatible({ id: '${settings.id}' }): not a preset, so it needs a \`baseURL\` (presets: ${presetNames}).`)
  }
  return createOpenAIChatAdapter({
    id: settings.id,
    factoryName: 'openaiCompatible',
    catalogId: settings.catalogId ?? preset?.catalogId,
    apiKeyEnv: settings.apiKeyEnv ?? preset?.apiKeyEnv,
    defaultBaseURL: preset?.baseURL,
    maxTokensField: settings.maxTokensField ?? 'max_tokens',
    embeddings: settings.embeddings ?? preset?.embeddings ?? true,
    capabilities: settings.capabilities,
    settings,
  })
}
