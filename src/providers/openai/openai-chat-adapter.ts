import type { ModelRequest, EmbedModelRequest } from '../../spec/request.js'
import type { EmbedModelResponse, ModelResponse } from '../../spec/response.js'
import type { StreamEvent } from '../../spec/stream-event.js'
import type { CatalogModelList, ModelCapabilities, ProviderAdapter, ProviderSettings } from '../../spec/provider-adapter.js'
import { defineProvider, type ProviderCall } from '../../provider-kit/define-provider.js'
import { peerImportError } from '../../provider-kit/load-peer.js'
import { isRecord, malformedResponseError } from '../../provider-kit/malformed-response.js'
import { sdkTimeoutMs } from '../../provider-kit/sdk-timeout.js'
import { listenableSignalOf, type SignalCarrier } from '../../internal/abortable.js'
import { lazyPart } from '../../internal/lazy-part.js'
import type { OpenAIWireChunk, OpenAIWireCompletion } from './openai-wire-types.js'
import { addProviderOptions } from '../../provider-kit/provider-options.js'
import { withResponseHeaders, type ResponsePromise } from '../../provider-kit/response-headers.js'

/** The slice of an `openai` SDK client the adapter calls; any real `OpenAI` instance fits. */
export interface OpenAIClientLike {
  chat: { completions: { create(body: any, options?: any): Promise<any> } }
  embeddings: { create(body: any, options?: any): Promise<any> }
}

/** What an SDK client is built from. */
export interface OpenAIClientConnection {
  apiKey: string
  baseURL?: string
  headers?: Record<string, string>
}

export interface OpenAIChatAdapterConfig {
  id: string
  /** Name of the factory, for error messages: `openai`, `openaiCompatible`. */
  factoryName: string
  catalogId?: string
  catalogModels?: readonly CatalogModelList[]
  /** Environment variable the key defaults to; no variable means the host needs no key (Ollama, vLLM). */
  apiKeyEnv?: string
  defaultBaseURL?: string
  maxTokensField: 'max_tokens' | 'max_completion_tokens'
  /** Whether the host serves `/embeddings`. */
  embeddings: boolean
  capabilities?: (model: string) => Partial<ModelCapabilities>
  settings: ProviderSettings<OpenAIClientLike>
  /**
   * Builds the SDK client, with the router's retries off. Default: the official `openai` SDK; a host
   * with its own Stainless SDK of the same wire shape (`groq-sdk`) passes a loader for it.
   */
  createClient?: (connection: OpenAIClientConnection) => Promise<OpenAIClientLike>
  /** Rewrites each streamed chunk before translation, for a host that puts a standard field elsewhere. */
  normalizeChunk?: (chunk: OpenAIWireChunk) => OpenAIWireChunk
}

const translation = /* @__PURE__ */ lazyPart('the OpenAI Chat Completions adapter', () => import('./openai-translation.js'))

function createOpenAIClient(connection: OpenAIClientConnection): Promise<OpenAIClientLike> {
  return importSdk().then(
    ({ default: OpenAI }) =>
      new OpenAI({
        apiKey: connection.apiKey,
        baseURL: connection.baseURL,
        defaultHeaders: connection.headers,
        // The router owns retrying; the SDK's own retries would hide failures from fallback.
        maxRetries: 0,
        timeout: sdkTimeoutMs,
      }) as unknown as OpenAIClientLike,
  )
}

async function* mapChunks(chunks: AsyncIterable<OpenAIWireChunk>, normalize: (chunk: OpenAIWireChunk) => OpenAIWireChunk): AsyncGenerator<OpenAIWireChunk> {
  for await (const chunk of chunks) yield normalize(chunk)
}

/**
 * A non-streamed response's body as the Stainless SDKs read it: nothing for a 204 or an empty JSON
 * body, JSON when the media type says so, else the text (which `checkedCompletion` refuses).
 */
function completionBody(response: Response): Promise<unknown> | null | undefined {
  if (response.status === 204) return null
  const mediaType = response.headers.get('content-type')?.split(';')[0]?.trim()
  if (mediaType?.includes('application/json') || mediaType?.endsWith('+json')) return response.headers.get('content-length') === '0' ? undefined : response.json()
  return response.text()
}

// Sent when a keyless host (Ollama, vLLM) is used: the SDK insists on some key.
const placeholderKey = 'switchyard-no-key'

/**
 * A success whose body is no completion (an SSE body to a non-streamed call, no `choices`): the
 * SDK hands it over as is, and reading it as an answer would invent an empty one.
 */
function checkedCompletion(completion: unknown, provider: string, model: string): OpenAIWireCompletion {
  if (!isRecord(completion)) throw malformedResponseError(provider, model, typeof completion === 'string' ? 'the body is text, not a JSON completion' : 'the body is not a JSON object')
  const choices = completion.choices
  if (!Array.isArray(choices) || choices.length === 0) throw malformedResponseError(provider, model, 'no `choices`')
  if (!isRecord(choices[0]) || !isRecord(choices[0].message)) throw malformedResponseError(provider, model, 'no `choices[0].message`')
  return completion as unknown as OpenAIWireCompletion
}

