import type { ModelRequest, EmbedModelRequest } from './request.js'
import type { ModelResponse, EmbedModelResponse } from './response.js'
import type { StreamEvent } from './stream-event.js'

export interface CallOptions {
  /** Fires when the caller aborts, the attempt times out or the strategy cancels it (a lost race). */
  signal: AbortSignal
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
}

/** Options every provider factory accepts. `client` is a ready-made official SDK client. */
export interface ProviderSettings<Client = unknown> {
  apiKey?: string
  baseURL?: string
  headers?: Record<string, string>
  client?: Client
  /** Restricts and declares the models this provider serves (checked in routes at `createRouter()`). */
  models?: string[]
}
