import type { EmbedModelRequest, ModelRequest } from '../../spec/request.js'
import type { EmbedModelResponse, ModelResponse } from '../../spec/response.js'
import type { StreamEvent } from '../../spec/stream-event.js'
import type { ModelCapabilities, ProviderAdapter, ProviderSettings } from '../../spec/provider-adapter.js'
import { defineProvider, type ClientConnection } from '../../provider-kit/define-provider.js'
import { vertexConnection, type GoogleVertexSettings } from './google-vertex.js'
import { UnsupportedFeatureError } from '../../errors/errors.js'
import { importSdk } from './google-sdk.js'
import { isRecord, malformedResponseError } from '../../provider-kit/malformed-response.js'
import { lazyPart } from '../../internal/lazy-part.js'
import type { GoogleWireEmbedResponse, GoogleWireResponse } from './google-wire-types.js'
import { googleCatalogModels } from '../catalog-models/google.js'

/** The slice of a `@google/genai` `GoogleGenAI` client the adapter calls; any real instance fits. */
export interface GoogleClientLike {
  models: {
    generateContent(parameters: any): Promise<any>
    generateContentStream(parameters: any): Promise<AsyncIterable<any>>
    embedContent(parameters: any): Promise<any>
    countTokens?(parameters: any): Promise<any>
  }
}

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
 * A 200 without an answer: no candidates and no `promptFeedback` (which is how Gemini reports a
 * blocked prompt, a real answer). Read as is, it would become an empty answer that "stopped".
 */
function checkedResponse(response: unknown, providerId: string, model: string): GoogleWireResponse {
  if (!isRecord(response)) throw malformedResponseError(providerId, model, 'the body is not a JSON object')
  const candidates = response.candidates
  if ((!Array.isArray(candidates) || candidates.length === 0) && response.promptFeedback === undefined) {
    throw malformedResponseError(providerId, model, 'no `candidates`')
  }
  return response as GoogleWireResponse
}

/**
 * Google Gemini over the official `@google/genai` SDK: the Gemini Developer API (key from
 * `GEMINI_API_KEY`, then `GOOGLE_API_KEY`), or Vertex AI with `google({ vertexai: { project, location } })`
 * (provider id `vertex`; Application Default Credentials or an access token).
 */
export function google(settings: GoogleSettings = {}): ProviderAdapter {
  const vertex = settings.vertexai
  const providerId = settings.id ?? (vertex ? 'vertex' : 'google')
  function generateParameters(request: ModelRequest, signal: AbortSignal) {
    const { model, contents, config } = translation.loaded!.toGoogleRequest(request, { provider: providerId })
    // Tools are declarations only: the SDK must never run functions itself.
    // Set on this call's own config: a copy with fields added costs ~0.6 µs on Node 20.
    config.automaticFunctionCalling = { disable: true }
    config.abortSignal = signal
    return { model, contents, config }
  }

  const responseOptions = (request: ModelRequest) => ({ provider: providerId, model: request.model, firstToolCallOnly: request.parallel_tool_calls === false })
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

    async chat(request: ModelRequest, { client, signal }): Promise<ModelResponse> {
      const response: unknown = await client.models.generateContent(generateParameters(request, signal))
      return translation.loaded!.fromGoogleResponse(checkedResponse(response, providerId, request.model), responseOptions(request))
    },

    async *stream(request: ModelRequest, { client, signal }): AsyncGenerator<StreamEvent> {
      const chunks = (await client.models.generateContentStream(generateParameters(request, signal))) as AsyncIterable<GoogleWireResponse>
      yield* translation.loaded!.googleStreamEvents(chunks, responseOptions(request))
    },

    /** Gemini's own counting endpoint (`models.countTokens`). */
    async countTokens(request: ModelRequest, { client, signal }) {
      const { model, contents, config } = translation.loaded!.toGoogleRequest(request, { provider: providerId })
      const countConfig = { ...(config.systemInstruction ? { systemInstruction: config.systemInstruction } : {}), ...(config.tools ? { tools: config.tools } : {}), abortSignal: signal }
      if (!client.models.countTokens) throw new UnsupportedFeatureError('google: the client given has no models.countTokens; pass a @google/genai client.', { provider: providerId, model: request.model, feature: 'count_tokens', status: 400 })
      let counted: { totalTokens?: number }
      try {
        counted = (await client.models.countTokens({ model, contents, config: countConfig })) as { totalTokens?: number }
      } catch (error) {
        // The SDK refuses these before any request on the Gemini Developer API; Vertex AI counts them.
        if (error instanceof Error && /only supported in .*not in Gemini Developer API/.test(error.message)) {
          throw new UnsupportedFeatureError(`Token counting is not available for google/${request.model} with a system prompt or tools: the Gemini Developer API counts contents only (Vertex AI counts both).`, { provider: providerId, model: request.model, feature: 'count_tokens', status: 400 })
        }
        throw error
      }
      if (typeof counted.totalTokens !== 'number') throw malformedResponseError(providerId, request.model, 'countTokens answered without totalTokens')
      return { inputTokens: counted.totalTokens }
    },

    async embed(request: EmbedModelRequest, { client, signal }): Promise<EmbedModelResponse> {
      const { toGoogleEmbedRequest, fromGoogleEmbedResponse } = translation.loaded!
      const response = (await client.models.embedContent(toGoogleEmbedRequest(request, providerId, signal))) as GoogleWireEmbedResponse
      return fromGoogleEmbedResponse(response, request.model)
    },
  })
}
