import { ConfigurationError, type SwitchyardError } from '../errors/errors.js'
import type { CallOptions, CatalogModelList, ModelCapabilities, ProviderAdapter, ProviderQuotaService, ProviderSettings, TokenCount } from '../spec/provider-adapter.js'
import type { EmbedModelRequest, ModelRequest } from '../spec/request.js'
import type { EmbedModelResponse, ModelResponse } from '../spec/response.js'
import type { StreamEvent } from '../spec/stream-event.js'
import { readEnv, requireApiKey } from './api-key.js'
import { classifyProviderError, type ProviderErrorContext } from './classify-provider-error.js'
import { lazyClient } from './lazy-client.js'
import type { SignalCarrier } from '../internal/abortable.js'
import { withLazySignal } from '../internal/lazy-signal-options.js'
import { returnThis } from '../internal/return-this.js'

/** What the client of an adapter is built from: the key found (settings, then environment) and the settings. */
export interface ClientConnection {
  /** The key from `settings.apiKey` or the first environment variable that is set; `undefined` for keyless hosts. */
  apiKey: string | undefined
  baseURL: string | undefined
  headers: Record<string, string> | undefined
}

/** What each operation of a defined provider receives besides the request. */
export interface ProviderCall<Client> {
  /** The SDK (or HTTP) client: the user's ready one, or the one `createClient` built on first use. */
  client: Client
  /** Fires when the caller aborts, the attempt times out or the strategy cancels it. */
  signal: AbortSignal
  /** The key in use, for a transport that sends it itself (plain `fetch`). */
  apiKey: string | undefined
  /** The provider id, for error messages. */
  provider: string
  /** Where to report a successful response's rate-limit headers (`withResponseHeaders` does it). */
  quota?: ProviderQuotaService
}

/** Everything `defineProvider` needs; only `id`, `chat` and `stream` are required. */
export interface ProviderDefinition<Client, Extra extends object = object> {
  /** The provider id used in model ids (`acme` in `acme/large`). */
  id: string
  /** The user's settings: key, base URL, headers, a ready client, a model list. */
  settings?: ProviderSettings<Client>
  /** Name of the factory function, for messages (`acme({ apiKey })`). Default: the id. */
  factoryName?: string
  /** Provider id in the `@pydantic/genai-prices` catalog, when the catalog prices this host. */
  catalogId?: string
  /** The catalog's models for `catalogId` (see `ProviderAdapter.catalogModels`). */
  catalogModels?: readonly CatalogModelList[]
  /**
   * Environment variable(s) the key defaults to, read in order. When given, a missing key fails at
   * `createRouter()` naming them (unless a ready `client` was passed); none means the host needs no key.
   */
  apiKeyEnv?: string | readonly string[]
  /**
   * Builds the client on the first call (so configuring the provider loads nothing); load an
   * optional SDK here with `loadPeer`. Not called when the user passed `settings.client`.
   */
  createClient?(connection: ClientConnection): Client | Promise<Client>
  /**
   * Imports the code the operations run (request, response, stream and error translation) on the
   * first call, together with the client, so that importing and configuring the provider compiles
   * none of it. Operations, `mapError` and `checkSupport` may use what it loaded synchronously once
   * it has resolved; `mapError` may also see a failure to build the client or to load this code.
   */
  loadCode?(): Promise<unknown>
  /** Further configuration checks, without I/O; throw a `ConfigurationError`. Runs at `createRouter()`. */
  validate?(connection: ClientConnection): void
  capabilities?(model: string): Partial<ModelCapabilities>
  /** Rejects, before any call, a request this provider cannot serve (throw an `UnsupportedFeatureError`). */
  checkSupport?(request: ModelRequest): void
  /**
   * Provider-specific error mapping, tried before the kit's shape classifier. Return `undefined` to
   * let the classifier decide (it handles status codes, retry-after, connection failures, aborts).
   */
  mapError?(raw: unknown, context: Required<Pick<ProviderErrorContext, 'provider' | 'model' | 'secrets' | 'signal'>>): SwitchyardError | undefined
  chat(request: ModelRequest, call: ProviderCall<Client>): Promise<ModelResponse>
  /**
   * The events of a streamed call; or a promise of them, so that a stream opened with an `await`
   * (the request sent, the response headers read) needs no generator around it, which would add
   * its own queue and ticks to every event.
   */
  stream(request: ModelRequest, call: ProviderCall<Client>): AsyncIterable<StreamEvent> | Promise<AsyncIterable<StreamEvent>>
  embed?(request: EmbedModelRequest, call: ProviderCall<Client>): Promise<EmbedModelResponse>
  /** The provider's own token count for a request (its counting endpoint or tokenizer); errors are mapped like chat's. */
  countTokens?(request: ModelRequest, call: ProviderCall<Client>): Promise<TokenCount>
  /** Fields added to the adapter object as they are (a mock's call log, ...). */
  extend?: Extra
}

