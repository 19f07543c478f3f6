import type { EmbedModelRequest, ModelRequest } from '../../spec/request.js'
import type { EmbedModelResponse, ModelResponse } from '../../spec/response.js'
import type { StreamEvent } from '../../spec/stream-event.js'
import type { CallOptions, ModelCapabilities, ProviderAdapter, ProviderSettings } from '../../spec/provider-adapter.js'
import { readEnv, requireApiKey } from '../../provider-kit/api-key.js'
import { lazyClient } from '../../provider-kit/lazy-client.js'
import { peerImportError } from '../../provider-kit/load-peer.js'
import { fromGoogleEmbedResponse, toGoogleEmbedRequest } from './google-embeddings.js'
import { errorFromGoogle } from './google-errors.js'
import { toGoogleRequest } from './google-request.js'
import { fromGoogleResponse, googleStreamEvents } from './google-response.js'
import type { GoogleWireEmbedResponse, GoogleWireResponse } from './google-wire-types.js'

/** The slice of a `@google/genai` `GoogleGenAI` client the adapter calls; any real instance fits. */
export interface GoogleClientLike {
  models: {
    generateContent(parameters: any): Promise<any>
    generateContentStream(parameters: any): Promise<AsyncIterable<any>>
    embedContent(parameters: any): Promise<any>
  }
}

export type GoogleSettings = ProviderSettings<GoogleClientLike>

const providerId = 'google'
const apiKeyVariables = ['GEMINI_API_KEY', 'GOOGLE_API_KEY'] as const

function capabilities(model: string): Partial<ModelCapabilities> {
  if (/embedding/.test(model)) return { tools: false, vision: false, json_schema: false, reasoning: false }
  // Thinking arrived with Gemini 2.5; unversioned aliases (`gemini-flash-latest`) point at thinking models.
  const generation = /gemini-(\d+(?:\.\d+)?)/.exec(model)?.[1]
  return { tools: true, vision: true, json_schema: true, reasoning: generation === undefined ? /^gemini-/.test(model) : Number(generation) >= 2.5 }
}

/**
 * Google Gemini (the Gemini Developer API) over the official `@google/genai` SDK. The key defaults
 * to `GEMINI_API_KEY`, then `GOOGLE_API_KEY`. Pass a ready client (`google({ client })`) for Vertex AI.
 */
export function google(settings: GoogleSettings = {}): ProviderAdapter {
  const apiKey = settings.apiKey ?? readEnv(apiKeyVariables[0]) ?? readEnv(apiKeyVariables[1])
  const getClient = lazyClient(settings.client, () =>
    importSdk().then(
      ({ GoogleGenAI }) =>
        new GoogleGenAI({
          apiKey,
          httpOptions: {
            ...(settings.baseURL ? { baseUrl: settings.baseURL } : {}),
            ...(settings.headers ? { headers: settings.headers } : {}),
            // The router owns retrying; one attempt per call keeps failures visible to fallback.
            retryOptions: { attempts: 1 },
          },
        }) as unknown as GoogleClientLike,
    ),
  )

  const toError = (error: unknown, model: string) => errorFromGoogle(error, { provider: providerId, model, secrets: [apiKey] })

  function generateParameters(request: ModelRequest, signal: AbortSignal) {
    const { model, contents, config } = toGoogleRequest(request, { provider: providerId })
    // Tools are declarations only: the SDK must never run functions itself.
    return { model, contents, config: { ...config, automaticFunctionCalling: { disable: true }, abortSignal: signal } }
  }

  const responseOptions = (request: ModelRequest) => ({ provider: providerId, model: request.model, firstToolCallOnly: request.parallel_tool_calls === false })

  return {
    id: providerId,
    catalogId: 'google',
    models: settings.models,
    capabilities,

    validate() {
      if (!settings.client) requireApiKey(providerId, apiKey, apiKeyVariables.join(' or '), 'google')
    },

    async chat(request: ModelRequest, { signal }: CallOptions): Promise<ModelResponse> {
      try {
        const parameters = generateParameters(request, signal)
        const sdk = await getClient()
        const response = (await sdk.models.generateContent(parameters)) as GoogleWireResponse
        return fromGoogleResponse(response, responseOptions(request))
      } catch (error) {
        throw toError(error, request.model)
      }
    },

    async *stream(request: ModelRequest, { signal }: CallOptions): AsyncGenerator<StreamEvent> {
      try {
        const parameters = generateParameters(request, signal)
        const sdk = await getClient()
        const chunks = (await sdk.models.generateContentStream(parameters)) as AsyncIterable<GoogleWireResponse>
        yield* googleStreamEvents(chunks, responseOptions(request))
      } catch (error) {
        throw toError(error, request.model)
      }
    },

    async embed(request: EmbedModelRequest, { signal }: CallOptions): Promise<EmbedModelResponse> {
      try {
        const sdk = await getClient()
        const response = (await sdk.models.embedContent(toGoogleEmbedRequest(request, providerId, signal))) as GoogleWireEmbedResponse
        return fromGoogleEmbedResponse(response, request.model)
      } catch (error) {
        throw toError(error, request.model)
      }
    },
  }
}

/** The official SDK, imported on first use. */
async function importSdk(): Promise<typeof import('@google/genai')> {
  // In a try, so bundlers (esbuild under wrangler and Vercel) leave it for run time when it is not installed.
  try {
    return await import('@google/genai')
  } catch (error) {
    throw peerImportError('@google/genai', error)
  }
}
