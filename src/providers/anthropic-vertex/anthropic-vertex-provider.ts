import { ConfigurationError } from '../../errors/errors.js'
import { readEnv } from '../../provider-kit/api-key.js'
import { peerImportError } from '../../provider-kit/load-peer.js'
import { hasNodeApis, runtimeName } from '../../provider-kit/runtime-name.js'
import type { ProviderAdapter, ProviderSettings } from '../../spec/provider-adapter.js'
import { createAnthropicAdapter, type AnthropicClientLike } from '../anthropic/anthropic-provider.js'

export interface AnthropicVertexSettings extends Omit<ProviderSettings<AnthropicClientLike>, 'apiKey'> {
  /** The provider id in model ids (`anthropic-vertex/claude-sonnet-4-5@20250929`). Default `anthropic-vertex`. */
  id?: string
  /** The Google Cloud project id. Default: `ANTHROPIC_VERTEX_PROJECT_ID`, then `GOOGLE_CLOUD_PROJECT`. */
  projectId?: string
  /** The region (`us-east5`, `europe-west1`, ...), `global`, or the multi-regions `us` / `eu`. Default: `CLOUD_ML_REGION`. */
  region?: string
  /** An OAuth access token (or a function returning a fresh one) instead of Application Default Credentials. */
  accessToken?: string | (() => string | Promise<string>)
  /** A `google-auth-library` `GoogleAuth` instance (a key file, other scopes). Default: Application Default Credentials. */
  googleAuth?: unknown
}

/** The one method of a `google-auth-library` auth client the Vertex SDK calls, answered with the caller's token. */
function accessTokenClient(accessToken: NonNullable<AnthropicVertexSettings['accessToken']>) {
  return {
    async getRequestHeaders() {
      const token = typeof accessToken === 'function' ? await accessToken() : accessToken
      return new Headers({ authorization: `Bearer ${token}` })
    },
  }
}

/**
 * Claude on Google Cloud Vertex AI through the official `@anthropic-ai/vertex-sdk` (an optional
 * peer, loaded on first use): the Messages API translation of `anthropic()`, sent to
 * `projects/{project}/locations/{region}/publishers/anthropic/models/{model}:rawPredict` (and
 * `:streamRawPredict`) with Google OAuth. Prices are the catalog's Anthropic list prices.
 */
export function anthropicVertex(settings: AnthropicVertexSettings = {}): ProviderAdapter {
  const id = settings.id ?? 'anthropic-vertex'
  const projectId = settings.projectId ?? readEnv('ANTHROPIC_VERTEX_PROJECT_ID') ?? readEnv('GOOGLE_CLOUD_PROJECT')
  const region = settings.region ?? readEnv('CLOUD_ML_REGION')
  const { accessToken, googleAuth } = settings

  return createAnthropicAdapter({
    id,
    factoryName: 'anthropicVertex',
    settings: settings as ProviderSettings<AnthropicClientLike>,
    async createClient({ baseURL, headers }) {
      const { AnthropicVertex } = await importSdk()
      return new AnthropicVertex({
        projectId,
        region,
        ...(baseURL ? { baseURL } : {}),
        defaultHeaders: headers,
        ...(accessToken ? { authClient: accessTokenClient(accessToken) as never } : googleAuth ? { googleAuth: googleAuth as never } : {}),
        // The router owns retrying; the SDK's own retries would hide failures from fallback.
        maxRetries: 0,
      }) as unknown as AnthropicClientLike
    },
    validate() {
      if (settings.client) return
      // The SDK imports google-auth-library, which needs Node's APIs (files, child processes), even with a token.
      if (!hasNodeApis()) {
        throw new ConfigurationError(`${id}: @anthropic-ai/vertex-sdk depends on google-auth-library, which does not run in ${runtimeName()}. Use it from Node, Bun or Deno.`, { provider: id })
      }
      if (!region) throw new ConfigurationError(`${id}: no region. Set the CLOUD_ML_REGION environment variable or pass anthropicVertex({ region: 'us-east5' }).`, { provider: id })
      if (!projectId) {
        throw new ConfigurationError(`${id}: no Google Cloud project. Set the ANTHROPIC_VERTEX_PROJECT_ID (or GOOGLE_CLOUD_PROJECT) environment variable or pass anthropicVertex({ projectId }).`, { provider: id })
      }
    },
  })
}

// A specifier bundlers cannot follow: the SDK pulls in google-auth-library, whose Node built-ins
// would break every Workers or edge bundle of the package, even one that never uses this provider.
const vertexSdkPackage = '@anthropic-ai/vertex-sdk'

/** The official SDK, imported on first use, at run time (a bundle of a Node app must keep it external). */
async function importSdk(): Promise<typeof import('@anthropic-ai/vertex-sdk')> {
  try {
    return (await import(/* webpackIgnore: true */ /* @vite-ignore */ vertexSdkPackage)) as typeof import('@anthropic-ai/vertex-sdk')
  } catch (error) {
    throw peerImportError(vertexSdkPackage, error)
  }
}