/**
 * The id in model ids: the user's `settings.id` (several instances of one provider, e.g. key-pool
 * members `openai({ id: 'openai-eu' })`), else the provider's own.
 */
function providerId(chosen: unknown, own: string, factoryName: string | undefined): string {
  if (chosen === undefined) return own
  if (typeof chosen !== 'string' || chosen === '' || chosen.includes('/')) {
    throw new ConfigurationError(`${factoryName ?? own}({ id }): \`id\` must be a non-empty provider id without "/" (got ${JSON.stringify(chosen)}).`)
  }
  return chosen
}

/**
 * The client, once the operations' code has loaded too (both on the first call, in parallel). The
 * code is awaited even when building the client fails, so `mapError` sees that failure with the
 * code loaded; a failed load is retried on the next call.
 */
function withCode<Client>(getClient: () => Promise<Client>, loadCode: () => Promise<unknown>): (() => Promise<Client>) & { readonly ready: Client | undefined } {
  let ready: Promise<Client> | undefined
  const prepare = async (): Promise<Client> => {
    const client = getClient()
    // Awaited below, after the code: marked handled so a fast failure is not reported as unhandled meanwhile.
    client.catch(() => undefined)
    await loadCode()
    return client
  }
  // `ready`: the client once both are there (never before the code has loaded), for callers that skip the wait.
  const getReady = (() =>
    (ready ??= prepare().then(
      (client) => (getReady.ready = client),
      (error: unknown) => {
        ready = undefined
        throw error
      },
    ))) as (() => Promise<Client>) & { ready: Client | undefined }
  getReady.ready = undefined
  return getReady
}

/** Ready-made when the definition has no `createClient` and the user passed no client. */
const noClient = undefined as never

/**
 * The skeleton every adapter shares: key from the settings or the environment, checked at
 * `createRouter()`; the client built lazily on the first call (or the user's ready one); each
 * call's failure mapped to a typed error (provider-specific mapping first, then the kit's shape
 * classifier, with the key masked everywhere). The definition only translates requests and answers.
 */
