import type { EmbedModelRequest, ModelRequest } from '../../spec/request.js'
import type { EmbedModelResponse, ModelResponse } from '../../spec/response.js'
import type { StreamEvent } from '../../spec/stream-event.js'
import type { CallOptions, ProviderAdapter, ProviderSettings } from '../../spec/provider-adapter.js'
import { readEnv, requireApiKey } from '../../provider-kit/api-key.js'
import { lazyClient } from '../../provider-kit/lazy-client.js'
import { peerImportError } from '../../provider-kit/load-peer.js'
import { errorFromMistral } from './mistral-error.js'
import { camelCaseKeys, toMistralRequest } from './mistral-request.js'
import { fromMistralResponse, mistralStreamEvents } from './mistral-response.js'
import type { MistralClientLike, MistralCompletion, MistralChunk, MistralEmbeddingResponse, MistralRequestOptions } from './mistral-wire-types.js'
import { addProviderOptions } from '../../provider-kit/provider-options.js'

export type MistralSettings = ProviderSettings<MistralClientLike>

const provider = 'mistral'

/**
 * The SDK adds `/v1/...` to its server URL itself; an OpenAI-style base URL ending in `/v1` would
 * double it, so that suffix is dropped.
 */
function serverURL(baseURL: string | undefined): string | undefined {
  return baseURL?.replace(/\/+$/, '').replace(/\/v1$/, '')
}

// Magistral models think before answering and return `thinking` chunks.
const reasoningModels = /magistral/i

/**
 * Mistral over the official `@mistralai/mistralai` SDK, loaded on first use. The key defaults to
 * `MISTRAL_API_KEY`; `baseURL` is the SDK's server URL (`https://api.mistral.ai` by default).
 */
export function mistral(settings: MistralSettings = {}): ProviderAdapter {
  const apiKey = settings.apiKey ?? readEnv('MISTRAL_API_KEY')
  const getClient = lazyClient(settings.client, () =>
    importSdk().then(
      ({ Mistral }) =>
        new Mistral({
          apiKey,
          ...(settings.baseURL ? { serverURL: serverURL(settings.baseURL) } : {}),
          // The router owns retrying; the SDK's own retries would hide failures from fallback.
          retryConfig: { strategy: 'none' },
        }) as unknown as MistralClientLike,
    ),
  )

  const requestOptions = (signal: AbortSignal): MistralRequestOptions => ({
    signal,
    retries: { strategy: 'none' },
    ...(settings.headers ? { headers: settings.headers } : {}),
  })
  const toError = (error: unknown, model: string, signal: AbortSignal) => errorFromMistral(error, { provider, model, signal, secrets: [apiKey] })

  return {
    id: provider,
    catalogId: 'mistral',
    models: settings.models,
    capabilities: (model) => ({ reasoning: reasoningModels.test(model) }),

    validate() {
      if (!settings.client) requireApiKey(provider, apiKey, 'MISTRAL_API_KEY', 'mistral')
    },

    async chat(request: ModelRequest, { signal }: CallOptions): Promise<ModelResponse> {
      const body = toMistralRequest(request, provider)
      try {
        const sdk = await getClient()
        const completion = (await sdk.chat.complete(body, requestOptions(signal))) as MistralCompletion
        return fromMistralResponse(completion, { provider, model: request.model })
      } catch (error) {
        throw toError(error, request.model, signal)
      }
    },

    async *stream(request: ModelRequest, { signal }: CallOptions): AsyncGenerator<StreamEvent> {
      const body = toMistralRequest(request, provider)
      try {
        const sdk = await getClient()
        const events = (await sdk.chat.stream(body, requestOptions(signal))) as AsyncIterable<{ data: MistralChunk }>
        yield* mistralStreamEvents(events, { provider, model: request.model })
      } catch (error) {
        throw toError(error, request.model, signal)
      }
    },

    async embed(request: EmbedModelRequest, { signal }: CallOptions): Promise<EmbedModelResponse> {
      const body = {
        model: request.model,
        inputs: request.input,
        ...(request.dimensions !== undefined ? { outputDimension: request.dimensions } : {}),
      }
      const options = request.provider_options?.[provider]
      try {
        const sdk = await getClient()
        const response = (await sdk.embeddings.create(options ? addProviderOptions(body, camelCaseKeys(options), `provider_options.${provider}`) : body, requestOptions(signal))) as MistralEmbeddingResponse
        return {
          model: response.model,
          embeddings: response.data.map((item, position) => ({ index: item.index ?? position, embedding: item.embedding ?? [] })),
          // No reported count means an unknown cost, not a free call.
          usage: typeof response.usage?.promptTokens === 'number' ? { inputTokens: response.usage.promptTokens } : {},
        }
      } catch (error) {
        throw toError(error, request.model, signal)
      }
    },
  }
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
