import type { TokenCountResult } from './count-tokens.js'
/**
 * The router's public interface: what the facades (`router.openai`, `router.anthropic`,
 * `router.fetch`) are built from, and what code that only makes calls should depend on. Types
 * only; the facades import nothing else from the router.
 */
import type { ChatParameters, EmbedParameters } from '../spec/request.js'
import type { ChatChunk, ChatResult, EmbedResult } from '../spec/response.js'
import type { Strategy } from '../spec/strategy.js'
import type { CallCacheOptions } from '../state/cache-options.js'

export type { CallCacheOptions }

/** A `provider/model` id: `openai/gpt-4o`. */
export type ModelId = `${string}/${string}`

/**
 * What `model` may name: one of the router's routes, a `provider/model` id, or an array of ids
 * (an ad-hoc fallback chain). With routes declared in `createRouter`, a misspelt route name is a
 * compile error; a router whose route names are not known statically (`Router<string>`) accepts
 * any string. (Written without a conditional type, so that a router with known routes is still a
 * `Router<string>`.)
 */
export type ModelReference<RouteName extends string = string> = RouteName | ModelId | readonly (ModelId | RouteName)[]

/** What `router.chat()` and `router.stream()` take: OpenAI's chat parameters and a `model`. */
export interface RouterChatRequest<RouteName extends string = string> extends ChatParameters {
  model: ModelReference<RouteName>
}

/** What `router.embed()` takes. */
export interface RouterEmbedRequest<RouteName extends string = string> extends Omit<EmbedParameters, 'input'> {
  model: ModelReference<RouteName>
  input: string | string[]
}

export interface CallOptions {
  /** Aborts the call: in-flight attempts are cancelled and the call rejects with `AbortedError`. */
  signal?: AbortSignal
  /**
   * Runs this strategy instead of the one `model` names (its models are checked like a route's).
   * With it, `model` may be omitted; a route name given as `model` is still reported in `route.name`.
   */
  strategy?: Strategy
  /**
   * Attribution for spend reports, budgets and telemetry (`{ team: 'search' }`); reported in
   * `call-start` events and to the router's features, never sent to a provider.
   */
  tags?: Record<string, string>
  /**
   * The end user the call is made for, for attribution and per-user limits; never sent to a
   * provider (the request's own `user` field is, and is used here when this is not set).
   */
  user?: string
  /**
   * The response cache for this call: `{ ttlMs }` turns it on (even when the router's is off),
   * `{ refresh: true }` skips the look-up and stores the fresh answer, `false` neither reads nor writes.
   */
  cache?: CallCacheOptions | false
  /**
   * The most this call may cost, in USD, all attempts together. A non-streamed call is given a
   * `max_tokens` that fits; a stream is stopped as soon as its running cost crosses the cap, with a
   * `CostCapExceededError` carrying the partial output. A candidate that cannot fit is skipped.
   */
  maxCostUsd?: number
  /**
   * Where the work a call leaves running after it answers (an `abTest` shadow run and its judge)
   * is also handed, so a serverless platform keeps it alive: in a Worker,
   * `(work) => ctx.waitUntil(work)`. `router.fetch` takes it from the platform's context argument.
   */
  waitUntil?: (work: Promise<unknown>) => void
}

/** Call options that name a strategy, so the request may leave `model` out. */
export type StrategyCallOptions = CallOptions & { strategy: Strategy }

/**
 * What `router.stream()` returns: iterate it for OpenAI-shaped chunks (the last carries usage,
 * tokens, cost and route), or await `finalResult()` for the assembled result. It can be iterated once.
 */
export interface RouterStream extends AsyncIterable<ChatChunk> {
  finalResult(): Promise<ChatResult>
}

/** One model name a caller may use, as a model list shows it. */
export interface ModelListing {
  /** A route name or a `provider/model` id. */
  id: string
  /** `switchyard` for a route, else the provider id. */
  ownedBy: string
  kind: 'route' | 'model'
}

/**
 * The narrow interface of a router that makes calls: what the facades are built from. Each call
 * takes `model` (a route, an id or an array of ids), or leaves it out when `options.strategy` says
 * what to run.
 */
export interface RouterClient<RouteName extends string = string> {
  /** One chat completion, routed. */
  chat(request: Partial<RouterChatRequest<RouteName>> & ChatParameters, options: StrategyCallOptions): Promise<ChatResult>
  chat(request: RouterChatRequest<RouteName>, options?: CallOptions): Promise<ChatResult>
  /** A streamed chat completion; bad input throws here, synchronously. */
  stream(request: Partial<RouterChatRequest<RouteName>> & ChatParameters, options: StrategyCallOptions): RouterStream
  stream(request: RouterChatRequest<RouteName>, options?: CallOptions): RouterStream
  /** Embeddings, routed like chat calls. */
  embed(request: Partial<RouterEmbedRequest<RouteName>> & Pick<RouterEmbedRequest, 'input'>, options: StrategyCallOptions): Promise<EmbedResult>
  embed(request: RouterEmbedRequest<RouteName>, options?: CallOptions): Promise<EmbedResult>
  /**
   * The request's input tokens, counted by the provider of the model it names (a route: its first
   * model); a model with no exact count is an `UnsupportedFeatureError`, never an estimate.
   */
  countTokens(request: RouterChatRequest<RouteName>, options?: Pick<CallOptions, 'signal'>): Promise<TokenCountResult>
  /** Route names, in definition order. */
  readonly routes: readonly RouteName[]
  /** Registered provider ids. */
  readonly providers: readonly string[]
  /** Every route, every id a route uses and every model a provider declares, each once. */
  models(): ModelListing[]
  /**
   * One model name: a listed one, or any id of a registered provider that it may serve. Anything
   * else throws an `InvalidRequestError` with status 404.
   */
  model(id: string): ModelListing
}

/** Limits of the HTTP endpoint (`createRouter({ http })`); it may face clients the application does not trust. */
export interface HttpEndpointOptions {
  /** The largest request body accepted, in bytes; a larger one is answered 413 unread. Default 10 MiB. */
  maxBodyBytes?: number
  /**
   * Clients may name only the routes you declared as `model`: no `provider/model` id and no array
   * (a chain of the client's choosing). `GET /v1/models` then lists only the routes. Default false.
   */
  routesOnly?: boolean
  /**
   * The `provider_options` fields a client may send, per provider id (`{ openai: ['service_tier'] }`).
   * Default: none; a request carrying others is refused with 400. Dialect fields the router
   * forwards itself (OpenAI's `service_tier`, Anthropic's `top_k`, ...) are not affected.
   */
  providerOptions?: Readonly<Record<string, readonly string[]>>
}
