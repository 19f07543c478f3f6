// The calls of a Gemini adapter (`google()`): imported with the rest of its translation at the
// adapter's first call, not with the package.
import { UnsupportedFeatureError } from '../../errors/errors.js'
import type { ProviderCall } from '../../provider-kit/define-provider.js'
import { isRecord, malformedResponseError } from '../../provider-kit/malformed-response.js'
import type { EmbedModelRequest, ModelRequest } from '../../spec/request.js'
import type { EmbedModelResponse, ModelResponse } from '../../spec/response.js'
import type { StreamEvent } from '../../spec/stream-event.js'
import { fromGoogleEmbedResponse, toGoogleEmbedRequest } from './google-embeddings.js'
import { toGoogleRequest } from './google-request.js'
import { fromGoogleResponse, googleStreamEvents } from './google-response.js'
import type { GoogleClientLike, GoogleWireEmbedResponse, GoogleWireResponse } from './google-wire-types.js'

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

/** `chat`, `stream`, `countTokens` and `embed` of the Gemini adapter whose provider id is `providerId`. */
export function googleCalls(providerId: string) {
  function generateParameters(request: ModelRequest, signal: AbortSignal) {
    const { model, contents, config } = toGoogleRequest(request, { provider: providerId })
    // Tools are declarations only: the SDK must never run functions itself.
    // Set on this call's own config: a copy with fields added costs ~0.6 µs on Node 20.
    config.automaticFunctionCalling = { disable: true }
    config.abortSignal = signal
    return { model, contents, config }
  }

  const responseOptions = (request: ModelRequest) => ({ provider: providerId, model: request.model, firstToolCallOnly: request.parallel_tool_calls === false })

  return {
    async chat(request: ModelRequest, { client, signal }: ProviderCall<GoogleClientLike>): Promise<ModelResponse> {
      const response: unknown = await client.models.generateContent(generateParameters(request, signal))
      return fromGoogleResponse(checkedResponse(response, providerId, request.model), responseOptions(request))
    },

    async *stream(request: ModelRequest, { client, signal }: ProviderCall<GoogleClientLike>): AsyncGenerator<StreamEvent> {
      const chunks = (await client.models.generateContentStream(generateParameters(request, signal))) as AsyncIterable<GoogleWireResponse>
      yield* googleStreamEvents(chunks, responseOptions(request))
    },

    /** Gemini's own counting endpoint (`models.countTokens`). */
    async countTokens(request: ModelRequest, { client, signal }: ProviderCall<GoogleClientLike>) {
      const { model, contents, config } = toGoogleRequest(request, { provider: providerId })
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

    async embed(request: EmbedModelRequest, { client, signal }: ProviderCall<GoogleClientLike>): Promise<EmbedModelResponse> {
      const response = (await client.models.embedContent(toGoogleEmbedRequest(request, providerId, signal))) as GoogleWireEmbedResponse
      return fromGoogleEmbedResponse(response, request.model)
    },
  }
}
