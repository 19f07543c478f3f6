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

/** Carries a call's signal id from the adapter to its client's HTTP layer, which removes it (never sent). */
const signalHeader = 'x-switchyard-signal'

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
  // The SDK sends a `Request.clone()` of each request, and Node 20's undici links a clone's signal
  // to the original's only through a weak reference: a garbage collection during the call would drop
  // the caller's abort, and the HTTP request would run on. So on a client this adapter builds, each
  // call names its signal in a header, and the client's HTTP layer hands that signal to `fetch` itself.
  const signals = new Map<string, AbortSignal>()
  let lastSignalId = 0
  const httpClient = {
    request(request: Request): Promise<Response> {
      const id = request.headers.get(signalHeader)
      if (id === null) return fetch(request)
      const signal = signals.get(id)
      signals.delete(id)
      // Copied entry by entry: `new Headers(headers)` across two fetch implementations (a test's
      // interceptor and Node's own) can come out empty.
      const headers: Record<string, string> = {}
      request.headers.forEach((value, name) => {
        if (name !== signalHeader) headers[name] = value
      })
      // Sent as its parts (not `fetch(request, init)`, which some fetch wrappers read as a new request).
      const init: RequestInit & { duplex?: 'half' } = { method: request.method, headers, body: request.body, duplex: 'half' }
      if (signal) init.signal = signal
      return fetch(request.url, init)
    },
  }
  const requestOptions = (signal: AbortSignal): MistralRequestOptions => {
    if (settings.client) return { signal, retries: { strategy: 'none' }, ...(settings.headers ? { headers: settings.headers } : {}) }
    const id = String((lastSignalId += 1))
    signals.set(id, signal)
    // Copied and then set: a field added to a spread copy costs ~0.6 µs on Node 20.
    const headers: Record<string, string> = Object.assign({}, settings.headers)
    headers[signalHeader] = id
    return { signal, retries: { strategy: 'none' }, headers }
  }
  /** Forgets a call's signal if the SDK never sent its request (it refused it first). */
  const release = (options: MistralRequestOptions) => {
    const id = options.headers?.[signalHeader]
    if (id !== undefined) signals.delete(id)
  }

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
            // Duck-typed: the SDK calls only its `request()`.
            httpClient: httpClient as never,
          }) as unknown as MistralClientLike,
      ),
    loadCode: translation.load,
    // Not loaded: the failure was loading it or building the client, which the kit's classifier maps.
    mapError: (raw, context) => translation.loaded?.errorFromMistral(raw, context),

    async chat(request: ModelRequest, { client, signal }): Promise<ModelResponse> {
      const { toMistralRequest, fromMistralResponse } = translation.loaded!
      const body = toMistralRequest(request, provider)
      const options = requestOptions(signal)
      let completion: unknown
      try {
        completion = await client.chat.complete(body, options)
      } finally {
        release(options)
      }
      return fromMistralResponse(checkedCompletion(completion, request.model), { provider, model: request.model })
    },

    async *stream(request: ModelRequest, { client, signal }): AsyncGenerator<StreamEvent> {
      const { toMistralRequest, mistralStreamEvents } = translation.loaded!
      const body = toMistralRequest(request, provider)
      const options = requestOptions(signal)
      let events: AsyncIterable<{ data: MistralChunk }>
      try {
        events = (await client.chat.stream(body, options)) as AsyncIterable<{ data: MistralChunk }>
      } finally {
        release(options)
      }
      yield* mistralStreamEvents(events, { provider, model: request.model })
    },

    async embed(request: EmbedModelRequest, { client, signal }): Promise<EmbedModelResponse> {
      const body = {
        model: request.model,
        inputs: request.input,
        ...(request.dimensions !== undefined ? { outputDimension: request.dimensions } : {}),
      }
      const options = request.provider_options?.[provider]
      const sent = requestOptions(signal)
      let response: MistralEmbeddingResponse
      try {
        response = (await client.embeddings.create(options ? addProviderOptions(body, translation.loaded!.camelCaseKeys(options), `provider_options.${provider}`) : body, sent)) as MistralEmbeddingResponse
      } finally {
        release(sent)
      }
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
