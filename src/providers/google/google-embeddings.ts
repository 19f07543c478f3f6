import type { EmbedModelRequest } from '../../spec/request.js'
import type { EmbedModelResponse } from '../../spec/response.js'
import type { GoogleWireEmbedResponse } from './google-wire-types.js'
import { addProviderOptions } from '../../provider-kit/provider-options.js'

/**
 * `embedContent` parameters. Each input is its own content: the SDK would merge a bare string
 * array into one content (one vector) for multimodal embedding models.
 */
export function toGoogleEmbedRequest(request: EmbedModelRequest, provider: string, signal: AbortSignal) {
  return {
    model: request.model,
    contents: request.input.map((text) => ({ parts: [{ text }] })),
    config: {
      ...addProviderOptions(request.dimensions !== undefined ? { outputDimensionality: request.dimensions } : {}, request.provider_options?.[provider], `provider_options.${provider}`),
      abortSignal: signal,
    },
  }
}

/**
 * The Gemini API reports no token count for embeddings, and we estimate none: the token count is
 * left out, so the router reports the call's cost as unknown (`null`) rather than a guess. Vertex AI
 * reports each input's count (`statistics.tokenCount`); their sum is then the input.
 */
export function fromGoogleEmbedResponse(response: GoogleWireEmbedResponse, model: string): EmbedModelResponse {
  const embeddings = response.embeddings ?? []
  const counts = embeddings.map((embedding) => embedding.statistics?.tokenCount)
  const counted = counts.length > 0 && counts.every((count) => typeof count === 'number')
  return {
    model,
    embeddings: embeddings.map((embedding, index) => ({ index, embedding: embedding.values ?? [] })),
    usage: counted ? { inputTokens: (counts as number[]).reduce((sum, count) => sum + count, 0) } : {},
  }
}
