import { ConfigurationError } from './errors/errors.js'
import type { FetchHandler, FetchSurfaces } from './facades/fetch-handler.js'
import type { RouteDefinition, RouterConfig } from './router/router-config.js'
import type { RouterClient } from './router/router-client.js'
import type { FeatureSlots, RouterFeature } from './router/router-feature.js'
import { endpointOf, RouterCore } from './router/router.js'

export type { RouterFeature }

/** The route names of a `routes` object, as the type checker sees them. */
export type RouteNames<Routes> = Extract<keyof Routes, string>

/**
 * The surfaces serve whatever model names arrive over HTTP or through an SDK, so they see the
 * router without its route-name types (the router checks every name at run time anyway).
 */
export function untyped<RouteName extends string>(router: RouterCore<RouteName>): RouterClient {
  return router as unknown as RouterClient
}

/**
 * A router with `router.fetch`, serving the API surfaces its features installed (the report page
 * and incoming trace context too, when those features are there). The base of both routers:
 * `switchyard`'s, with every feature and the facades, and `switchyard/core`'s, with those listed.
 */
export class CoreRouter<RouteName extends string = string> extends RouterCore<RouteName> {
  #fetch: FetchHandler | undefined

  /**
   * An OpenAI- and Anthropic-compatible HTTP endpoint in-process; works unbound
   * (`new OpenAI({ fetch: router.fetch })`, `export default { fetch: router.fetch }`).
   */
  get fetch(): FetchHandler {
    return (this.#fetch ??= this.#createFetch())
  }

  /** The surfaces `router.fetch` serves: those the endpoint features installed. */
  protected fetchSurfaces(): FetchSurfaces {
    const router = untyped(this)
    const surfaces: FetchSurfaces = {}
    for (const [surface, create] of Object.entries(endpointOf(this).features.surfaces)) (surfaces as Record<string, unknown>)[surface] = create(router)
    return surfaces
  }

  /**
   * What builds `router.fetch`: the one the API-surface features installed.
   * @internal
   */
  protected fetchHandlerFactory(): FeatureSlots['createFetchHandler'] {
    return endpointOf(this).features.createFetchHandler
  }

  #createFetch(): FetchHandler {
    const { http, features } = endpointOf(this)
    const surfaces = this.fetchSurfaces()
    const createFetchHandler = this.fetchHandlerFactory()
    if (Object.keys(surfaces).length === 0 || !createFetchHandler) {
      throw new ConfigurationError("router.fetch needs an API surface: add openaiEndpoint, responsesEndpoint or anthropicEndpoint (from 'switchyard/core') to createRouter's `features`.")
    }
    return createFetchHandler(untyped(this), surfaces, http, { servePath: features.servePath, withIncomingRequest: features.withIncomingRequest })
  }
}

/** `createRouter({ ... })` from `switchyard/core`: the options of `switchyard`'s, plus the features to install. */
export type CoreRouterConfig<Routes extends Record<string, RouteDefinition> = Record<string, RouteDefinition>> = RouterConfig<Routes> & {
  /**
   * What the router has besides routing, in the order their hooks run: `cacheFeature`,
   * `spendControlFeature`, `sharedStateFeature`, `reportFeature`, `reportPageFeature`,
   * `telemetryFeature`, and the surfaces of `router.fetch` (`openaiEndpoint`, `responsesEndpoint`,
   * `anthropicEndpoint`). An option whose feature is missing (`budgets` without
   * `spendControlFeature`) is a `ConfigurationError`. Default: none.
   */
  features?: readonly RouterFeature[]
}

/**
 * Creates a router that carries only the features it is given, for bundles that must stay small
 * (Workers, edge functions). Otherwise the same as `createRouter` from `switchyard`.
 */
export function createRouter<const Routes extends Record<string, RouteDefinition> = Record<string, RouteDefinition>>(
  config: CoreRouterConfig<Routes>,
): CoreRouter<RouteNames<Routes>> {
  return new CoreRouter<RouteNames<Routes>>(config as RouterConfig<Record<RouteNames<Routes>, RouteDefinition>>, config?.features ?? [])
}