export function defineProvider<Client = undefined, Extra extends object = object>(definition: ProviderDefinition<Client, Extra>): ProviderAdapter & Extra {
  const settings = definition.settings ?? {}
  const id = providerId(definition.settings?.id, definition.id, definition.factoryName)
  const variables = definition.apiKeyEnv === undefined ? [] : typeof definition.apiKeyEnv === 'string' ? [definition.apiKeyEnv] : [...definition.apiKeyEnv]
  let apiKey = settings.apiKey
  for (const variable of variables) apiKey ??= readEnv(variable)
  const connection: ClientConnection = { apiKey, baseURL: settings.baseURL, headers: settings.headers }
  const clientOnly = lazyClient<Client>(settings.client, async () => (definition.createClient ? definition.createClient(connection) : noClient))
  const getClient = definition.loadCode ? withCode(clientOnly, definition.loadCode) : clientOnly

  const toError = (raw: unknown, model: string, signal: AbortSignal): SwitchyardError => {
    const context = { provider: id, model, secrets: [apiKey], signal }
    return definition.mapError?.(raw, context) ?? classifyProviderError(raw, context)
  }
  const call = (client: Client, signal: AbortSignal, quota?: ProviderQuotaService): ProviderCall<Client> =>
    quota ? { client, signal, apiKey, provider: id, quota } : { client, signal, apiKey, provider: id }
  /**
   * The call for `options`: when its signal is the call's never-firing stand-in (`signalCanFire:
   * false`), read only if the definition reads it, and marked the same way for `listenableSignalOf`.
   */
  const callFor = (client: Client, options: CallOptions): ProviderCall<Client> => {
    if ((options as SignalCarrier).signalCanFire !== false) return call(client, options.signal, options.quota)
    const fields: Omit<ProviderCall<Client>, 'signal'> & { signalCanFire: false } = { client, signalCanFire: false, apiKey, provider: id }
    if (options.quota) fields.quota = options.quota
    return withLazySignal(fields, options)
  }
  const embed = definition.embed

  const adapter: ProviderAdapter = {
    specificationVersion: 'v1',
    id,
    ...(definition.catalogId !== undefined ? { catalogId: definition.catalogId } : {}),
    ...(definition.catalogModels !== undefined ? { catalogModels: definition.catalogModels } : {}),
    ...(settings.models !== undefined ? { models: settings.models } : {}),
    ...(definition.capabilities ? { capabilities: definition.capabilities } : {}),
    ...(definition.checkSupport ? { checkSupport: definition.checkSupport } : {}),

    validate() {
      if (!settings.client && variables.length > 0) requireApiKey(id, apiKey, variables.join(' or '), definition.factoryName ?? id)
      definition.validate?.(connection)
    },

    ...(definition.countTokens
      ? {
          async countTokens(request: ModelRequest, { signal }: CallOptions): Promise<TokenCount> {
            try {
              return await definition.countTokens!(request, call(await getClient(), signal))
            } catch (error) {
              throw toError(error, request.model, signal)
            }
          },
        }
      : {}),

    async chat(request: ModelRequest, options: CallOptions): Promise<ModelResponse> {
      try {
        // The client is there after the first call: no tick spent waiting for it.
        return await definition.chat(request, callFor(getClient.ready ?? (await getClient()), options))
      } catch (error) {
        throw toError(error, request.model, options.signal)
      }
    },

    stream(request: ModelRequest, { signal, quota }: CallOptions): AsyncIterableIterator<StreamEvent> {
      // A plain iterator rather than a generator around the adapter's: `return()` reaches the
      // adapter's stream at once, even while a read is pending (a generator would queue it), so a
      // stream the router gives up on releases its connection as if the router held it directly.
      // Nor is `next` an async function: each event is the adapter's own promise, failures mapped.
      let inner: AsyncIterator<StreamEvent> | undefined
      let starting: Promise<AsyncIterator<StreamEvent>> | undefined
      const open = (client: Client) => definition.stream(request, call(client, signal, quota))
      const begin = (events: AsyncIterable<StreamEvent>) => (inner = events[Symbol.asyncIterator]())
      const start = () => (starting ??= getClient().then(open).then(begin))
      const mapped = (error: unknown): never => {
        throw toError(error, request.model, signal)
      }
      const firstNext = (iterator: AsyncIterator<StreamEvent>) => iterator.next()
      return {
        [Symbol.asyncIterator]: returnThis,
        next() {
          return (inner ? inner.next() : start().then(firstNext)).catch(mapped)
        },
        async return(value?: unknown) {
          const iterator = inner ?? (starting ? await starting.catch(() => undefined) : undefined)
          try {
            return (await iterator?.return?.(value)) ?? { done: true, value: undefined }
          } catch (error) {
            throw mapped(error)
          }
        },
      }
    },

    ...(embed
      ? {
          async embed(request: EmbedModelRequest, options: CallOptions): Promise<EmbedModelResponse> {
            try {
              return await embed(request, callFor(getClient.ready ?? (await getClient()), options))
            } catch (error) {
              throw toError(error, request.model, options.signal)
            }
          },
        }
      : {}),
  }
  return Object.assign(adapter, definition.extend) as ProviderAdapter & Extra
}
