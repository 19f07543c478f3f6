import { asStrategyContext, CallContext, type MadeAttempt } from './attempt-runner.js'
import type { LiveStreamAttempt, StreamLimits } from './live-stream-attempt.js'
import type { AnyModelReference, Plan, StreamHost } from './stream-host.js'
import { StreamIdleWatch } from './stream-idle-watch.js'
import { buildChatResult, buildRoute, callCost, savedCost } from './build-result.js'
import { RouterIds } from './router-ids.js'
import { abortable, listenableSignal } from '../internal/abortable.js'
import { LazySignalCallInfo } from './lazy-signal-call-info.js'
import { ChatStream } from './chat-stream.js'
import { streamCode } from './stream-code.js'
import { parametersOf } from './request-parameters.js'
import { BackgroundWork } from './background-work.js'
import { CallHookRegistry } from './call-hook-registry.js'
import type { CachedAnswer, CachedEmbedding, CallInfo, CallOutcome } from './call-hooks.js'
import type { CoreServices } from './core-services.js'
import { installRouterFeatures, type FeatureSlots, type RouterFeature } from './router-feature.js'
import type { CallCacheOptions } from '../state/response-cache.js'
import type { SpendQuery, SpendReport } from '../spend/spend-ledger.js'
import type { BudgetStatus } from '../spend/budget-keeper.js'
import type { RouterReport } from '../report/report-types.js'
import { PriceBook, validatePriceTable } from '../cost/price-book.js'
import { AbortedError, ConfigurationError, InvalidRequestError, StrategyError, SwitchyardError } from '../errors/errors.js'
import { EventHub, type RouterEventListener } from './events.js'
import { buildRoutes, checkModelId, checkStrategy, validateCallLimits, validateHttpOptions, validateProviders, validateStreamOptions, type CallLimits, type RouteDefinition, type RouterConfig } from './router-config.js'
import { ExperimentStore, type ExperimentReport } from '../state/experiment-store.js'
import { HealthTracker } from '../state/health-tracker.js'
import { ModelStats } from '../state/model-stats.js'
import { validateCallOptions, validateChatRequest, validateEmbedRequest } from './validate-request.js'
import { countRequestTokens, type TokenCountResult } from './count-tokens.js'
import type { ChatRequest } from '../spec/request.js'
import { fallback } from '../strategies/fallback.js'
import type { Cost } from '../spec/cost.js'
import type { ChatParameters, EmbedParameters } from '../spec/request.js'
import type { Attempt, ChatChunk, ChatResult, EmbedModelResponse, EmbedResult, ModelResponse, RouteInfo } from '../spec/response.js'
import type { ModelCapabilities, ProviderAdapter } from '../spec/provider-adapter.js'
import type { Candidate, Strategy } from '../spec/strategy.js'
import type { Operation } from '../spec/operation.js'
import type {
  CallOptions,
  HttpEndpointOptions,
  ModelListing,
  RouterChatRequest,
  RouterClient,
  RouterEmbedRequest,
  StrategyCallOptions,
} from './router-client.js'

export type { CallOptions }

const maxCachedDirectPlans = 1_000
const maxCachedCandidates = 1_000
const defaultCapabilities: ModelCapabilities = { tools: true, vision: true, json_schema: true, reasoning: false }
const noTags: Readonly<Record<string, string>> = Object.freeze({})
/** The `events` of a non-streamed answer offered to `complete` hooks: none (they follow from its response). */
const noEvents: CachedAnswer['events'] = Object.freeze([])

/** Says what a strategy resolved with, for its error message; never the value itself. */
function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object without an `attempt` record' : typeof value
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null

/** An embed call's result in OpenAI's shape, with the router's cost and route. */
function buildEmbedResult(answer: EmbedModelResponse, model: string, cost: Cost, route: RouteInfo): EmbedResult {
  // OpenAI's shape needs a number; a provider that reports none shows 0 here and `cost` says unknown.
  const tokens = answer.usage.inputTokens ?? 0
  return {
    object: 'list',
    model,
    data: answer.embeddings.map((item) => ({ object: 'embedding', index: item.index, embedding: item.embedding })),
    usage: { prompt_tokens: tokens, total_tokens: tokens },
    cost,
    route,
  }
}

/** The router's internal services, for its features and tests; not part of the public API. */
export let coreOf: (router: RouterCore<string>) => CoreServices

/** What the composed HTTP endpoint needs from the core: its validated options and what the router's features provide. */
export let endpointOf: (router: RouterCore<string>) => { readonly http: HttpEndpointOptions; readonly features: FeatureSlots }

