import type { ModelRequest, EmbedModelRequest } from './request.js'
import type { ModelResponse, EmbedModelResponse } from './response.js'
import type { StreamEvent } from './stream-event.js'

export interface CallOptions {
  /** Fires when the caller aborts, the attempt times out or the strategy cancels it (a lost race). */
  signal: AbortSignal
  /**
   * Where the adapter reports the rate-limit headers of each successful response, when the router
   * follows them. Absent: nothing to report.
   */
  quota?: ProviderQuotaService
  /**
   * For an adapter that picks one of several keys itself (a key pool): the router's per-key rate
   * limits (`limits` with `scope: { key }`), asked once the key is picked. Absent when there are none.
   */
  keyGate?: KeyGate
}

/** The router's per-key rate limits, as a key pool asks them. */
export interface KeyGate {
  /**
   * Room for one request on `key` (the picked adapter's id): resolves with the function to call
   * when the request ends (with its real token usage when known), or rejects with a `RateLimitError`
   * when the key's limits are full (the pool then tries another key).
   */
  admit(key: string): Promise<(usedTokens?: number) => void>
}

/** Response headers as `fetch` (`Headers`) or an SDK (a plain record) gives them. */
export type ResponseHeaders = Headers | Record<string, string | string[] | undefined>

/**
 * The router's picture of providers' own rate limits, fed by their response headers
 * (`x-ratelimit-*` from OpenAI, Groq and most OpenAI-compatible hosts, `anthropic-ratelimit-*`
 * from Anthropic). `source` is the adapter's own provider id (a key-pool member's id), never a key.
 */
export interface ProviderQuotaService {
  /** Records what a successful response's headers say about `source`'s quota for `model`. */
  observe(source: string, model: string, headers: ResponseHeaders): void
  /** Milliseconds until `source`'s quota for `model` resets, when the headers said it is used up; 0 otherwise. */
  exhaustedFor(source: string, model: string): number
  /** Share of quota left (0–1, the tighter of requests and tokens); 1 when nothing is known. */
  headroom(source: string, model: string): number
  /**
   * Brings in what other routers sharing the store have seen for these sources, when the local
   * picture is older than a second; `undefined` when there is nothing to wait for.
   */
  refresh(sources: readonly string[], model: string): Promise<void> | undefined
}

/** What a model can do, for strategies that filter candidates (`cheapest({ require })`). */
export interface ModelCapabilities {
  tools: boolean
  vision: boolean
  json_schema: boolean
  reasoning: boolean
  /** Context window in tokens, when known. */
  contextWindow?: number
}

/**
 * The versions of the adapter contract this release of Switchyard understands. A new version is
 * added, never an old one changed, so an adapter states the contract it was written against.
 */
export type ProviderSpecificationVersion = 'v1'

/**
 * One catalog provider's models as the router reads them without loading the catalog: the
 * catalog's match rules, context windows and token prices (a price that depends on the date or
 * time of day is only marked: the full catalog is loaded for it), generated from the catalog
 * (scripts/generate-model-index.ts writes them to src/providers/catalog-models/).
 */
export interface CatalogModelList {
  /** The catalog provider they are listed under. */
  readonly provider: string
  /**
   * JSON: `[match rule, context window (0: not listed), price]` per model, in catalog order; price
   * 0 when the catalog has no token prices, 1 when they depend on the date or time of day, else
   * the `ModelPrice` (USD per million tokens).
   */
  readonly models: string
}

/**
 * The one interface every provider implements. Adapters are the only code that knows a provider:
 * they translate the canonical request to the official SDK's call, and the SDK's responses, stream
 * and errors back to canonical shapes and typed errors.
 */
export interface ProviderAdapter {
  /** The version of this contract the adapter implements; `createRouter()` rejects one it does not know. */
  readonly specificationVersion: ProviderSpecificationVersion
  /** The provider id used in model ids: `openai` in `openai/gpt-4o`. */
  readonly id: string
  /** Provider id in the `@pydantic/genai-prices` catalog, when the catalog prices this host. */
  readonly catalogId?: string
  /**
   * The catalog's models for `catalogId` (then for the catalog providers it falls back to), so that
   * `createRouter()` checks model ids and reads context windows, and calls are priced, without
   * loading the ~0.8 MB catalog. The built-in adapters carry theirs. Without it, the models of a
   * `catalogId` are not checked at `createRouter()` (one the catalog does not know costs `null`,
   * with an `unknown_price` warning), and the first call waits for the catalog to load.
   */
  readonly catalogModels?: readonly CatalogModelList[]
  /** The models this provider serves, when that list is known up front (mock providers, user lists). */
  readonly models?: readonly string[]
  /** Checks configuration without I/O (API key present, ...). Throws a `ConfigurationError`. */
  validate?(): void
  /** What a model can do; unknown fields fall back to the catalog or to permissive defaults. */
  capabilities?(model: string): Partial<ModelCapabilities>
  /** Rejects, before any call, a request that uses a feature this provider cannot serve. */
  checkSupport?(request: ModelRequest): void
  chat(request: ModelRequest, options: CallOptions): Promise<ModelResponse>
  stream(request: ModelRequest, options: CallOptions): AsyncIterable<StreamEvent>
  embed?(request: EmbedModelRequest, options: CallOptions): Promise<EmbedModelResponse>
  /**
   * The request's input tokens as the provider itself counts them: its counting endpoint or its
   * published tokenizer, never an estimate. Throw an `UnsupportedFeatureError` for a request it
   * cannot count exactly (tools without a public formatting, for instance).
   */
  countTokens?(request: ModelRequest, options: CallOptions): Promise<TokenCount>
}

/** What `countTokens` answers. */
export interface TokenCount {
  /** Every input token of the request: messages, system prompt and tool definitions. */
  inputTokens: number
}

/** Options every provider factory accepts. `client` is a ready-made official SDK client. */
export interface ProviderSettings<Client = unknown> {
  /**
   * The provider id in model ids, for a second instance of one provider (another key, region or
   * deployment), e.g. `openai({ id: 'openai-eu', apiKey, baseURL })` as a `keyPool` member.
   * Default: the provider's own id (`openai`).
   */
  id?: string
  apiKey?: string
  baseURL?: string
  headers?: Record<string, string>
  client?: Client
  /** Restricts and declares the models this provider serves (checked in routes at `createRouter()`). */
  models?: string[]
}
