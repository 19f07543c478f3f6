import { ConfigurationError } from '../../errors/errors.js'
import type { ModelRequest } from '../../spec/request.js'
import type { ModelResponse } from '../../spec/response.js'
import type { StreamEvent } from '../../spec/stream-event.js'
import type { ModelCapabilities, ProviderAdapter, ProviderSettings } from '../../spec/provider-adapter.js'
import { readEnv } from '../../provider-kit/api-key.js'
import { defineProvider } from '../../provider-kit/define-provider.js'
import { peerImportError } from '../../provider-kit/load-peer.js'
import { isRecord, malformedResponseError } from '../../provider-kit/malformed-response.js'
import { hasNodeApis, runtimeName } from '../../provider-kit/runtime-name.js'
import { lazyPart } from '../../internal/lazy-part.js'
import { isClaudeModel } from './bedrock-models.js'
import type { BedrockWireResponse, BedrockWireStreamEvent } from './bedrock-wire-types.js'
import { awsCatalogModels } from '../catalog-models/aws.js'

/** The slice of a `BedrockRuntimeClient` the adapter calls; any real instance fits. */
export interface BedrockClientLike {
  send(command: any, options?: any): Promise<any>
  middlewareStack?: { add(middleware: any, options?: any): void }
}

/** Static AWS credentials. */
export interface AwsCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
  expiration?: Date
}

export interface BedrockSettings extends ProviderSettings<BedrockClientLike> {
  /** The provider id in model ids (`bedrock/anthropic.claude-…`). Default `bedrock`. */
  id?: string
  /** The AWS region (`us-east-1`). Default: `AWS_REGION`, then `AWS_DEFAULT_REGION`. */
  region?: string
  /**
   * Credentials, or a function returning them (e.g. from `@aws-sdk/credential-providers`). Default:
   * the SDK's standard chain (environment, shared config and SSO, web identity, container and instance roles).
   */
  credentials?: AwsCredentials | (() => Promise<AwsCredentials>)
  /** A named profile of the shared config files, for the standard chain. */
  profile?: string
  /** A Bedrock API key (sent as a bearer token) instead of AWS credentials. Default: `AWS_BEARER_TOKEN_BEDROCK`. */
  apiKey?: string
  /** Another endpoint (a VPC endpoint, a proxy): the SDK's `endpoint`. */
  baseURL?: string
}

const translation = /* @__PURE__ */ lazyPart('the Bedrock adapter', () => import('./bedrock-translation.js'))

// Environment variables through which the standard chain finds credentials without reading files.
const credentialVariables = ['AWS_ACCESS_KEY_ID', 'AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI'] as const

function capabilities(model: string): Partial<ModelCapabilities> {
  const claude = isClaudeModel(model)
  return {
    tools: true,
    json_schema: true,
    vision: claude || /amazon\.nova-(lite|pro|premier)|llama3-2-(11|90)b|llama4|pixtral/.test(model),
    reasoning: claude && !/claude-(instant|v2|3-(haiku|sonnet|opus|5))/.test(model),
  }
}

function checkedResponse(response: unknown, provider: string, model: string): BedrockWireResponse {
  if (!isRecord(response)) throw malformedResponseError(provider, model, 'the body is not a JSON object')
  const content = (response.output as { message?: { content?: unknown } } | undefined)?.message?.content
  if (!Array.isArray(content)) throw malformedResponseError(provider, model, 'no `output.message.content`')
  if (typeof response.stopReason !== 'string') throw malformedResponseError(provider, model, 'no `stopReason`')
  return response as BedrockWireResponse
}

/** The answer's id: the AWS request id (Converse answers carry no id of their own). */
function requestIdOf(response: unknown): string {
  const requestId = (response as { $metadata?: { requestId?: string } } | undefined)?.$metadata?.requestId
  return requestId ?? `bedrock-${crypto.randomUUID()}`
}

/**
 * Amazon Bedrock's Converse and ConverseStream APIs through the official
 * `@aws-sdk/client-bedrock-runtime`, an optional peer loaded on first use. Credentials come from
 * the standard AWS chain unless given; the region from `AWS_REGION`. Prices are the catalog's AWS
 * Bedrock prices for the model id (inference-profile prefixes such as `us.` and `global.` included).
 */
