import { ConfigurationError } from '../../errors/errors.js'
import { createOpenAIChatAdapter, type OpenAIClientLike } from '../openai/openai-chat-adapter.js'
import type { ModelCapabilities, ProviderAdapter, ProviderSettings } from '../../spec/provider-adapter.js'
import type { CatalogModelList } from '../../spec/provider-adapter.js'
import { compatiblePresets, type CompatiblePreset, type CompatiblePresetName } from './presets.js'
import { cerebrasCatalogModels } from '../catalog-models/cerebras.js'
import { deepseekCatalogModels } from '../catalog-models/deepseek.js'
import { fireworksCatalogModels } from '../catalog-models/fireworks.js'
import { openrouterCatalogModels } from '../catalog-models/openrouter.js'
import { togetherCatalogModels } from '../catalog-models/together.js'
import { xAiCatalogModels } from '../catalog-models/x-ai.js'

/** The catalog's models for the presets' catalog ids, by catalog id: route models on these hosts are checked at createRouter(). */
const presetCatalogModels: Readonly<Record<string, readonly CatalogModelList[]>> = {
  'x-ai': xAiCatalogModels,
  cerebras: cerebrasCatalogModels,
  together: togetherCatalogModels,
  fireworks: fireworksCatalogModels,
  deepseek: deepseekCatalogModels,
  openrouter: openrouterCatalogModels,
}

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
  const catalogId = settings.catalogId ?? preset?.catalogId
  return createOpenAIChatAdapter({
    id: settings.id,
    factoryName: 'openaiCompatible',
    catalogId,
    catalogModels: catalogId === undefined ? undefined : presetCatalogModels[catalogId],
    apiKeyEnv: settings.apiKeyEnv ?? preset?.apiKeyEnv,
    defaultBaseURL: preset?.baseURL,
    maxTokensField: settings.maxTokensField ?? 'max_tokens',
    embeddings: settings.embeddings ?? preset?.embeddings ?? true,
    capabilities: settings.capabilities,
    settings,
  })
}
