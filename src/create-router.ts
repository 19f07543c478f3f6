import { createAnthropicFacade, type AnthropicFacade } from './facades/anthropic-facade.js'
import { createFetchHandler, type FetchHandler, type HttpEndpointHost } from './facades/fetch-handler.js'
import { createOpenAIFacade, type OpenAIFacade } from './facades/openai-facade.js'
import { isReportPath, serveReportPage } from './report/report-page.js'
import type { RouteDefinition, RouterConfig } from './router/router-config.js'
import type { RouterClient } from './router/router-client.js'
import { endpointOf, RouterCore } from './router/router.js'

/**
 * The facades serve whatever model names arrive over HTTP or through an SDK, so they see the
 * router without its route-name types (the router checks every name at run time anyway).
 */
function untyped<RouteName extends string>(router: RouterCore<RouteName>): RouterClient {
  return router as unknown as RouterClient
}

/**
 * A router: the core (`chat`, `stream`, `embed`, configuration, events, experiments, `close()`)
 * with the drop-in facades composed on top. Each facade is built from the core's public
 * interface the first time it is used, once per router.
 */
export class Router<RouteName extends string = string> extends RouterCore<RouteName> {
  #openai: OpenAIFacade | undefined
  #anthropic: AnthropicFacade | undefined
  #fetch: FetchHandler | undefined

  /** Drop-in for code written against the OpenAI SDK: `router.openai.chat.completions.create(params)`. */
  get openai(): OpenAIFacade {
    return (this.#openai ??= createOpenAIFacade(untyped(this)))
  }

  /** Drop-in for code written against the Anthropic SDK: `router.anthropic.messages.create(params)`. */
  get anthropic(): AnthropicFacade {
    return (this.#anthropic ??= createAnthropicFacade(untyped(this)))
  }

  /**
   * An OpenAI- and Anthropic-compatible HTTP endpoint in-process, over the same facades; works
   * unbound (`new OpenAI({ fetch: router.fetch })`, `export const POST = router.fetch`).
   */
  get fetch(): FetchHandler {
    return (this.#fetch ??= this.#createFetch())
  }

  #createFetch(): FetchHandler {
    const { http, observability } = endpointOf(this)
    // The report page and incoming trace context come from the router's features, looked up per
    // request: telemetry may still be loading when the handler is first built.
    const host: HttpEndpointHost = {
      servePath: (pathname, request) => {
        const page = observability()?.reportPage
        return page && isReportPath(page, pathname) ? serveReportPage(request(), page, () => this.report()) : undefined
      },
      withIncomingRequest: (headers, run) => {
        const telemetry = observability()?.telemetry
        return telemetry ? telemetry.withIncomingRequest(headers, run) : run()
      },
    }
    return createFetchHandler(untyped(this), this, http, host)
  }
}

/** The route names of a `routes` object, as the type checker sees them. */
export type RouteNames<Routes> = Extract<keyof Routes, string>

/**
 * Creates a router. Bad configuration throws a `ConfigurationError` here, never at the first
 * call. Route names are inferred from `routes`: `router.chat({ model: 'defualt' })` does not
 * compile when no route has that name (`provider/model` ids and arrays of them always do).
 * Without `routes` nothing is known statically, and any model name compiles.
 */
export function createRouter<const Routes extends Record<string, RouteDefinition> = Record<string, RouteDefinition>>(
  config: RouterConfig<Routes>,
): Router<RouteNames<Routes>> {
  return new Router<RouteNames<Routes>>(config as RouterConfig<Record<RouteNames<Routes>, RouteDefinition>>)
}