/**
 * An adapter over the official `openai` SDK for any host that speaks OpenAI Chat Completions.
 * `openai()` and every OpenAI-compatible preset are this adapter with a different configuration.
 */
export function createOpenAIChatAdapter(config: OpenAIChatAdapterConfig): ProviderAdapter {
  const { settings } = config
  // The instance's own id when the user gave one (a key-pool member), for errors and quota;
  // provider_options stay keyed by the provider's own id (`openai`), as the caller writes them.
  const id = typeof settings.id === 'string' && settings.id !== '' ? settings.id : config.id
  // A client we build already has retries off and the long timeout; a user's ready client may not,
  // so only then are they repeated on every request (it costs a few µs per call).
  // A signal that can never fire (a call made without one) is not handed on, nor even made: the
  // SDK would add a listener to it for nothing.
  const userClientOptions = { maxRetries: 0, timeout: sdkTimeoutMs }
  const requestOptions = settings.client
    ? (call: SignalCarrier) => {
        const signal = listenableSignalOf(call)
        return signal ? { signal, maxRetries: 0, timeout: sdkTimeoutMs } : userClientOptions
      }
    : (call: SignalCarrier) => {
        const signal = listenableSignalOf(call)
        return signal ? { signal } : undefined
      }

  // Built once: every request of this adapter has the same shape options.
  const requestShape = { provider: config.id, maxTokensField: config.maxTokensField }

  async function embed(request: EmbedModelRequest, call: ProviderCall<OpenAIClientLike>): Promise<EmbedModelResponse> {
    const { client, quota } = call
    const response = await withResponseHeaders(client.embeddings.create(
      {
        model: request.model,
        input: request.input,
        ...(request.dimensions !== undefined ? { dimensions: request.dimensions } : {}),
        ...addProviderOptions({ encoding_format: 'float' }, request.provider_options?.[config.id], `provider_options.${config.id}`),
      },
      requestOptions(call),
    ), quota, id, request.model)
    return {
      model: response.model,
      embeddings: response.data.map((item: { index: number; embedding: number[] }) => ({ index: item.index, embedding: item.embedding })),
      // Some compatible hosts report no usage for embeddings: the cost is then unknown, not 0.
      usage: typeof response.usage?.prompt_tokens === 'number' ? { inputTokens: response.usage.prompt_tokens } : {},
    }
  }

  return defineProvider<OpenAIClientLike>({
    id,
    settings,
    factoryName: config.factoryName,
    catalogId: config.catalogId,
    catalogModels: config.catalogModels,
    apiKeyEnv: config.apiKeyEnv,
    capabilities: config.capabilities,
    createClient: ({ apiKey, baseURL, headers }) =>
      (config.createClient ?? createOpenAIClient)({ apiKey: apiKey ?? placeholderKey, baseURL: baseURL ?? config.defaultBaseURL, headers }),
    loadCode: translation.load,

    async chat(request: ModelRequest, call): Promise<ModelResponse> {
      const { toOpenAIRequest, fromOpenAIResponse } = translation.loaded!
      const body = toOpenAIRequest(request, requestShape)
      // The body is ours, fresh per call: set the flag rather than copy it.
      body.stream = false
      const pending: ResponsePromise<unknown> = call.client.chat.completions.create(body, requestOptions(call))
      let completion: unknown
      if (typeof pending.asResponse === 'function') {
        // The SDK's raw response (a failure status has been thrown as the SDK's error already): its
        // rate-limit headers go to the quota, when the router follows them, and its body is read
        // here as the SDK reads one, without the SDK's second pass over it (its debug-log record,
        // a request-id property nobody reads), which costs more than the router's own work.
        const response = await pending.asResponse()
        call.quota?.observe(id, request.model, response.headers)
        completion = await completionBody(response)
      } else {
        completion = await pending
      }
      return fromOpenAIResponse(checkedCompletion(completion, id, request.model))
    },

    // Opened here, then the translation's own generator is the stream: no generator around it.
    async stream(request: ModelRequest, call): Promise<AsyncIterable<StreamEvent>> {
      const { toOpenAIRequest, openAIStreamEvents } = translation.loaded!
      // The body is this call's own: set on it rather than copied with the fields added (Node 20 makes that copy ~0.6 µs).
      const body = toOpenAIRequest(request, requestShape)
      body.stream = true
      body.stream_options = { include_usage: true }
      const opened = call.client.chat.completions.create(body, requestOptions(call))
      const chunks = (await withResponseHeaders(opened, call.quota, id, request.model)) as AsyncIterable<OpenAIWireChunk>
      return openAIStreamEvents(config.normalizeChunk ? mapChunks(chunks, config.normalizeChunk) : chunks, { provider: id, model: request.model })
    },

    ...(config.embeddings ? { embed } : {}),
  })
}

/** The official SDK, imported on first use. */
async function importSdk(): Promise<typeof import('openai')> {
  // In a try, so bundlers (esbuild under wrangler and Vercel) leave it for run time when it is not installed.
  try {
    return await import('openai')
  } catch (error) {
    throw peerImportError('openai', error)
  }
}
