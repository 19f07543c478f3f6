import { ConfigurationError } from '../../errors/errors.js'
import { readEnv } from '../../provider-kit/api-key.js'
import { peerImportError } from '../../provider-kit/load-peer.js'
import { sdkTimeoutMs } from '../../provider-kit/sdk-timeout.js'
import type { ProviderAdapter, ProviderSettings } from '../../spec/provider-adapter.js'
import { createOpenAIChatAdapter, type OpenAIClientLike } from '../openai/openai-chat-adapter.js'
import { withDeployments } from './azure-deployments.js'

export interface AzureOpenAISettings extends ProviderSettings<OpenAIClientLike> {
  /** The provider id in model ids (`azure/gpt-4o`). Default `azure`; give another to configure two resources. */
  id?: string
  /** `https://<resource>.openai.azure.com` (or a custom domain). Default: `AZURE_OPENAI_ENDPOINT`. */
  endpoint?: string
  /** The resource name, when the endpoint is the standard `https://<resource>.openai.azure.com`. */
  resourceName?: string
  /** The data-plane API version (`2024-10-21`, `2025-04-01-preview`, ...). Default: `OPENAI_API_VERSION`. */
  apiVersion?: string
  /**
   * Model id → deployment name. A model that is not in the map is called through the deployment of
   * the same name (deploy `gpt-4o` as `gpt-4o` and no map is needed).
   */
  deployments?: Record<string, string>
  /**
   * Microsoft Entra ID instead of a key: returns a bearer token for `https://cognitiveservices.azure.com/.default`,
   * e.g. `getBearerTokenProvider(new DefaultAzureCredential(), scope)` from `@azure/identity`.
   */
  azureADTokenProvider?: () => Promise<string>
}

const keyVariable = 'AZURE_OPENAI_API_KEY'
const endpointVariable = 'AZURE_OPENAI_ENDPOINT'
const versionVariable = 'OPENAI_API_VERSION'

/** `https://name.openai.azure.com/` → `https://name.openai.azure.com/openai`, the SDK's base URL. */
function baseURLOf(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/openai`
}

/**
 * Azure OpenAI over the official `openai` SDK's `AzureOpenAI` client (Chat Completions and
 * embeddings, each through its deployment). Key from `AZURE_OPENAI_API_KEY` or an Entra ID token
 * provider; endpoint from `AZURE_OPENAI_ENDPOINT`; API version from `OPENAI_API_VERSION`. Prices are
 * the catalog's Azure prices, for the model the answer names (not the deployment name).
 */
export function azureOpenai(settings: AzureOpenAISettings = {}): ProviderAdapter {
  const id = settings.id ?? 'azure'
  const tokenProvider = settings.azureADTokenProvider
  // A token provider replaces the key: the SDK refuses both at once.
  const apiKey = tokenProvider ? undefined : (settings.apiKey ?? readEnv(keyVariable))
  const endpoint = settings.endpoint ?? (settings.resourceName ? `https://${settings.resourceName}.openai.azure.com` : readEnv(endpointVariable))
  const apiVersion = settings.apiVersion ?? readEnv(versionVariable)
  const deployments = settings.deployments ?? {}

  const adapter = createOpenAIChatAdapter({
    id,
    factoryName: 'azureOpenai',
    catalogId: 'azure',
    maxTokensField: 'max_completion_tokens',
    embeddings: true,
    capabilities: (model) => ({ reasoning: /^(o\d|gpt-5)/.test(model) }),
    // The key goes in as the settings' own, so it is masked in errors whichever source it came from.
    settings: { ...settings, apiKey, client: settings.client ? withDeployments(settings.client, deployments) : undefined },
    createClient: async ({ headers }) => {
      const { AzureOpenAI } = await importSdk()
      const client = new AzureOpenAI({
        // The base URL is given, not the endpoint: the SDK would otherwise prefer an `OPENAI_BASE_URL` meant for OpenAI.
        baseURL: settings.baseURL ?? baseURLOf(endpoint!),
        apiVersion,
        // `null`, not absent: the SDK would fall back to AZURE_OPENAI_API_KEY and refuse key and token together.
        ...(tokenProvider ? { azureADTokenProvider: tokenProvider, apiKey: null as unknown as undefined } : { apiKey }),
        defaultHeaders: headers,
        // The router owns retrying; the SDK's own retries would hide failures from fallback.
        maxRetries: 0,
        timeout: sdkTimeoutMs,
      })
      return withDeployments(client as unknown as OpenAIClientLike, deployments)
    },
  })

  return Object.assign(adapter, {
    validate() {
      if (settings.client) return
      if (!apiKey && !tokenProvider) {
        throw new ConfigurationError(`${id}: no credential. Set the ${keyVariable} environment variable, or pass azureOpenai({ apiKey }) or azureOpenai({ azureADTokenProvider }) for Microsoft Entra ID.`, { provider: id })
      }
      if (!endpoint && !settings.baseURL) {
        throw new ConfigurationError(`${id}: no endpoint. Set the ${endpointVariable} environment variable (https://<resource>.openai.azure.com), or pass azureOpenai({ endpoint }) or azureOpenai({ resourceName }).`, { provider: id })
      }
      if (!apiVersion) {
        throw new ConfigurationError(`${id}: no API version. Set the ${versionVariable} environment variable or pass azureOpenai({ apiVersion }), e.g. '2024-10-21'.`, { provider: id })
      }
    },
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
