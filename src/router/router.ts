import { CallContext } from './attempt-runner.js'
import { LiveStreamAttempt } from './live-stream-attempt.js'
import { buildChatResult, buildRoute, callCost, newResponseId } from './build-result.js'
import { neverAbortedSignal } from './abortable.js'
import { ChatStream } from './chat-stream.js'
import { PriceBook, validatePriceTable } from '../cost/price-book.js'
import { AbortedError, ConfigurationError, InvalidRequestError, ProviderError, StreamInterruptedError, SwitchyardError } from '../errors/errors.js'
import { EventHub, type RouterEventListener } from './events.js'
import { buildRoutes, validateProviders, type RouterConfig } from './router-config.js'
import type { RouterServices } from './router-services.js'
import { ExperimentStore, type ExperimentReport } from '../state/experiment-store.js'
import { HealthTracker } from '../state/health-tracker.js'
import { ModelStats } from '../state/model-stats.js'
import type { ChatRequest, EmbedRequest } from '../spec/request.js'
import type { ChatChunk, ChatResult, EmbedResult } from '../spec/response.js'
import { validateChatRequest, validateEmbedRequest } from './validate-request.js'
import { StreamAssembler } from './stream-assembler.js'
import type { ModelCapabilities, ProviderAdapter } from '../spec/provider-adapter.js'
import { fallback } from '../strategies/fallback.js'
import type { Candidate, Operation, Strategy } from '../spec/strategy.js'
import { createOpenAIFacade, type OpenAIFacade } from '../facades/openai-facade.js'
import { createAnthropicFacade, type AnthropicFacade } from '../facades/anthropic-facade.js'
import { createFetchHandler, type FetchHandler } from '../facades/fetch-handler.js'

export interface CallOptions {
  /** Aborts the call: in-flight attempts are cancelled and the call rejects with `AbortedError`. */
  signal?: AbortSignal
  /** Runs this strategy instead of the one `model` names (its models are checked like a route's). */
  strategy?: Strategy
}

/** What runs one call; shared by every call to the same route or model, so read-only. */
interface Plan {
  readonly strategy: Strategy
  readonly routeName: string | null
}

const maxCachedDirectPlans = 1_000
const maxCachedCandidates = 1_000
const defaultCapabilities: ModelCapabilities = { tools: true, vision: true, json_schema: true, reasoning: false }

/**
 * A router instance. All state (health, latency statistics, listeners, price look-ups) lives
 * here, so two routers never share anything.
 */
export class Router {
  /** Services shared with strategies; exposed for custom strategies and diagnostics. */
  readonly services: RouterServices
  /** Drop-in for code written against the OpenAI SDK: `router.openai.chat.completions.create(params)`. */
  readonly openai: OpenAIFacade = createOpenAIFacade(this)
  /** Drop-in for code written against the Anthropic SDK: `router.anthropic.messages.create(params)`. */
  readonly anthropic: AnthropicFacade = createAnthropicFacade(this)
  /** An OpenAI- and Anthropic-compatible HTTP endpoint in-process; works unbound (`fetch: router.fetch`). */
  readonly fetch: FetchHandler = createFetchHandler(this)
  private readonly providerMap: Map<string, ProviderAdapter>
  private readonly routeMap: Map<string, Strategy>
  /** The plan (a one-model fallback) of each `provider/model` id called directly, built once. */
  private readonly directPlans = new Map<string, Plan>()
  /** Each route's plan, built once. */
  private readonly routePlans = new Map<string, Plan>()
  /** Every `provider/model` id resolved so far, resolved once. */
  private readonly candidates = new Map<string, Candidate>()
  /** Bound once, not per call: every call's context resolves candidates through it. */
  private readonly candidateResolver = (id: string) => this.resolveCandidate(id)

  constructor(config: RouterConfig) {
    if (!config || typeof config !== 'object') {
      throw new ConfigurationError('createRouter needs a configuration object: createRouter({ providers: [...] }).')
    }
    this.providerMap = validateProviders(config.providers)
    validatePriceTable(config.prices)
    const catalogIds = new Map([...this.providerMap].map(([id, adapter]) => [id, adapter.catalogId]))
    const prices = new PriceBook(config.prices ?? {}, catalogIds)
    const events = new EventHub()
    if (config.onEvent) events.on(config.onEvent)
    const providerMap = this.providerMap
    this.services = {
      prices,
      health: new HealthTracker(config.health),
      stats: new ModelStats(),
      events,
      experiments: new ExperimentStore(),
      provider: (id) => providerMap.get(id),
      capabilities: (provider, model) => ({
        ...defaultCapabilities,
        contextWindow: prices.resolve(provider, model)?.contextWindow,
        ...providerMap.get(provider)?.capabilities?.(model),
      }),
    }
    this.routeMap = buildRoutes(config.routes, this.providerMap, prices)
    for (const [routeName, strategy] of this.routeMap) this.routePlans.set(routeName, { strategy, routeName })
  }