export function bedrock(settings: BedrockSettings = {}): ProviderAdapter {
  const id = settings.id ?? 'bedrock'
  const region = settings.region ?? readEnv('AWS_REGION') ?? readEnv('AWS_DEFAULT_REGION')
  const apiKey = settings.apiKey ?? readEnv('AWS_BEARER_TOKEN_BEDROCK')
  const staticSecrets = typeof settings.credentials === 'object' ? [settings.credentials.secretAccessKey, settings.credentials.sessionToken] : []
  let sdk: Promise<typeof import('@aws-sdk/client-bedrock-runtime')> | undefined
  const loadSdk = () => (sdk ??= importSdk())
  const context = (request: ModelRequest, response: unknown) => ({
    provider: id,
    model: request.model,
    requestId: requestIdOf(response),
    firstToolCallOnly: request.parallel_tool_calls === false,
  })

  return defineProvider<BedrockClientLike>({
    id,
    settings: { ...settings, apiKey },
    factoryName: 'bedrock',
    catalogId: 'aws',
    catalogModels: awsCatalogModels,
    capabilities,
    async createClient({ headers }) {
      const { BedrockRuntimeClient } = await loadSdk()
      const client = new BedrockRuntimeClient({
        region,
        // The router owns retrying; the SDK's own retries would hide failures from fallback.
        maxAttempts: 1,
        ...(settings.credentials ? { credentials: settings.credentials } : {}),
        ...(settings.profile ? { profile: settings.profile } : {}),
        ...(apiKey && !settings.credentials ? { token: { token: apiKey }, authSchemePreference: ['httpBearerAuth'] } : {}),
        ...(settings.baseURL ? { endpoint: settings.baseURL } : {}),
      })
      if (headers) {
        const addHeaders = (next: (args: any) => Promise<any>) => async (args: { request: { headers: Record<string, string> } }) => {
          Object.assign(args.request.headers, headers)
          return next(args)
        }
        ;(client.middlewareStack as BedrockClientLike['middlewareStack'])!.add(addHeaders, { step: 'build', name: 'switchyardHeaders' })
      }
      return client as unknown as BedrockClientLike
    },
    validate() {
      if (settings.client) return
      if (!region) throw new ConfigurationError(`${id}: no AWS region. Set the AWS_REGION environment variable or pass bedrock({ region: 'us-east-1' }).`, { provider: id })
      const hasCredentials = settings.credentials !== undefined || apiKey !== undefined || settings.profile !== undefined || credentialVariables.some((name) => readEnv(name) !== undefined)
      // Without them the standard chain reads shared config files and instance roles, which need Node's APIs.
      if (!hasCredentials && !hasNodeApis()) {
        throw new ConfigurationError(
          `${id}: no AWS credentials, and the standard AWS credential chain (config files, SSO, instance roles) cannot run in ${runtimeName()}. Pass bedrock({ credentials: { accessKeyId, secretAccessKey, sessionToken } }) or bedrock({ apiKey }) with a Bedrock API key.`,
          { provider: id },
        )
      }
    },
    loadCode: translation.load,
    // Not loaded: the failure was loading it or building the client, which the kit's classifier maps.
    mapError: (raw, errorContext) => translation.loaded?.errorFromBedrock(raw, { ...errorContext, secrets: [...errorContext.secrets, ...staticSecrets] }),
    // Before the first call the code is not loaded; `chat` and `stream` then translate (and so
    // reject an unsupported request) before anything is sent all the same.
    checkSupport(request: ModelRequest) {
      translation.loaded?.toBedrockRequest(request, id)
    },

    async chat(request: ModelRequest, { client, signal }): Promise<ModelResponse> {
      const { ConverseCommand } = await loadSdk()
      const { toBedrockRequest, fromBedrockResponse } = translation.loaded!
      const response: unknown = await client.send(new ConverseCommand(toBedrockRequest(request, id) as never), { abortSignal: signal })
      return fromBedrockResponse(checkedResponse(response, id, request.model), context(request, response))
    },

    async *stream(request: ModelRequest, { client, signal }): AsyncGenerator<StreamEvent> {
      const { ConverseStreamCommand } = await loadSdk()
      const { toBedrockRequest, bedrockStreamEvents } = translation.loaded!
      const response = (await client.send(new ConverseStreamCommand(toBedrockRequest(request, id) as never), { abortSignal: signal })) as { stream?: AsyncIterable<BedrockWireStreamEvent> }
      if (!response?.stream) throw malformedResponseError(id, request.model, 'no event stream')
      yield* bedrockStreamEvents(response.stream, context(request, response))
    },
  })
}

/** The official SDK, imported on first use. */
async function importSdk(): Promise<typeof import('@aws-sdk/client-bedrock-runtime')> {
  // In a try, so bundlers (esbuild under wrangler and Vercel) leave it for run time when it is not installed.
  try {
    return await import('@aws-sdk/client-bedrock-runtime')
  } catch (error) {
    throw peerImportError('@aws-sdk/client-bedrock-runtime', error)
  }
}
