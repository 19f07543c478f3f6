import { AbortedError } from '../../errors/errors.js'
import type { ModelRequest } from '../../spec/request.js'
import type { ModelResponse } from '../../spec/response.js'
import type { StreamEvent } from '../../spec/stream-event.js'
import type { CallOptions, ProviderAdapter, ProviderSettings } from '../../spec/provider-adapter.js'
import { readEnv, requireApiKey } from '../../provider-kit/api-key.js'
import { lazyClient } from '../../provider-kit/lazy-client.js'
import { peerImportError } from '../../provider-kit/load-peer.js'
import { sdkTimeoutMs } from '../../provider-kit/sdk-timeout.js'
import { errorFromAnthropic } from './anthropic-errors.js'
import { anthropicCapabilities } from './anthropic-models.js'
import { toAnthropicRequest } from './anthropic-request.js'
import { fromAnthropicResponse } from './anthropic-response.js'
import { anthropicStreamEvents } from './anthropic-stream.js'
import { guardStreamTransport } from './anthropic-stream-transport.js'
import type { AnthropicWireMessage, AnthropicWireStreamEvent } from './anthropic-wire-types.js'

/** The slice of an `@anthropic-ai/sdk` client the adapter calls; any real `Anthropic` instance fits. */
export interface AnthropicClientLike {
  messages: { create(body: any, options?: any): Promise<any> }
}

export type AnthropicSettings = ProviderSettings<AnthropicClientLike>

const apiKeyEnv = 'ANTHROPIC_API_KEY'

/** Anthropic (Claude) over the official `@anthropic-ai/sdk`. The key defaults to `ANTHROPIC_API_KEY`. */
export function anthropic(settings: AnthropicSettings = {}): ProviderAdapter {
  const apiKey = settings.apiKey ?? readEnv(apiKeyEnv)
  const getClient = lazyClient(settings.client, () =>
    importSdk().then(
      ({ default: Anthropic }) =>
        new Anthropic({
          apiKey: apiKey ?? null,
          baseURL: settings.baseURL,
          defaultHeaders: settings.headers,
          // The router owns retrying; the SDK's own retries would hide failures from fallback.
          maxRetries: 0,
        }) as unknown as AnthropicClientLike,
    ),
  )

  const toError = (error: unknown, model: string, signal: AbortSignal) => {
    // The SDK ends an aborted stream quietly; the signal says why it ended.
    if (signal.aborted && !(error instanceof AbortedError)) {
      return new AbortedError(`anthropic/${model}: the request was aborted.`, { provider: 'anthropic', model, cause: error })
    }
    return errorFromAnthropic(error, { provider: 'anthropic', model, secrets: [apiKey] })
  }
  // Given explicitly: the SDK refuses a non-streamed call whose max_tokens suggests more than ten minutes otherwise.
  const requestOptions = (signal: AbortSignal) => ({ signal, maxRetries: 0, timeout: sdkTimeoutMs })

  return {
    id: 'anthropic',
    catalogId: 'anthropic',
    models: settings.models,
    capabilities: anthropicCapabilities,

    validate() {
      if (!settings.client) requireApiKey('anthropic', apiKey, apiKeyEnv, 'anthropic')
    },

    checkSupport(request: ModelRequest) {
      toAnthropicRequest(request)
    },

    async chat(request: ModelRequest, { signal }: CallOptions): Promise<ModelResponse> {
      const { body, jsonToolName } = toAnthropicRequest(request)
      try {
        const sdk = await getClient()
        const message = (await sdk.messages.create({ ...body, stream: false }, requestOptions(signal))) as AnthropicWireMessage
        return fromAnthropicResponse(message, { jsonToolName })
      } catch (error) {
        throw toError(error, request.model, signal)
      }
    },

    async *stream(request: ModelRequest, { signal }: CallOptions): AsyncGenerator<StreamEvent> {
      const { body, jsonToolName } = toAnthropicRequest(request)
      try {
        const sdk = await getClient()
        const events = (await sdk.messages.create({ ...body, stream: true }, requestOptions(signal))) as AsyncIterable<AnthropicWireStreamEvent>
        yield* anthropicStreamEvents(guardStreamTransport(events, signal), { jsonToolName })
      } catch (error) {
        throw toError(error, request.model, signal)
      }
    },
  }
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