  /** Route names, in definition order. */
  get routes(): string[] {
    return [...this.routeMap.keys()]
  }

  /** Registered provider ids. */
  get providers(): string[] {
    return [...this.providerMap.keys()]
  }

  /** The `provider/model` ids a route may use, or `undefined` when no route has that name. */
  routeModels(name: string): readonly string[] | undefined {
    return this.routeMap.get(name)?.models
  }

  /**
   * The A/B experiments run by `abTest()` strategies: per variant calls, wins, losses, ties, win rate
   * with its 95% interval, cost and latency, and a recommendation once a winner is clear.
   */
  experiments(): ExperimentReport[] {
    return this.services.experiments.report()
  }

  /** Subscribes to router events; returns the unsubscribe function. */
  on(listener: RouterEventListener): () => void {
    return this.services.events.on(listener)
  }

  /** One chat completion, routed. OpenAI Chat Completions shape in and out, plus `cost` and `route`. */
  async chat(request: ChatRequest, options: CallOptions = {}): Promise<ChatResult> {
    validateChatRequest(request)
    const plan = this.plan(request.model, options.strategy)
    const startedAt = performance.now()
    const created = Math.floor(Date.now() / 1000)
    const context = this.context('chat', request, plan, options.signal)
    const winner = await plan.strategy.run(context)
    if (!winner.response) throw new ProviderError(`Strategy "${plan.strategy.name}" returned an attempt without a response.`)
    const route = buildRoute({ routeName: plan.routeName, candidate: winner.candidate, strategy: plan.strategy.name, attempts: context.attempts, startedAt })
    return buildChatResult(winner.response, winner.candidate, callCost(context.attempts, winner.attempt), route, created)
  }

  /**
   * A streamed chat completion. Bad input throws here, synchronously. A stream that fails before
   * its first token falls back to the next candidate invisibly; after that, iteration throws a
   * `StreamInterruptedError` carrying the partial output.
   */
  stream(request: ChatRequest, options: CallOptions = {}): ChatStream {
    validateChatRequest(request)
    const plan = this.plan(request.model, options.strategy)
    return new ChatStream((onResult) => this.runStream(request, plan, options.signal, onResult))
  }

  /** Embeddings, routed like chat calls. OpenAI embeddings shape plus `cost` and `route`. */
  async embed(request: EmbedRequest, options: CallOptions = {}): Promise<EmbedResult> {
    validateEmbedRequest(request)
    const plan = this.plan(request.model, options.strategy)
    const startedAt = performance.now()
    const { model: _model, ...parameters } = request
    const input = typeof request.input === 'string' ? [request.input] : request.input
    const context = this.context('embed', { ...parameters, input }, plan, options.signal)
    const winner = await plan.strategy.run(context)
    if (!winner.embedding) throw new ProviderError(`Strategy "${plan.strategy.name}" returned an attempt without embeddings.`)
    const route = buildRoute({ routeName: plan.routeName, candidate: winner.candidate, strategy: plan.strategy.name, attempts: context.attempts, startedAt })
    // OpenAI's shape needs a number; a provider that reports none shows 0 here and `cost` says unknown.
    const tokens = winner.embedding.usage.inputTokens ?? 0
    return {
      object: 'list',
      model: winner.candidate.id,
      data: winner.embedding.embeddings.map((item) => ({ object: 'embedding', index: item.index, embedding: item.embedding })),
      usage: { prompt_tokens: tokens, total_tokens: tokens },
      cost: callCost(context.attempts, winner.attempt),
      route,
    }
  }

