import { ConfigurationError } from '../errors/errors.js'
import type { PriceBook, PriceTable } from '../cost/price-book.js'
import type { HealthOptions } from '../state/health-tracker.js'
import type { RouterEventListener } from './events.js'
import type { ReportPageOptions } from '../report/report-page.js'
import type { TelemetryOption } from '../telemetry/telemetry-options.js'
import type { ProviderAdapter, ProviderSpecificationVersion } from '../spec/provider-adapter.js'
import type { Strategy } from '../spec/strategy.js'
import type { Store } from '../spec/store.js'
import type { ResponseCacheOptions } from '../state/response-cache.js'
import type { SharedStateOptions } from '../state/shared-state.js'
import { fallback } from '../strategies/fallback.js'
import type { HttpEndpointOptions } from './router-client.js'
import type { BudgetDefinition } from '../spend/budget-config.js'
import type { LimitDefinition } from '../spend/limit-config.js'
import type { SpendControlOptions } from '../spend/spend-control.js'

/** A route: a strategy, one `provider/model` id, or an array of ids (a fallback chain). */
export type RouteDefinition = Strategy | string | readonly string[]

/**
 * `createRouter()`'s configuration. `Routes` is inferred from `routes`, so route names are known
 * to the type checker and a misspelt one in `router.chat({ model })` does not compile.
 */
export interface RouterConfig<Routes extends Record<string, RouteDefinition> = Record<string, RouteDefinition>> {
  /** Provider adapters: `openai()`, `anthropic()`, `openaiCompatible({...})`, `mockProvider({...})`, ... */
  providers: ProviderAdapter[]
  /** List prices in USD per million tokens, keyed by `provider/model`; they override the catalog. */
  prices?: PriceTable
  /** Named routes usable as `model` in a call. */
  routes?: Routes
  /** When a model cools down after failures. */
  health?: HealthOptions
  /** Receives every router event (attempts, skipped candidates, warnings). */
  onEvent?: RouterEventListener
  /**
   * Where shared state lives: cool-downs, A/B counters and decisions, cached answers, budget and
   * rate-limit counters and the spend ledger. Default a
   * bounded in-process `memoryStore()`; `redisStore({ client })` shares it between instances.
   */
  store?: Store
  /** How often shared state is refreshed from the store (see `SharedStateOptions`). */
  sharedState?: SharedStateOptions
  /** The response cache: off unless given; `true` for the defaults (5-minute entries). */
  cache?: ResponseCacheOptions | boolean
  /**
   * OpenTelemetry spans and metrics (GenAI semantic conventions): `true` for the global tracer and
   * meter, or `{ tracer, meter, captureContent }`. Needs `@opentelemetry/api`, loaded on first use.
   */
  telemetry?: TelemetryOption
  /** Serve `router.report()` as an HTML page through `router.fetch`, guarded by a token. Off by default. */
  reportPage?: ReportPageOptions
  /** Limits of `router.fetch`, the HTTP endpoint (body size, what a client may choose). */
  http?: HttpEndpointOptions
  /** Bounds on what one call may cost in upstream requests, whoever chose its models. */
  callLimits?: CallLimits
  /** Bounds on a stream once it has started answering (before that, a strategy's `timeoutMs` applies). */
  streams?: StreamOptions
  /**
   * Spending limits in USD per window (`'day'`, `'month'`, `'1h'`, ...) for the whole router or a
   * scope (user, tag, route, provider, model). Each attempt reserves its worst case first; a call
   * that cannot fit fails with `BudgetExceededError` before any provider is called.
   */
  budgets?: BudgetDefinition[]
  /** Rate limits (rpm, tpm, concurrency) per provider, model, key-pool member, user or tag; they queue or reject. */
  limits?: LimitDefinition[]
  /** How budgets and token limits estimate an attempt before it runs. */
  spendControl?: SpendControlOptions
}

export interface StreamOptions {
  /**
   * The longest wait for the next event of a stream that has started, in ms; then it ends with a
   * `StreamInterruptedError` carrying the partial output. Default 120 000 (two minutes: far longer
   * than any pause of a healthy stream). 0 turns it off.
   */
  idleTimeoutMs?: number
  /** The longest a whole streamed attempt may take from its start, in ms. Default: none. */
  deadlineMs?: number
}

export const defaultStreamIdleTimeoutMs = 120_000