/** The message of a method whose feature this router was created without (`switchyard/core`). */
function missingFeature(method: string, feature: string): ConfigurationError {
  return new ConfigurationError(`${method} needs ${feature}: add it to createRouter's \`features\` (import it from 'switchyard/core'), or use createRouter from 'switchyard', which installs every feature.`)
}

/** The class of a stream attempt past its first token, from the stream code (which the stream call loaded). */
function liveStreamAttempt(): typeof LiveStreamAttempt | Promise<typeof LiveStreamAttempt> {
  return streamCode.loaded?.LiveStreamAttempt ?? streamCode.load().then((code) => code.LiveStreamAttempt)
}

/** A stream's iterator once its code has loaded: the first `next()` waits for the import. */
function afterLoading(loading: Promise<AsyncIterator<ChatChunk>>, onFailure: (error: unknown) => void): AsyncIterator<ChatChunk> {
  const started = loading.catch((error: unknown) => {
    onFailure(error)
    throw error
  })
  return {
    next: () => started.then((iterator) => iterator.next()),
    return: (value?: unknown) => started.then((iterator) => iterator.return?.(value) ?? { done: true as const, value: undefined }, () => ({ done: true as const, value: undefined })),
    throw: (error?: unknown) => started.then((iterator) => (iterator.throw ? iterator.throw(error) : Promise.reject(error))),
  }
}

/**
 * The router core: routed `chat`, `stream` and `embed`, its configuration, events, experiments and
 * `close()`. All state (health, latency statistics, listeners, price look-ups) lives here, so two
 * routers never share anything. `createRouter()` returns it with the facades composed on top.
 */
export class RouterCore<RouteName extends string = string> implements RouterClient<RouteName> {
  readonly #core: CoreServices
  /** Every attempt result this router's calls made, by record: how a strategy's winner is recognised. */
  readonly #made = new WeakMap<Attempt, MadeAttempt>()
  readonly #features: FeatureSlots
  readonly #background = new BackgroundWork()
  readonly #http: HttpEndpointOptions
  private readonly providerMap: Map<string, ProviderAdapter>
  private readonly routeMap: Map<string, Strategy>
  /** The plan (a one-model fallback) of each `provider/model` id called directly, built once. */
  private readonly directPlans = new Map<string, Plan>()
  /** Each route's plan, built once. */
  private readonly routePlans = new Map<string, Plan>()
  /** Every `provider/model` id resolved so far, resolved once. */
  private readonly candidates = new Map<string, Candidate>()
  private readonly callLimits: Required<CallLimits>
  private readonly streamLimits: StreamLimits
  /** Bound once, not per call: every call's context resolves candidates through it. */
  private readonly candidateResolver = (id: string) => this.resolveCandidate(id)
  private closed = false