  /** Resolves a `provider/model` id; an unknown provider is the caller's mistake. */
  resolveCandidate(id: string): Candidate {
    const known = this.candidates.get(id)
    if (known) return known
    const slash = id.indexOf('/')
    const provider = slash > 0 ? id.slice(0, slash) : ''
    const model = id.slice(slash + 1)
    if (!this.providerMap.has(provider) || model === '') {
      throw new InvalidRequestError(
        `Unknown model "${id}": use a route (${this.routes.join(', ') || 'none defined'}) or a "provider/model" id with a registered provider (${this.providers.join(', ')}).`,
        { status: 404 },
      )
    }
    const candidate: Candidate = { id, provider, model }
    // One object per id: the per-model look-ups that follow (price, health, statistics) then key on
    // the same strings every call. Bounded, since ids come from callers.
    if (this.candidates.size < maxCachedCandidates) this.candidates.set(id, candidate)
    return candidate
  }

  private plan(model: string | string[], override: Strategy | undefined): Plan {
    if (override) {
      for (const id of override.models) this.resolveCandidate(id)
      return { strategy: override, routeName: typeof model === 'string' && this.routeMap.has(model) ? model : null }
    }
    if (Array.isArray(model)) {
      for (const id of model) this.resolveCandidate(id)
      return { strategy: fallback(model), routeName: null }
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

  private context(operation: Operation, request: object, plan: Plan, signal: AbortSignal | undefined): CallContext {
    const { model: _model, ...parameters } = request as { model?: unknown }
    return new CallContext({
      operation,
      request: parameters as CallContext['request'],
      routeName: plan.routeName,
      signal: signal ?? neverAbortedSignal(),
      services: this.services,
      resolveCandidate: this.candidateResolver,
    })
  }

  private async *runStream(
    request: ChatRequest,
    plan: Plan,
    signal: AbortSignal | undefined,
    onResult: (result: ChatResult) => void,
  ): AsyncGenerator<ChatChunk> {
    const startedAt = performance.now()
    const created = Math.floor(Date.now() / 1000)
    const context = this.context('stream', request, plan, signal)
    const winner = await plan.strategy.run(context)
    if (!(winner instanceof LiveStreamAttempt)) {
      throw new ProviderError(`Strategy "${plan.strategy.name}" returned an attempt that is not a live stream.`)
    }
    const assembler = new StreamAssembler(newResponseId(), created, winner.candidate.id)
    let ended = false
    try {
      for await (const event of winner.events()) {
        const chunk = assembler.push(event)
        if (chunk) yield chunk
      }
      ended = true
    } catch (raw) {
      ended = true
      const error = this.interruptedError(raw, winner, assembler, signal)
      winner.settle({ error, aborted: error instanceof AbortedError })
      throw error
    } finally {
      // The consumer stopped iterating early: stop the provider stream too.
      if (!ended) winner.cancel()
    }
    const response = assembler.response()
    // Built-in adapters fail a stream that ends without its finish event; a custom one may not, and
    // then no usage was reported: the cost is unknown rather than a made-up 0.
    winner.settle({ usage: response.usage, usageKnown: assembler.finished })
    const route = buildRoute({
      routeName: plan.routeName,
      candidate: winner.candidate,
      strategy: plan.strategy.name,
      attempts: context.attempts,
      startedAt,
      timeToFirstTokenMs: winner.attempt.timeToFirstTokenMs,
    })
    const result = buildChatResult(response, winner.candidate, callCost(context.attempts, winner.attempt), route, created)
    onResult(result)
    yield {
      id: assembler.chunks[0]?.id ?? result.id,
      object: 'chat.completion.chunk',
      created,
      model: winner.candidate.id,
      choices: [],
      usage: result.usage,
      cost: result.cost,
      route,
      ...(result.provider_metadata ? { provider_metadata: result.provider_metadata } : {}),
    }
  }

  private interruptedError(raw: unknown, winner: LiveStreamAttempt, assembler: StreamAssembler, signal: AbortSignal | undefined): SwitchyardError {
    const { provider, model, id } = winner.candidate
    if (signal?.aborted) return new AbortedError('The stream was aborted by its AbortSignal.', { provider, model, cause: raw })
    const cause = raw instanceof SwitchyardError ? raw : undefined
    const reason = raw instanceof Error ? raw.message : String(raw)
    return new StreamInterruptedError(`${id}: the stream failed after it had started (${reason}). The partial output is on error.partialText.`, {
      provider,
      model,
      status: cause?.status,
      retryable: false,
      cause: raw,
      partialText: assembler.partialText,
      partialChunks: [...assembler.chunks],
    })
  }
}

/** Creates a router. Bad configuration throws a `ConfigurationError` here, never at the first call. */
export function createRouter(config: RouterConfig): Router {
  return new Router(config)
}
