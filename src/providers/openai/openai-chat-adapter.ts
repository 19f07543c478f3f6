import type { ModelRequest, EmbedModelRequest } from '../../spec/request.js'
import type { EmbedModelResponse, ModelResponse } from '../../spec/response.js'
import type { StreamEvent } from '../../spec/stream-event.js'
import type { CallOptions, ModelCapabilities, ProviderAdapter, ProviderSettings } from '../../spec/provider-adapter.js'
import { readEnv, requireApiKey } from '../../provider-kit/api-key.js'
import { lazyClient } from '../../provider-kit/lazy-client.js'
import { peerImportError } from '../../provider-kit/load-peer.js'
import { errorFromSdk } from '../../provider-kit/sdk-error.js'
import { sdkTimeoutMs } from '../../provider-kit/sdk-timeout.js'
import { toOpenAIRequest } from './openai-request.js'
import { fromOpenAIResponse, openAIStreamEvents } from './openai-response.js'
import type { OpenAIWireChunk, OpenAIWireCompletion } from './openai-wire-types.js'
import { addProviderOptions } from '../../provider-kit/provider-options.js'

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

// Sent when a keyless host (Ollama, vLLM) is used: the SDK insists on some key.
const placeholderKey = 'switchyard-no-key'

/**
 * An adapter over the official `openai` SDK for any host that speaks OpenAI Chat Completions.
 * `openai()` and every OpenAI-compatible preset are this adapter with a different configuration.
 */
export function createOpenAIChatAdapter(config: OpenAIChatAdapterConfig): ProviderAdapter {
  const { id, settings } = config
  const apiKey = settings.apiKey ?? (config.apiKeyEnv ? readEnv(config.apiKeyEnv) : undefined)
  const getClient = lazyClient(settings.client, () =>
    (config.createClient ?? createOpenAIClient)({
      apiKey: apiKey ?? placeholderKey,
      baseURL: settings.baseURL ?? config.defaultBaseURL,
      headers: settings.headers,
    }),
  )

  const toError = (error: unknown, model: string) => errorFromSdk(error, { provider: id, model, secrets: [apiKey] })
  // A client we build already has retries off and the long timeout; a user's ready client may not,
  // so only then are they repeated on every request (it costs a few µs per call).
  const requestOptions = settings.client
    ? (signal: AbortSignal) => ({ signal, maxRetries: 0, timeout: sdkTimeoutMs })
    : (signal: AbortSignal) => ({ signal })

  return {
    id,
    catalogId: config.catalogId,
    models: settings.models,
    capabilities: config.capabilities,

    validate() {
      if (!settings.client && config.apiKeyEnv) requireApiKey(id, apiKey, config.apiKeyEnv, config.factoryName)
    },

    async chat(request: ModelRequest, { signal }: CallOptions): Promise<ModelResponse> {
      const body = toOpenAIRequest(request, { provider: id, maxTokensField: config.maxTokensField })
      try {
        const sdk = await getClient()
        // The body is ours, fresh per call: set the flag rather than copy it.
        body.stream = false
        const completion = (await sdk.chat.completions.create(body, requestOptions(signal))) as OpenAIWireCompletion
        return fromOpenAIResponse(completion)
      } catch (error) {
        throw toError(error, request.model)
      }
    },

    async *stream(request: ModelRequest, { signal }: CallOptions): AsyncGenerator<StreamEvent> {
      const body = toOpenAIRequest(request, { provider: id, maxTokensField: config.maxTokensField })
      try {
        const sdk = await getClient()
        const chunks = (await sdk.chat.completions.create(
          { ...body, stream: true, stream_options: { include_usage: true } },
          requestOptions(signal),
        )) as AsyncIterable<OpenAIWireChunk>
        yield* openAIStreamEvents(config.normalizeChunk ? mapChunks(chunks, config.normalizeChunk) : chunks, { provider: id, model: request.model })
      } catch (error) {
        throw toError(error, request.model)
      }
    },

    ...(config.embeddings
      ? {
          async embed(request: EmbedModelRequest, { signal }: CallOptions): Promise<EmbedModelResponse> {
            try {
              const sdk = await getClient()
              const response = await sdk.embeddings.create(
                {
                  model: request.model,
                  input: request.input,
                  ...(request.dimensions !== undefined ? { dimensions: request.dimensions } : {}),
                  ...addProviderOptions({ encoding_format: 'float' }, request.provider_options?.[id], `provider_options.${id}`),
                },
                requestOptions(signal),
              )
              return {
                model: response.model,
                embeddings: response.data.map((item: { index: number; embedding: number[] }) => ({ index: item.index, embedding: item.embedding })),
                // Some compatible hosts report no usage for embeddings: the cost is then unknown, not 0.
                usage: typeof response.usage?.prompt_tokens === 'number' ? { inputTokens: response.usage.prompt_tokens } : {},
              }
            } catch (error) {
              throw toError(error, request.model)
            }
          },
        }
      : {}),
  }
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