  static {
    coreOf = (router) => router.#core
    endpointOf = (router) => ({ http: router.#http, features: router.#features })
  }

  /**
   * `features` are the parts installed besides the core (cache, spend control, shared state,
   * report, telemetry, the surfaces of `router.fetch`); `createRouter` passes them.
   */
  constructor(config: RouterConfig<Record<RouteName, RouteDefinition>>, features: readonly RouterFeature[] = []) {
    if (!config || typeof config !== 'object') {
      throw new ConfigurationError('createRouter needs a configuration object: createRouter({ providers: [...] }).')
    }
    this.providerMap = validateProviders(config.providers)
    this.callLimits = validateCallLimits(config.callLimits)
    const streamLimits = validateStreamOptions(config.streams)
    // One idle timer for all of this router's streams.
    this.streamLimits = streamLimits.idleTimeoutMs > 0 ? { ...streamLimits, idleWatch: new StreamIdleWatch(streamLimits.idleTimeoutMs) } : streamLimits
    validatePriceTable(config.prices)
    const prices = new PriceBook(config.prices ?? {}, this.providerMap)
    const events = new EventHub()
    if (config.onEvent) events.on(config.onEvent)
    const providerMap = this.providerMap
    this.#core = {
      prices,
      health: new HealthTracker(config.health),
      stats: new ModelStats(),
      events,
      experiments: new ExperimentStore(),
      background: this.#background,
      hooks: new CallHookRegistry(),
      ids: new RouterIds(),
      provider: (id) => providerMap.get(id),
      capabilities: (provider, model) => ({
        ...defaultCapabilities,
        contextWindow: prices.contextWindow(provider, model),
        ...providerMap.get(provider)?.capabilities?.(model),
      }),
    }
    this.routeMap = buildRoutes(config.routes, this.providerMap, prices)
    for (const [routeName, strategy] of this.routeMap) this.routePlans.set(routeName, { strategy, routeName })
    this.#http = validateHttpOptions(config.http)
    this.#features = installRouterFeatures(features, config, this.#core, (name) => this.routeMap.get(name)?.models)
  }

  /** Route names, in definition order. */
  get routes(): RouteName[] {
    return [...this.routeMap.keys()] as RouteName[]
  }

  /** Registered provider ids. */
  get providers(): string[] {
    return [...this.providerMap.keys()]
  }

  /** Every route, every id a route uses and every model a provider declares, each once. */
  models(): ModelListing[] {
    const listed = new Map<string, ModelListing>()
    const add = (id: string, ownedBy: string, kind: ModelListing['kind']) => {
      if (!listed.has(id)) listed.set(id, { id, ownedBy, kind })
    }
    for (const name of this.routeMap.keys()) add(name, 'switchyard', 'route')
    for (const strategy of this.routeMap.values()) {
      for (const id of strategy.models) add(id, id.slice(0, id.indexOf('/')), 'model')
    }
    for (const [provider, adapter] of this.providerMap) {
      for (const model of adapter.models ?? []) add(`${provider}/${model}`, provider, 'model')
    }
    return [...listed.values()]
  }

  /** One model name; an unknown one throws an `InvalidRequestError` (404). */
  model(id: string): ModelListing {
    if (this.routeMap.has(id)) return { id, ownedBy: 'switchyard', kind: 'route' }
    const candidate = this.resolveCandidate(id)
    return { id, ownedBy: candidate.provider, kind: 'model' }
  }

  /**
   * What this router has done since it was created: spend by model, route, tag, call kind and
   * minute; latency and time-to-first-token percentiles; error, fallback and cache-hit rates; and
   * the A/B experiments. Collected in bounded memory, without OpenTelemetry.
   */
  report(): RouterReport {
    const report = this.#features.report
    if (!report) throw missingFeature('router.report()', 'reportFeature')
    return report.report()
  }

  /**
   * `report()` with its spend figures for every instance: with a shared store (`redisStore`) and
   * spend control, spend by model, route, tag and hour comes from the spend ledger all instances
   * write, for the last 24 hours (`spend.source: 'shared-ledger'`). Otherwise the same as `report()`.
   * The other figures (latency, errors, cache) are this instance's.
   */
  sharedReport(): Promise<RouterReport> {
    const sharedReport = this.#features.sharedReport
    if (!sharedReport) return Promise.reject(missingFeature('router.sharedReport()', 'reportFeature'))
    return sharedReport()
  }

  /**
   * The A/B experiments run by `abTest()` strategies: per variant calls, wins, losses, ties, win rate
   * with its 95% interval, cost and latency, and a recommendation once a winner is clear.
   */
  experiments(): ExperimentReport[] {
    return this.#core.experiments.report()
  }

  /**
   * With a shared store (`redisStore`): writes this instance's A/B counts to it and reads other
   * instances' cool-downs and counts now, instead of at the next sync interval. Never rejects.
   */
  async syncSharedState(): Promise<void> {
    await this.#features.sharedState?.sync()
  }

  /**
   * What the router has spent in a window (`'day'` and `'month'` are the current UTC periods, or a
   * rolling `'1h'`, `'7d'`, ...), optionally grouped `by` user, route, provider, model or
   * `{ tag: 'name' }`. Every attempt's exact cost counts, failed attempts that cost something
   * included. Read from the router's store, so with a shared store it covers every instance.
   */
  spend(query?: SpendQuery): Promise<SpendReport> {
    const spend = this.#features.spend
    return spend ? spend.report(query) : Promise.reject(missingFeature('router.spend()', 'spendControlFeature'))
  }

  /** Where each budget that covers these attributes (user, tags, route, provider, `provider/model`) stands now. */
  budgets(attributes: { user?: string; tags?: Record<string, string>; route?: string; provider?: string; model?: string } = {}): Promise<BudgetStatus[]> {
    const spend = this.#features.spend
    if (!spend) return Promise.reject(missingFeature('router.budgets()', 'spendControlFeature'))
    return spend.budgetStatus({
      user: attributes.user,
      tags: attributes.tags ?? {},
      route: attributes.route ?? null,
      provider: attributes.provider ?? '',
      model: attributes.model ?? '',
    })
  }

  /** Subscribes to router events; returns the unsubscribe function. */
  on(listener: RouterEventListener): () => void {
    return this.#core.events.on(listener)
  }

  /**
   * Waits for the work the router does in the background (A/B shadow runs and their judge calls,
   * and whatever its features still have pending), then releases what they hold. Calls made after
   * `close()` reject with a `ConfigurationError`; calls already running finish normally.
   */
  async close(): Promise<void> {
    this.closed = true
    await this.#core.background.close()
  }

  /**
   * One chat completion, routed. OpenAI Chat Completions shape in and out, plus `tokens` (the
   * canonical usage breakdown), `cost` and `route`. With `options.strategy`, `model` may be left out.
   */
  chat(request: Partial<RouterChatRequest<RouteName>> & ChatParameters, options: StrategyCallOptions): Promise<ChatResult>
  chat(request: RouterChatRequest<RouteName>, options?: CallOptions): Promise<ChatResult>
  async chat(request: Partial<RouterChatRequest<RouteName>> & ChatParameters, options: CallOptions = {}): Promise<ChatResult> {
    validateCallOptions(options)
    validateChatRequest(request, options.strategy !== undefined)
    const plan = this.plan(request.model, options.strategy)
    const startedAt = performance.now()
    const created = Math.floor(Date.now() / 1000)
    const parameters = parametersOf(request)
    const call = this.callInfo('chat', plan, options, request.user, request.model)
    const observersLoading = this.observersReady()
    if (observersLoading) await observersLoading
    this.startCall(call, parameters)
    try {
      // No await unless a feature looks an answer up for this call: that is the hot path.
      const looking = this.#core.hooks.lookups.length > 0 ? this.lookup(call, parameters, request.model, plan) : undefined
      const cached = looking instanceof Promise ? await looking : looking
      if (cached) {
        const result = this.cachedResult(cached, plan, startedAt, created)
        this.endCall(call, startedAt, { ok: true, route: result.route, cost: result.cost, usage: cached.response.usage, finishReason: cached.response.finishReason })
        return result
      }
      const context = this.context(parameters, plan, call, options.signal, options.waitUntil)
      let returned: unknown
      try {
        returned = await this.runStrategy(plan, context)
      } catch (error) {
        throw this.strategyFailure(plan, context, error)
      }
      const made = this.recognise(plan, context, returned)
      // The strategy's own response, which a wrapping strategy may have rewritten.
      const response = (returned as { response?: unknown }).response
      if (!isObject(response) || !isObject(response.message)) {
        throw new StrategyError(plan.strategy.name, 'resolved with a chat attempt result that has no `response`.')
      }
      const answer = response as unknown as ModelResponse
      const route = buildRoute({ routeName: plan.routeName, candidate: made.candidate, strategy: plan.strategy.name, attempts: context.attempts, startedAt })
      const result = buildChatResult(answer, made.candidate, callCost(context.billedAttempts(), made.attempt), route, created, this.#core.ids)
      this.endCall(call, startedAt, { ok: true, route, cost: result.cost, usage: answer.usage, finishReason: answer.finishReason })
      // No events for a whole answer: a replay derives them from the response (see `replay`).
      if (this.#core.hooks.completes.length > 0) this.complete(call, parameters, request.model, plan, made.candidate, answer, noEvents, made.attempt.cost?.total ?? null)
      return result
    } catch (error) {
      this.endCall(call, startedAt, { ok: false, error })
      throw error
    }
  }

  /**
   * A streamed chat completion. Bad input throws here, synchronously. A stream that fails before
   * its first token falls back to the next candidate invisibly; after that, iteration throws a
   * `StreamInterruptedError` carrying the partial output. With `options.strategy`, `model` may be left out.
   */
  stream(request: Partial<RouterChatRequest<RouteName>> & ChatParameters, options: StrategyCallOptions): ChatStream
  stream(request: RouterChatRequest<RouteName>, options?: CallOptions): ChatStream
  stream(request: Partial<RouterChatRequest<RouteName>> & ChatParameters, options: CallOptions = {}): ChatStream {
    validateCallOptions(options)
    validateChatRequest(request, options.strategy !== undefined)
    const plan = this.plan(request.model, options.strategy)
    return new ChatStream((onResult, onFailure) => {
      const code = streamCode.loaded
      if (code) return code.runStream(this.streamHost(), request, plan, options, onResult, onFailure)
      return afterLoading(streamCode.load().then((loaded) => loaded.runStream(this.streamHost(), request, plan, options, onResult, onFailure)), onFailure)
    })
  }

  #streamHost: StreamHost | undefined

  /** This router's steps for its streams, bound once, at its first stream. */
  private streamHost(): StreamHost {
    return (this.#streamHost ??= {
      core: this.#core,
      callInfo: this.callInfo.bind(this),
      observersReady: this.observersReady.bind(this),
      startCall: this.startCall.bind(this),
      endCall: this.endCall.bind(this),
      lookup: this.lookup.bind(this),
      context: this.context.bind(this),
      runStrategy: this.runStrategy.bind(this),
      strategyFailure: this.strategyFailure.bind(this),
      recognise: this.recognise.bind(this),
      complete: this.complete.bind(this),
      cachedRoute: this.cachedRoute.bind(this),
    })
  }

  /** Embeddings, routed like chat calls. OpenAI embeddings shape plus `cost` and `route`. With `options.strategy`, `model` may be left out. */
  embed(request: Partial<RouterEmbedRequest<RouteName>> & Pick<RouterEmbedRequest, 'input'>, options: StrategyCallOptions): Promise<EmbedResult>
  embed(request: RouterEmbedRequest<RouteName>, options?: CallOptions): Promise<EmbedResult>
  async embed(request: Partial<RouterEmbedRequest<RouteName>> & Pick<RouterEmbedRequest, 'input'>, options: CallOptions = {}): Promise<EmbedResult> {
    validateCallOptions(options)
    validateEmbedRequest(request, options.strategy !== undefined)
    const plan = this.plan(request.model, options.strategy)
    const startedAt = performance.now()
    const input = typeof request.input === 'string' ? [request.input] : request.input
    const parameters = parametersOf(request) as EmbedParameters
    parameters.input = input
    const call = this.callInfo('embed', plan, options, undefined, request.model)
    const observersLoading = this.observersReady()
    if (observersLoading) await observersLoading
    this.startCall(call, parameters)
    try {
      const hooks = this.#core.hooks
      // No await when no feature caches embeddings: that is the hot path.
      const cached = hooks.embeddingLookups.length > 0 ? await this.lookupEmbedding(call, parameters, request.model, plan) : undefined
      if (cached) {
        const route = this.cachedRoute(cached, plan, startedAt)
        const result = buildEmbedResult(cached.response, cached.candidate.id, savedCost(cached), route)
        this.endCall(call, startedAt, { ok: true, route, cost: result.cost })
        return result
      }
      const context = this.context(parameters, plan, call, options.signal, options.waitUntil)
      let returned: unknown
      try {
        returned = await this.runStrategy(plan, context)
      } catch (error) {
        throw this.strategyFailure(plan, context, error)
      }
      const made = this.recognise(plan, context, returned)
      const embedding = (returned as { embedding?: unknown }).embedding
      if (!isObject(embedding) || !Array.isArray(embedding.embeddings) || !isObject(embedding.usage)) {
        throw new StrategyError(plan.strategy.name, 'resolved with an embed attempt result that has no `embedding`.')
      }
      const answer = embedding as unknown as EmbedModelResponse
      const route = buildRoute({ routeName: plan.routeName, candidate: made.candidate, strategy: plan.strategy.name, attempts: context.attempts, startedAt })
      const result = buildEmbedResult(answer, made.candidate.id, callCost(context.billedAttempts(), made.attempt), route)
      this.endCall(call, startedAt, { ok: true, route, cost: result.cost })
      if (hooks.embeddingCompletes.length > 0) {
        const stored = { candidate: made.candidate, response: answer, originalCostUsd: made.attempt.cost?.total ?? null }
        const key = this.resolvedModel(request.model, plan)
        for (const complete of hooks.embeddingCompletes) {
          try {
            complete(call, parameters, key, stored)
          } catch (error) {
            this.hookWarning('complete_failed', 'storing a finished embedding failed', error)
          }
        }
      }
      return result
    } catch (error) {
      this.endCall(call, startedAt, { ok: false, error })
      throw error
    }
  }

  /**
   * The request's input tokens, counted by the provider of the model it names (a route: its first
   * model): the provider's counting endpoint (Anthropic, Gemini) or the model's public tokenizer
   * (OpenAI). Any other model is an `UnsupportedFeatureError` (a 400), never an estimate.
   */
  async countTokens(request: RouterChatRequest<RouteName>, options: Pick<CallOptions, 'signal'> = {}): Promise<TokenCountResult> {
    validateChatRequest(request)
    const model = request.model as string | readonly string[]
    const first = typeof model === 'string' ? this.routeMap.get(model)?.models[0] ?? model : model[0]
    const candidate = this.resolveCandidate(first ?? '')
    return countRequestTokens(request as ChatRequest, candidate, this.providerMap.get(candidate.provider), options.signal)
  }

  /**
   * Resolves a `provider/model` id; an unknown provider, or a model its provider's `models` list
   * does not declare, is the caller's mistake.
   */
  private resolveCandidate(id: string): Candidate {
    const known = this.candidates.get(id)
    if (known) return known
    const slash = id.indexOf('/')
    const provider = slash > 0 ? id.slice(0, slash) : ''
    const model = id.slice(slash + 1)
    const adapter = this.providerMap.get(provider)
    if (!adapter || model === '') {
      throw new InvalidRequestError(
        `Unknown model "${id}": use a route (${this.routes.join(', ') || 'none defined'}) or a "provider/model" id with a registered provider (${this.providers.join(', ')}).`,
        { status: 404 },
      )
    }
    if (adapter.models && !adapter.models.includes(model)) {
      throw new InvalidRequestError(
        `Unknown model "${id}": provider "${provider}" is restricted to the models it declares (${adapter.models.join(', ')}).`,
        { status: 404, provider, model },
      )
    }
    const candidate: Candidate = { id, provider, model }
    // One object per id: the per-model look-ups that follow (price, health, statistics) then key on
    // the same strings every call. Bounded, since ids come from callers.
    if (this.candidates.size < maxCachedCandidates) this.candidates.set(id, candidate)
    return candidate
  }

  private plan(model: AnyModelReference, override: Strategy | undefined): Plan {
    if (this.closed) throw new ConfigurationError('This router has been closed (router.close()); create a new one to make more calls.')
    if (override !== undefined) {
      checkStrategy(override, 'options.strategy', (message) => new InvalidRequestError(message, { status: 400 }))
      if (override.models.length === 0) throw new InvalidRequestError(`Invalid request: the per-call strategy "${override.name}" lists no models.`, { status: 400 })
      for (const id of override.models) {
        try {
          checkModelId(id, `the per-call strategy "${override.name}"`, this.providerMap, this.#core.prices)
        } catch (error) {
          // Checked like a route's models, but a per-call strategy is the caller's mistake (400).
          if (error instanceof ConfigurationError) throw new InvalidRequestError(`Invalid request: ${error.message}`, { status: 400 })
          throw error
        }
        this.resolveCandidate(id)
      }
      return { strategy: override, routeName: typeof model === 'string' && this.routeMap.has(model) ? model : null, override: true }
    }
    if (typeof model !== 'string') {
      const ids = model as readonly string[]
      if (ids.length > this.callLimits.maxModelsPerCall) {
        throw new InvalidRequestError(`Invalid request: \`model\` lists ${ids.length} ids; at most ${this.callLimits.maxModelsPerCall} are allowed (callLimits.maxModelsPerCall).`, { status: 400 })
      }
      for (const id of ids) this.resolveCandidate(id)
      return { strategy: fallback(ids), routeName: null }
    }
    const route = this.routePlans.get(model)
    if (route) return route
    let direct = this.directPlans.get(model)
    if (!direct) {
      this.resolveCandidate(model)
      direct = { strategy: fallback([model]), routeName: null }
      // Bounded: ids come from callers, and a cache must not grow without end.
      if (this.directPlans.size < maxCachedDirectPlans) this.directPlans.set(model, direct)
    }
    return direct
  }

  private callInfo(operation: Operation, plan: Plan, options: CallOptions, requestUser: string | undefined, model: AnyModelReference): CallInfo {
    const user = options.user ?? requestUser
    const callId = this.#core.ids.callId()
    const tags = options.tags ?? noTags
    type Writable = { -readonly [Key in keyof CallInfo]: CallInfo[Key] }
    // Without a caller's signal, the never-firing stand-in is made only if something reads it.
    const call: Writable = options.signal
      ? { callId, kind: 'call', operation, routeName: plan.routeName, strategy: plan.strategy.name, tags, signal: options.signal }
      : (new LazySignalCallInfo(callId, 'call', operation, plan.routeName, plan.strategy.name, tags) as Writable)
    if (user !== undefined) call.user = user
    if (model !== undefined) call.requestedModel = typeof model === 'string' ? model : model.join(',')
    if (options.cache !== undefined) call.cache = options.cache
    if (options.maxCostUsd !== undefined) {
      // A cap nothing enforces would be worse than none: say so before any provider is called.
      if (!this.#features.spend) throw missingFeature('The `maxCostUsd` call option', 'spendControlFeature')
      call.maxCostUsd = options.maxCostUsd
    }
    return call
  }

  private context(request: ChatParameters | EmbedParameters, plan: Plan, call: CallInfo, callerSignal: AbortSignal | undefined, waitUntil: CallOptions['waitUntil']): CallContext {
    return new CallContext({
      operation: call.operation,
      request,
      routeName: plan.routeName,
      callerSignal: listenableSignal(callerSignal),
      // Work the call's strategy leaves running (an A/B shadow run, its judge) is also handed to the platform.
      services: waitUntil ? { ...this.#core, background: this.#background.handingTo(waitUntil) } : this.#core,
      resolveCandidate: this.candidateResolver,
      call,
      made: this.#made,
      attemptBudget: { remaining: this.callLimits.maxAttemptsPerCall, limit: this.callLimits.maxAttemptsPerCall },
      streamLimits: this.streamLimits,
      liveStreamAttempt,
    })
  }

  /** Resolves at once, without a tick, unless an observer still loads an optional peer (telemetry's first call). */
  private observersReady(): Promise<unknown> | undefined {
    const { hooks } = this.#core
    return hooks.observers.length > 0 ? hooks.ready() : undefined
  }

  /**
   * Starts the strategy's run, bound to the caller's signal: an abort settles the call at once even
   * when a (custom) strategy ignores the signal. A strategy that ranks by price reads it before any
   * provider is called: when one of its models is priced by the full catalog only, the catalog is
   * loaded first; others load it, when needed, while the provider answers (attempt-runner). The
   * caller awaits it in its own frame, so a call spends no async frame of its own on it.
   */
  private runStrategy(plan: Plan, context: CallContext): Promise<unknown> {
    const run = () => plan.strategy.run(asStrategyContext(context))
    try {
      let catalogLoading: Promise<void> | undefined
      if (plan.strategy.readsPricesBeforeAttempts !== false) for (const id of plan.strategy.models) catalogLoading ??= this.#core.prices.loadCatalogFor(this.resolveCandidate(id))
      context.running = catalogLoading ? catalogLoading.then(run) : run()
    } catch (error) {
      context.running = Promise.reject(error)
    }
    const signal = context.callerSignal
    return signal ? abortable(context.running!, signal) : context.running!
  }

  /**
   * What a failed strategy run throws: an abort as an `AbortedError` (an answer the strategy still
   * produces afterwards is cancelled), a typed error as it is, anything else as the strategy's own
   * mistake.
   */
  private strategyFailure(plan: Plan, context: CallContext, error: unknown): unknown {
    if (context.callerSignal?.aborted) {
      void Promise.resolve(context.running).then((late) => (late as { cancel?: () => void } | undefined)?.cancel?.(), () => {})
      return error instanceof AbortedError ? error : new AbortedError('The call was aborted by its AbortSignal.', { cause: error })
    }
    if (error instanceof SwitchyardError) return error
    const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    return new StrategyError(plan.strategy.name, `threw ${what}`, { cause: error })
  }

  /**
   * The attempt a strategy resolved with, recognised by its record, whether the strategy returned
   * the result it got, a wrapper of it or a copy. It must be one of this call's own attempts, of
   * the call's operation.
   */
  private recognise(plan: Plan, context: CallContext, returned: unknown): MadeAttempt {
    const name = plan.strategy.name
    const record = isObject(returned) ? returned.attempt : undefined
    if (!isObject(record)) {
      throw new StrategyError(name, `resolved with ${describeValue(returned)}, not an attempt result; resolve with what context.attempt() gave (or a wrapper of it).`)
    }
    const made = context.resultOf(record as unknown as Attempt) ?? this.#made.get(record as unknown as Attempt)
    if (made && made.operation !== context.operation) {
      throw new StrategyError(name, `resolved with a ${made.operation} attempt result for a ${context.operation} call; a side call's (fork's) result cannot answer the call.`)
    }
    if (!made || !context.attempts.includes(made.attempt)) {
      throw new StrategyError(name, 'resolved with an attempt result this call did not make; resolve with one that this call\'s context.attempt() gave.')
    }
    return made
  }

  private startCall(call: CallInfo, request: Readonly<ChatParameters> | Readonly<{ input: string[] }>): void {
    const { events, hooks } = this.#core
    if (events.hasListeners) {
      events.emit({
        type: 'call-start',
        callId: call.callId,
        operation: call.operation,
        routeName: call.routeName,
        strategy: call.strategy,
        ...(call.tags !== noTags ? { tags: call.tags } : {}),
        ...(call.user !== undefined ? { user: call.user } : {}),
      })
    }
    if (hooks.observers.length > 0) hooks.notify('callStart', call, request)
  }

  private endCall(call: CallInfo, startedAt: number, outcome: CallOutcome): void {
    const { events, hooks } = this.#core
    if (events.hasListeners) {
      const { callId, operation, routeName } = call
      const latencyMs = performance.now() - startedAt
      // Two literals rather than a shared part spread into each: fields added to a spread copy cost ~0.6 µs each on Node 20.
      events.emit(
        outcome.ok
          ? { type: 'call-end', callId, operation, routeName, latencyMs, outcome: 'success', cost: outcome.cost, cacheHit: outcome.route.cacheHit }
          : { type: 'call-end', callId, operation, routeName, latencyMs, outcome: 'error', error: outcome.error instanceof SwitchyardError ? outcome.error : undefined },
      )
    }
    if (hooks.observers.length > 0) hooks.notify('callEnd', call, outcome)
  }

  /** The key `lookup` and `complete` hooks file an answer under: what the caller asked for. */
  private resolvedModel(model: AnyModelReference, plan: Plan): string {
    if (plan.override || model === undefined) return `strategy:${plan.strategy.name}:${plan.strategy.models.join(',')}`
    return typeof model === 'string' ? model : model.join(',')
  }

  /**
   * Asks the `lookup` hooks for a stored answer; a failing hook is a miss, never a failed call. A
   * promise only when a hook gave one: hooks with nothing to look up cost the call no tick.
   */
  private lookup(call: CallInfo, request: ChatParameters, model: AnyModelReference, plan: Plan): CachedAnswer | undefined | Promise<CachedAnswer | undefined> {
    const key = this.resolvedModel(model, plan)
    const lookups = this.#core.hooks.lookups
    for (let index = 0; index < lookups.length; index += 1) {
      let answer: CachedAnswer | undefined | Promise<CachedAnswer | undefined>
      try {
        answer = lookups[index]!(call, request, key)
      } catch (error) {
        this.hookWarning('lookup_failed', 'a response-cache look-up failed; the call runs without it', error)
        continue
      }
      if (answer instanceof Promise) return this.lookupFrom(index, answer, call, request, key)
      if (answer) return this.served(call, answer)
    }
    return undefined
  }

  /** The rest of `lookup`, once a hook answered with a promise. */
  private async lookupFrom(index: number, pending: Promise<CachedAnswer | undefined>, call: CallInfo, request: ChatParameters, key: string): Promise<CachedAnswer | undefined> {
    const lookups = this.#core.hooks.lookups
    for (let next = index; next < lookups.length; next += 1) {
      try {
        const answer = await (next === index ? pending : lookups[next]!(call, request, key))
        if (answer) return this.served(call, answer)
      } catch (error) {
        this.hookWarning('lookup_failed', 'a response-cache look-up failed; the call runs without it', error)
      }
    }
    return undefined
  }

  /** Asks the embedding `lookup` hooks for a stored embedding; a failing hook is a miss, never a failed call. */
  private async lookupEmbedding(call: CallInfo, request: EmbedParameters, model: AnyModelReference, plan: Plan): Promise<CachedEmbedding | undefined> {
    const key = this.resolvedModel(model, plan)
    for (const lookup of this.#core.hooks.embeddingLookups) {
      try {
        const answer = await lookup(call, request, key)
        if (answer) {
          this.#core.hooks.notify('cacheHit', call, answer)
          return answer
        }
      } catch (error) {
        this.hookWarning('lookup_failed', 'an embedding-cache look-up failed; the call runs without it', error)
      }
    }
    return undefined
  }

  private served(call: CallInfo, answer: CachedAnswer): CachedAnswer {
    this.#core.hooks.notify('cacheHit', call, answer)
    return answer
  }

  /** Offers a finished answer to the `complete` hooks. */
  private complete(
    call: CallInfo,
    request: ChatParameters,
    model: AnyModelReference,
    plan: Plan,
    candidate: Candidate,
    response: ModelResponse,
    events: CachedAnswer['events'],
    originalCostUsd: number | null,
  ): void {
    const key = this.resolvedModel(model, plan)
    const answer: CachedAnswer = { candidate, response, events, originalCostUsd }
    for (const complete of this.#core.hooks.completes) {
      try {
        complete(call, request, key, answer)
      } catch (error) {
        this.hookWarning('complete_failed', 'storing a finished answer failed', error)
      }
    }
  }

  private hookWarning(code: string, what: string, error: unknown): void {
    const reason = error instanceof SwitchyardError ? error.code : error instanceof Error ? error.name : 'error'
    this.#core.events.emit({ type: 'warning', code, message: `${what} (${reason}).` })
  }

  private cachedRoute(answer: Pick<CachedAnswer, 'candidate'>, plan: Plan, startedAt: number): RouteInfo {
    return {
      name: plan.routeName,
      provider: answer.candidate.provider,
      model: answer.candidate.model,
      strategy: plan.strategy.name,
      attempts: [],
      latencyMs: performance.now() - startedAt,
      cacheHit: true,
    }
  }

  /** A chat result served from a stored answer: no attempt was made, so nothing was paid. */
  private cachedResult(answer: CachedAnswer, plan: Plan, startedAt: number, created: number): ChatResult {
    return buildChatResult(answer.response, answer.candidate, savedCost(answer), this.cachedRoute(answer, plan, startedAt), created, this.#core.ids)
  }
}
