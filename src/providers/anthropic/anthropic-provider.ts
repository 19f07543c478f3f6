import { AbortedError, UnsupportedFeatureError } from '../../errors/errors.js'
import type { ModelRequest } from '../../spec/request.js'
import type { ModelResponse } from '../../spec/response.js'
import type { StreamEvent } from '../../spec/stream-event.js'
import type { ProviderAdapter, ProviderSettings } from '../../spec/provider-adapter.js'
import { defineProvider, type ClientConnection } from '../../provider-kit/define-provider.js'
import { peerImportError } from '../../provider-kit/load-peer.js'
import { isRecord, malformedResponseError } from '../../provider-kit/malformed-response.js'
import { sdkTimeoutMs } from '../../provider-kit/sdk-timeout.js'
import { withResponseHeaders } from '../../provider-kit/response-headers.js'
import { lazyPart } from '../../internal/lazy-part.js'
import { anthropicCapabilities } from './anthropic-models.js'
import type { AnthropicWireMessage, AnthropicWireStreamEvent } from './anthropic-wire-types.js'
import { anthropicCatalogModels } from '../catalog-models/anthropic.js'

/** The slice of an `@anthropic-ai/sdk` client the adapter calls; any real `Anthropic` instance fits. */
export interface AnthropicClientLike {
  messages: { create(body: any, options?: any): Promise<any>; countTokens?(body: any, options?: any): Promise<any> }
}

export type AnthropicSettings = ProviderSettings<AnthropicClientLike>

/**
 * A 200 whose body is no message: text (an SSE body to a non-streamed call), or a message without
 * `content` or `stop_reason` (a complete message always has both). The SDK hands either over as is.
 */
function checkedMessage(message: unknown, provider: string, model: string): AnthropicWireMessage {
  if (!isRecord(message)) throw malformedResponseError(provider, model, typeof message === 'string' ? 'the body is text, not a JSON message' : 'the body is not a JSON object')
  if (!Array.isArray(message.content)) throw malformedResponseError(provider, model, 'no `content`')
  if (typeof message.stop_reason !== 'string') throw malformedResponseError(provider, model, 'no `stop_reason`')
  return message as unknown as AnthropicWireMessage
}

const translation = /* @__PURE__ */ lazyPart('the Anthropic adapter', () => import('./anthropic-translation.js'))

/** What differs between Claude hosts (Anthropic's API, Vertex AI): the id, the SDK client and its checks. */
export interface AnthropicHostConfig {
  id: string
  factoryName: string
  settings: ProviderSettings<AnthropicClientLike>
  apiKeyEnv?: string
  createClient(connection: ClientConnection): Promise<AnthropicClientLike>
  validate?(): void
}

/** Anthropic (Claude) over the official `@anthropic-ai/sdk`. The key defaults to `ANTHROPIC_API_KEY`. */
export function anthropic(settings: AnthropicSettings = {}): ProviderAdapter {
  return createAnthropicAdapter({
    id: 'anthropic',
    factoryName: 'anthropic',
    settings,
    apiKeyEnv: 'ANTHROPIC_API_KEY',
    createClient: ({ apiKey, baseURL, headers }) =>
      importSdk().then(
        ({ default: Anthropic }) =>
          new Anthropic({
            apiKey: apiKey ?? null,
            baseURL,
            defaultHeaders: headers,
            // The router owns retrying; the SDK's own retries would hide failures from fallback.
            maxRetries: 0,
          }) as unknown as AnthropicClientLike,
      ),
  })
}

/** The Messages API adapter, for any host of Claude whose SDK has the `@anthropic-ai/sdk` client's shape. */
export function createAnthropicAdapter(host: AnthropicHostConfig): ProviderAdapter {
  const { id } = host
  // Given explicitly: the SDK refuses a non-streamed call whose max_tokens suggests more than ten minutes otherwise.
  const requestOptions = (signal: AbortSignal) => ({ signal, maxRetries: 0, timeout: sdkTimeoutMs })

  return defineProvider<AnthropicClientLike>({
    id,
    settings: host.settings,
    factoryName: host.factoryName,
    catalogId: 'anthropic',
    catalogModels: anthropicCatalogModels,
    ...(host.apiKeyEnv ? { apiKeyEnv: host.apiKeyEnv } : {}),
    ...(host.validate ? { validate: host.validate } : {}),
    capabilities: anthropicCapabilities,
    createClient: host.createClient,
    loadCode: translation.load,
    mapError(raw, context) {
      // The SDK ends an aborted stream quietly; the signal says why it ended.
      if (context.signal.aborted && !AbortedError.isInstance(raw)) {
        return new AbortedError(`${id}/${context.model}: the request was aborted.`, { provider: id, model: context.model, cause: raw })
      }
      // Not loaded: the failure was loading it or building the client, which the kit's classifier maps.
      return translation.loaded?.errorFromAnthropic(raw, context)
    },

    // Before the first call the code is not loaded; `chat` and `stream` then translate (and so
    // reject an unsupported request) before anything is sent all the same.
    checkSupport(request: ModelRequest) {
      translation.loaded?.toAnthropicRequest(request, id)
    },

    async chat(request: ModelRequest, { client, signal, quota, provider }): Promise<ModelResponse> {
      const { toAnthropicRequest, fromAnthropicResponse } = translation.loaded!
      const { body, jsonToolName } = toAnthropicRequest(request, id)
      // Set on this call's own body: a copy with the field added costs ~0.6 µs on Node 20.
      body.stream = false
      const message: unknown = await withResponseHeaders(client.messages.create(body, requestOptions(signal)), quota, provider, request.model)
      return fromAnthropicResponse(checkedMessage(message, id, request.model), { jsonToolName })
    },

    async *stream(request: ModelRequest, { client, signal, quota, provider }): AsyncGenerator<StreamEvent> {
      const { toAnthropicRequest, anthropicStreamEvents, guardStreamTransport } = translation.loaded!
      const { body, jsonToolName } = toAnthropicRequest(request, id)
      body.stream = true
      const events = (await withResponseHeaders(client.messages.create(body, requestOptions(signal)), quota, provider, request.model)) as AsyncIterable<AnthropicWireStreamEvent>
      yield* anthropicStreamEvents(guardStreamTransport(events, signal), { jsonToolName })
    },

    /** Anthropic's own counting endpoint (`POST /v1/messages/count_tokens`), with the request exactly as it would be sent. */
    async countTokens(request: ModelRequest, { client, signal }) {
      const { body } = translation.loaded!.toAnthropicRequest(request, id)
      const countedFields = ['model', 'messages', 'system', 'tools', 'tool_choice', 'thinking'] as const
      const countBody = Object.fromEntries(countedFields.filter((field) => body[field] !== undefined).map((field) => [field, body[field]]))
      if (!client.messages.countTokens) throw new UnsupportedFeatureError(`${id}: the client given has no messages.countTokens; pass an @anthropic-ai/sdk client.`, { provider: id, model: request.model, feature: 'count_tokens', status: 400 })
      const counted = (await client.messages.countTokens(countBody, { signal, maxRetries: 0 })) as { input_tokens: number }
      return { inputTokens: counted.input_tokens }
    },
  })
}

/** The official SDK, imported on first use. */
async function importSdk(): Promise<typeof import('@anthropic-ai/sdk')> {
  // In a try, so bundlers (esbuild under wrangler and Vercel) leave it for run time when it is not installed.
  try {
    return await import('@anthropic-ai/sdk')
  } catch (error) {
    throw peerImportError('@anthropic-ai/sdk', error)
  }
}
