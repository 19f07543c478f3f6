import { ConfigurationError } from '../errors/errors.js'
import type { PriceBook, PriceTable } from '../cost/price-book.js'
import type { HealthOptions } from '../state/health-tracker.js'
import type { RouterEventListener } from './events.js'
import type { ProviderAdapter } from '../spec/provider-adapter.js'
import type { Strategy } from '../spec/strategy.js'
import { fallback } from '../strategies/fallback.js'

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
}

function isStrategy(value: unknown): value is Strategy {
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
function checkModelId(
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
