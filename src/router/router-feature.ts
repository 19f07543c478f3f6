import { ConfigurationError } from '../errors/errors.js'
import type { CoreServices } from './core-services.js'
import type { RouterConfig } from './router-config.js'
import type { FetchSurfaces } from '../facades/fetch-surfaces.js'
import type { HttpEndpointOptions, RouterClient } from './router-client.js'
import type { Store } from '../spec/store.js'
import type { SharedState } from '../state/shared-state.js'
import type { SpendControl } from '../spend/spend-control.js'
import type { ReportCollector } from '../report/report-collector.js'
import type { RouterReport } from '../report/report-types.js'

/**
 * What the router's features hand back to it for its public methods (`spend()`, `budgets()`,
 * `report()`, `syncSharedState()`) and for `router.fetch` (the report page, the incoming trace
 * context, the API surfaces it serves). A method whose feature is not installed says so.
 */
export interface FeatureSlots {
  store?: Store
  sharedState?: SharedState
  spend?: SpendControl
  report?: ReportCollector
  /** `router.sharedReport()`: the report with spend from the shared ledger when the store is shared. */
  sharedReport?: () => Promise<RouterReport>
  /** A response for a path a feature serves (the report page), or `undefined` for every other path; `request()` builds the web `Request`. */
  servePath?: (pathname: string, request: () => Request) => Promise<Response> | undefined
  /** Runs an HTTP call inside the trace its request carries (telemetry). */
  withIncomingRequest?: <Result>(headers: Headers, run: () => Promise<Result>) => Promise<Result>
  /** The API surfaces `router.fetch` serves, each built from the router's public interface on first use. */
  surfaces: { [Surface in keyof FetchSurfaces]?: (router: RouterClient) => NonNullable<FetchSurfaces[Surface]> }
  /**
   * Builds `router.fetch` over the surfaces: set by the features that install one, so a router
   * without any API surface carries no HTTP dispatcher. `host` is what the other features add.
   */
  createFetchHandler?: (
    router: RouterClient,
    surfaces: FetchSurfaces,
    options: HttpEndpointOptions,
    host: Pick<FeatureSlots, 'servePath' | 'withIncomingRequest'>,
  ) => (input: RequestInfo | URL, init?: RequestInit | object, platform?: { waitUntil(work: Promise<unknown>): void }) => Promise<Response>
}

/** What a feature is installed with, once, at the end of the router's construction. */
export interface FeatureContext {
  readonly config: RouterConfig
  readonly core: CoreServices
  /** The `provider/model` ids of a route, `undefined` for a name that is not one. */
  routeModels(name: string): readonly string[] | undefined
  /** `create(context)` run once per router: the part several features share (the store, the report collector). */
  once<Part>(create: (context: FeatureContext) => Part): Part
  readonly slots: FeatureSlots
}

/**
 * A part of the router that a bundle leaves out when it does not use it: the response cache,
 * spend control, shared state, the report, telemetry, each API surface of `router.fetch`.
 * `createRouter` from `switchyard` installs every one; `createRouter` from `switchyard/core`
 * installs those in its `features` option, so a bundle carries only their code.
 */
export interface RouterFeature {
  readonly name: string
  /** The `createRouter` options this feature reads; given without it, they are a configuration error. */
  readonly options: readonly (keyof RouterConfig)[]
  /**
   * Checks its options (a mistake throws a `ConfigurationError`) and registers hooks, observers and
   * slots. The router's own features only: the context is internal and may change in any release.
   * @internal
   */
  install(context: FeatureContext): void
}

/** The feature each feature-owned option needs, named as `switchyard/core` exports it. */
const optionOwners: Partial<Record<keyof RouterConfig, string>> = {
  store: 'cacheFeature, spendControlFeature or sharedStateFeature',
  sharedState: 'sharedStateFeature',
  cache: 'cacheFeature',
  budgets: 'spendControlFeature',
  limits: 'spendControlFeature',
  spendControl: 'spendControlFeature',
  telemetry: 'telemetryFeature',
  reportPage: 'reportPageFeature',
}

/** Installs `features` in order (their hooks run in that order) and returns what they provide. */
export function installRouterFeatures(features: readonly RouterFeature[], config: RouterConfig, core: CoreServices, routeModels: FeatureContext['routeModels']): FeatureSlots {
  if (!Array.isArray(features) || features.some((feature) => typeof feature?.install !== 'function')) {
    throw new ConfigurationError("createRouter: `features` must be an array of router features, e.g. [cacheFeature, openaiEndpoint] from 'switchyard/core'.")
  }
  const served = new Set(features.flatMap((feature) => feature.options))
  for (const [option, owner] of Object.entries(optionOwners)) {
    const value = config[option as keyof RouterConfig]
    if (value !== undefined && value !== false && !served.has(option as keyof RouterConfig)) {
      throw new ConfigurationError(
        `createRouter: \`${option}\` needs ${owner} in \`features\` (import it from 'switchyard/core'), or createRouter from 'switchyard', which installs every feature.`,
      )
    }
  }
  const parts = new Map<unknown, unknown>()
  const context: FeatureContext = {
    config,
    core,
    routeModels,
    slots: { surfaces: {} },
    once<Part>(create: (context: FeatureContext) => Part): Part {
      if (!parts.has(create)) parts.set(create, create(context))
      return parts.get(create) as Part
    },
  }
  for (const feature of new Set(features)) feature.install(context)
  return context.slots
}
