import type { EmbedModelRequest, ModelRequest } from '../../spec/request.js'
import type { EmbedModelResponse, ModelResponse } from '../../spec/response.js'
import type { StreamEvent } from '../../spec/stream-event.js'
import type { ProviderAdapter, ProviderSettings } from '../../spec/provider-adapter.js'
import { defineProvider } from '../../provider-kit/define-provider.js'
import { peerImportError } from '../../provider-kit/load-peer.js'
import { isRecord, malformedResponseError } from '../../provider-kit/malformed-response.js'
import { lazyPart } from '../../internal/lazy-part.js'
import { addProviderOptions } from '../../provider-kit/provider-options.js'
import type { MistralClientLike, MistralCompletion, MistralChunk, MistralEmbeddingResponse, MistralRequestOptions } from './mistral-wire-types.js'
import { mistralCatalogModels } from '../catalog-models/mistral.js'

export type MistralSettings = ProviderSettings<MistralClientLike>

const provider = 'mistral'

const translation = /* @__PURE__ */ lazyPart('the Mistral adapter', () => import('./mistral-translation.js'))

/**
 * The SDK adds `/v1/...` to its server URL itself; an OpenAI-style base URL ending in `/v1` would
 * double it, so that suffix is dropped.
 */
function serverURL(baseURL: string | undefined): string | undefined {
  return baseURL?.replace(/\/+$/, '').replace(/\/v1$/, '')
}

// Magistral models think before answering and return `thinking` chunks.
const reasoningModels = /magistral/i

/** A 200 without `choices` (the SDK's schema lets it through): a broken answer, not an empty one. */
function checkedCompletion(completion: unknown, model: string): MistralCompletion {
  if (!isRecord(completion)) throw malformedResponseError(provider, model, 'the body is not a JSON object')
  const choices = completion.choices
  if (!Array.isArray(choices) || choices.length === 0) throw malformedResponseError(provider, model, 'no `choices`')
  if (!isRecord(choices[0]) || !isRecord(choices[0].message)) throw malformedResponseError(provider, model, 'no `choices[0].message`')
  return completion as unknown as MistralCompletion
}

/**
 * Mistral over the official `@mistralai/mistralai` SDK, loaded on first use. The key defaults to
 * `MISTRAL_API_KEY`; `baseURL` is the SDK's server URL (`https://api.mistral.ai` by default).
 */
export function mistral(settings: MistralSettings = {}): ProviderAdapter {
  const requestOptions = (signal: AbortSignal): MistralRequestOptions => ({
    signal,
    retries: { strategy: 'none' },
    ...(settings.headers ? { headers: settings.headers } : {}),
  })

  return defineProvider<MistralClientLike>({
    id: provider,
    settings,
    catalogId: 'mistral',
    catalogModels: mistralCatalogModels,
    apiKeyEnv: 'MISTRAL_API_KEY',
    capabilities: (model) => ({ reasoning: reasoningModels.test(model) }),
    createClient: ({ apiKey, baseURL }) =>
      importSdk().then(
        ({ Mistral }) =>
          new Mistral({
            apiKey,
            ...(baseURL ? { serverURL: serverURL(baseURL) } : {}),
            // The router owns retrying; the SDK's own retries would hide failures from fallback.
            retryConfig: { strategy: 'none' },
          }) as unknown as MistralClientLike,
      ),
    loadCode: translation.load,
    // Not loaded: the failure was loading it or building the client, which the kit's classifier maps.
    mapError: (raw, context) => translation.loaded?.errorFromMistral(raw, context),

    async chat(request: ModelRequest, { client, signal }): Promise<ModelResponse> {
      const { toMistralRequest, fromMistralResponse } = translation.loaded!
      const body = toMistralRequest(request, provider)
      const completion: unknown = await client.chat.complete(body, requestOptions(signal))
      return fromMistralResponse(checkedCompletion(completion, request.model), { provider, model: request.model })
    },

    async *stream(request: ModelRequest, { client, signal }): AsyncGenerator<StreamEvent> {
      const { toMistralRequest, mistralStreamEvents } = translation.loaded!
      const body = toMistralRequest(request, provider)
      const events = (await client.chat.stream(body, requestOptions(signal))) as AsyncIterable<{ data: MistralChunk }>
      yield* mistralStreamEvents(events, { provider, model: request.model })
    },

    async embed(request: EmbedModelRequest, { client, signal }): Promise<EmbedModelResponse> {
      const body = {
        model: request.model,
        inputs: request.input,
        ...(request.dimensions !== undefined ? { outputDimension: request.dimensions } : {}),
      }
      const options = request.provider_options?.[provider]
      const response = (await client.embeddings.create(options ? addProviderOptions(body, translation.loaded!.camelCaseKeys(options), `provider_options.${provider}`) : body, requestOptions(signal))) as MistralEmbeddingResponse
      return {
        model: response.model,
        embeddings: response.data.map((item, position) => ({ index: item.index ?? position, embedding: item.embedding ?? [] })),
        // No reported count means an unknown cost, not a free call.
        usage: typeof response.usage?.promptTokens === 'number' ? { inputTokens: response.usage.promptTokens } : {},
      }
    },
  })
}

/** The official SDK, imported on first use. */
async function importSdk(): Promise<typeof import('@mistralai/mistralai')> {
  // In a try, so bundlers (esbuild under wrangler and Vercel) leave it for run time when it is not installed.
  try {
    return await import('@mistralai/mistralai')
  } catch (error) {
    throw peerImportError('@mistralai/mistralai', error)
  }
}