export function validateStreamOptions(streams: unknown): { idleTimeoutMs: number; deadlineMs?: number } {
  if (streams === undefined) return { idleTimeoutMs: defaultStreamIdleTimeoutMs }
  if (typeof streams !== 'object' || streams === null || Array.isArray(streams)) {
    throw new ConfigurationError('createRouter: `streams` must be an object such as { idleTimeoutMs: 30000, deadlineMs: 600000 }.')
  }
  const given = streams as StreamOptions
  if (given.idleTimeoutMs !== undefined && (typeof given.idleTimeoutMs !== 'number' || !Number.isFinite(given.idleTimeoutMs) || given.idleTimeoutMs < 0)) {
    throw new ConfigurationError(`createRouter: streams.idleTimeoutMs must be a number of ms ≥ 0 (got ${JSON.stringify(given.idleTimeoutMs)}).`)
  }
  if (given.deadlineMs !== undefined && (typeof given.deadlineMs !== 'number' || !Number.isFinite(given.deadlineMs) || given.deadlineMs <= 0)) {
    throw new ConfigurationError(`createRouter: streams.deadlineMs must be a positive number of ms (got ${JSON.stringify(given.deadlineMs)}).`)
  }
  return { idleTimeoutMs: given.idleTimeoutMs ?? defaultStreamIdleTimeoutMs, ...(given.deadlineMs !== undefined ? { deadlineMs: given.deadlineMs } : {}) }
}

export interface CallLimits {
  /** The most `provider/model` ids a `model` array (an ad-hoc fallback chain) may list. Default 10. */
  maxModelsPerCall?: number
  /** The most provider attempts one call may make, retries and side calls (a judge) included. Default 20. */
  maxAttemptsPerCall?: number
}

export const defaultCallLimits: Required<CallLimits> = { maxModelsPerCall: 10, maxAttemptsPerCall: 20 }

export function validateCallLimits(limits: unknown): Required<CallLimits> {
  if (limits === undefined) return defaultCallLimits
  if (typeof limits !== 'object' || limits === null || Array.isArray(limits)) {
    throw new ConfigurationError('createRouter: `callLimits` must be an object such as { maxModelsPerCall: 5, maxAttemptsPerCall: 10 }.')
  }
  const given = limits as CallLimits
  checkPositiveInteger(given.maxModelsPerCall, 'callLimits.maxModelsPerCall')
  checkPositiveInteger(given.maxAttemptsPerCall, 'callLimits.maxAttemptsPerCall')
  return { ...defaultCallLimits, ...given }
}

function checkPositiveInteger(value: unknown, where: string): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 1)) {
    throw new ConfigurationError(`createRouter: ${where} must be a positive integer (got ${JSON.stringify(value)}).`)
  }
}

export function validateHttpOptions(http: unknown): HttpEndpointOptions {
  if (http === undefined) return {}
  if (typeof http !== 'object' || http === null || Array.isArray(http)) {
    throw new ConfigurationError('createRouter: `http` must be an object such as { maxBodyBytes: 1048576 }.')
  }
  const options = http as HttpEndpointOptions
  checkPositiveInteger(options.maxBodyBytes, 'http.maxBodyBytes')
  if (options.routesOnly !== undefined && typeof options.routesOnly !== 'boolean') throw new ConfigurationError('createRouter: `http.routesOnly` must be true or false.')
  const allowed = options.providerOptions
  const validAllowList =
    allowed === undefined ||
    (typeof allowed === 'object' && allowed !== null && !Array.isArray(allowed) && Object.values(allowed).every((fields) => Array.isArray(fields) && fields.every((field) => typeof field === 'string')))
  if (!validAllowList) throw new ConfigurationError("createRouter: `http.providerOptions` must map provider ids to field names, e.g. { openai: ['service_tier'] }.")
  return options
}

// The adapter contract versions this release understands (see `ProviderAdapter.specificationVersion`).
const supportedSpecificationVersions: readonly ProviderSpecificationVersion[] = ['v1']

export function isStrategy(value: unknown): value is Strategy {
  return typeof value === 'object' && value !== null && typeof (value as Strategy).run === 'function' && Array.isArray((value as Strategy).models)
}

/**
 * Checks that `value` is a strategy of a contract version this router runs. A strategy written
 * before versioning (no `specificationVersion`) is run as `v1`, which is what it was written against.
 */
export function checkStrategy(value: unknown, where: string, fail: (message: string) => Error = (message) => new ConfigurationError(message)): asserts value is Strategy {
  if (!isStrategy(value)) {
    throw fail(`${where} must be a strategy: an object with \`name\`, \`models\` and \`run(context)\`, e.g. fallback([...]), cheapest([...]).`)
  }
  const version = (value as { specificationVersion?: unknown }).specificationVersion
  if (version !== undefined && version !== 'v1') {
    throw fail(`${where}: strategy "${value.name}" implements specification ${JSON.stringify(version)}; this version of Switchyard runs "v1" strategies.`)
  }
}

