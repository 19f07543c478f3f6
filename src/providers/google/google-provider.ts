import type { ModelCapabilities, ProviderAdapter, ProviderSettings } from '../../spec/provider-adapter.js'
import { defineProvider, type ClientConnection } from '../../provider-kit/define-provider.js'
import { vertexConnection, type GoogleVertexSettings } from './google-vertex.js'
import { importSdk } from './google-sdk.js'
import { lazyPart, loadedCalls } from '../../internal/lazy-part.js'
import type { GoogleClientLike } from './google-wire-types.js'
import { googleCatalogModels } from '../catalog-models/google.js'

export type { GoogleClientLike }

export interface GoogleSettings extends ProviderSettings<GoogleClientLike> {
  /** Serve Gemini from Vertex AI instead of the Gemini Developer API (no API key then). */
  vertexai?: GoogleVertexSettings
  /** The provider id in model ids. Default `google`, or `vertex` with `vertexai`. */
  id?: string
}

const translation = /* @__PURE__ */ lazyPart('the Gemini adapter', () => import('./google-translation.js'))

function capabilities(model: string): Partial<ModelCapabilities> {
  if (/embedding/.test(model)) return { tools: false, vision: false, json_schema: false, reasoning: false }
  // Thinking arrived with Gemini 2.5; unversioned aliases (`gemini-flash-latest`) point at thinking models.
  const generation = /gemini-(\d+(?:\.\d+)?)/.exec(model)?.[1]
  return { tools: true, vision: true, json_schema: true, reasoning: generation === undefined ? /^gemini-/.test(model) : Number(generation) >= 2.5 }
}

/**
 * Google Gemini over the official `@google/genai` SDK: the Gemini Developer API (key from
 * `GEMINI_API_KEY`, then `GOOGLE_API_KEY`), or Vertex AI with `google({ vertexai: { project, location } })`
 * (provider id `vertex`; Application Default Credentials or an access token).
 */
export function google(settings: GoogleSettings = {}): ProviderAdapter {
  const vertex = settings.vertexai
  const providerId = settings.id ?? (vertex ? 'vertex' : 'google')
  // The calls themselves come with the translation, imported at the first call.
  const calls = loadedCalls(translation, (code) => code.googleCalls(providerId))
  const httpOptions = (baseURL: string | undefined, headers: Record<string, string> | undefined) => ({
    ...(baseURL ? { baseUrl: baseURL } : {}),
    ...(headers ? { headers } : {}),
    // The router owns retrying; one attempt per call keeps failures visible to fallback.
    retryOptions: { attempts: 1 },
  })

  return defineProvider<GoogleClientLike>({
    id: providerId,
    settings,
    factoryName: 'google',
    catalogId: 'google',
    catalogModels: googleCatalogModels,
    ...(vertex ? vertexConnection<GoogleClientLike>(providerId, vertex, httpOptions) : {
      apiKeyEnv: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
      createClient: ({ apiKey, baseURL, headers }: ClientConnection) =>
        importSdk().then(({ GoogleGenAI }) => new GoogleGenAI({ apiKey, httpOptions: httpOptions(baseURL, headers) }) as unknown as GoogleClientLike),
    }),
    capabilities,
    loadCode: translation.load,
    // Not loaded: the failure was loading it or building the client, which the kit's classifier maps.
    mapError: (raw, context) => translation.loaded?.errorFromGoogle(raw, context),

    chat: (request, call) => calls().chat(request, call),
    stream: (request, call) => calls().stream(request, call),
    countTokens: (request, call) => calls().countTokens(request, call),
    embed: (request, call) => calls().embed(request, call),
  })
}
