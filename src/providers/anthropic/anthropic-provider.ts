import { AbortedError } from '../../errors/errors.js'
import type { ModelRequest } from '../../spec/request.js'
import type { ProviderAdapter, ProviderSettings } from '../../spec/provider-adapter.js'
import { defineProvider, type ClientConnection } from '../../provider-kit/define-provider.js'
import { peerImportError } from '../../provider-kit/load-peer.js'
import { lazyPart, loadedCalls } from '../../internal/lazy-part.js'
import { anthropicCapabilities } from './anthropic-models.js'
import type { AnthropicClientLike } from './anthropic-wire-types.js'
import { anthropicCatalogModels } from '../catalog-models/anthropic.js'

export type { AnthropicClientLike }

export type AnthropicSettings = ProviderSettings<AnthropicClientLike>

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
  // The calls themselves come with the translation, imported at the first call.
  const calls = loadedCalls(translation, (code) => code.anthropicCalls(id))

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

    chat: (request, call) => calls().chat(request, call),
    stream: (request, call) => calls().stream(request, call),
    countTokens: (request, call) => calls().countTokens(request, call),
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