export function validateProviders(providers: unknown): Map<string, ProviderAdapter> {
  if (!Array.isArray(providers) || providers.length === 0) {
    throw new ConfigurationError('createRouter: `providers` must list at least one provider, e.g. providers: [openai(), anthropic()].')
  }
  const byId = new Map<string, ProviderAdapter>()
  providers.forEach((provider: ProviderAdapter, index) => {
    if (!provider || typeof provider.id !== 'string' || typeof provider.chat !== 'function' || typeof provider.stream !== 'function') {
      throw new ConfigurationError(
        `createRouter: providers[${index}] is not a provider adapter; create one with openai(), anthropic(), openaiCompatible({...}) or mockProvider({...}).`,
      )
    }
    if (!supportedSpecificationVersions.includes(provider.specificationVersion)) {
      const version = (provider as { specificationVersion?: unknown }).specificationVersion
      throw new ConfigurationError(
        `createRouter: provider "${provider.id}" implements adapter specification ${version === undefined ? '(none: no `specificationVersion`)' : JSON.stringify(version)}, ` +
          `but this version of Switchyard understands only ${supportedSpecificationVersions.map((known) => `"${known}"`).join(', ')}. ` +
          'Upgrade switchyard or use a version of the adapter written for this one (set `specificationVersion: \'v1\'`).',
        { provider: provider.id },
      )
    }
    if (provider.id.includes('/') || provider.id === '') {
      throw new ConfigurationError(`createRouter: provider id ${JSON.stringify(provider.id)} must be non-empty and contain no "/".`)
    }
    if (byId.has(provider.id)) {
      throw new ConfigurationError(`createRouter: two providers have the id "${provider.id}"; give one a different \`id\`.`)
    }
    provider.validate?.()
    byId.set(provider.id, provider)
  })
  return byId
}

/** Checks that a `provider/model` id names a registered provider and a model it is known to serve. */
export function checkModelId(
  id: string,
  where: string,
  providers: ReadonlyMap<string, ProviderAdapter>,
  prices: PriceBook,
): void {
  const slash = id.indexOf('/')
  if (slash <= 0 || slash === id.length - 1) {
    throw new ConfigurationError(`${where}: "${id}" is not a "provider/model" id (e.g. "openai/gpt-4o").`)
  }
  const providerId = id.slice(0, slash)
  const model = id.slice(slash + 1)
  const provider = providers.get(providerId)
  if (!provider) {
    throw new ConfigurationError(
      `${where}: unknown provider "${providerId}" in "${id}". Registered providers: ${[...providers.keys()].join(', ')}. Add it to createRouter({ providers }).`,
    )
  }
  if (provider.models) {
    if (!provider.models.includes(model)) {
      throw new ConfigurationError(
        `${where}: provider "${providerId}" does not serve "${model}". Its models: ${provider.models.join(', ')}.`,
      )
    }
    return
  }
  if (provider.catalogId && !prices.knows(providerId, model)) {
    throw new ConfigurationError(
      `${where}: unknown model "${id}": the price catalog does not know it. Check the spelling, or declare it with ${providerId}({ models: ['${model}'] }) and its price in createRouter({ prices: { '${id}': { input, output } } }).`,
    )
  }
}

/** Normalises route definitions to strategies and checks every model they name. */
export function buildRoutes(
  routes: Readonly<Record<string, RouteDefinition>> | undefined,
  providers: ReadonlyMap<string, ProviderAdapter>,
  prices: PriceBook,
): Map<string, Strategy> {
  const built = new Map<string, Strategy>()
  if (routes === undefined) return built
  if (typeof routes !== 'object' || routes === null || Array.isArray(routes)) {
    throw new ConfigurationError('createRouter: `routes` must be an object of route name → strategy, model id or array of ids.')
  }
  for (const [name, definition] of Object.entries(routes)) {
    if (name.includes('/')) {
      throw new ConfigurationError(`createRouter: route name "${name}" contains "/", which would clash with "provider/model" ids; rename it.`)
    }
    let strategy: Strategy
    if (typeof definition === 'string') strategy = fallback([definition])
    else if (Array.isArray(definition) && definition.every((id) => typeof id === 'string')) strategy = fallback(definition as string[])
    else if (isStrategy(definition)) {
      checkStrategy(definition, `createRouter: routes.${name}`)
      strategy = definition
    } else {
      throw new ConfigurationError(
        `createRouter: routes.${name} must be a strategy (fallback([...]), cheapest([...]), ...), a "provider/model" id or an array of ids.`,
      )
    }
    if (strategy.models.length === 0) throw new ConfigurationError(`createRouter: routes.${name} lists no models.`)
    for (const id of strategy.models) checkModelId(id, `createRouter: routes.${name}`, providers, prices)
    built.set(name, strategy)
  }
  return built
}
