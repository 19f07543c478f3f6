import { CoreRouter, untyped, type RouteNames } from './core-router.js'
import type { AnthropicFacade } from './facades/anthropic-facade.js'
import type { FetchSurfaces } from './facades/fetch-surfaces.js'
import { lazyAnthropicFacade, lazyFetchHandler, lazyOpenAIChatFacade, lazyResponsesFacade } from './facades/lazy-facades.js'
import type { OpenAIFacade } from './facades/openai-facade.js'
import { reportFeature, reportPageFeature } from './report/report-feature.js'
import type { RouteDefinition, RouterConfig } from './router/router-config.js'
import type { RouterFeature } from './router/router-feature.js'
import { spendControlFeature } from './spend/spend-control-feature.js'
import { cacheFeature, sharedStateFeature } from './state/state-features.js'
import { telemetryFeature } from './telemetry/telemetry-feature.js'

export type { RouteNames }

/** Every feature, in the order their hooks run: shared state is read before the cache is looked up. */
const everyFeature: readonly RouterFeature[] = [
  sharedStateFeature,
  cacheFeature,
  spendControlFeature,
  reportFeature,
  reportPageFeature,
  telemetryFeature,
]

/**
 * A router: the core (`chat`, `stream`, `embed`, configuration, events, experiments, `close()`)
 * with every feature installed and the drop-in facades composed on top. Each facade is built
 * from the core's public interface the first time it is used, once per router; its code is
 * imported on its first request (facades are async), so importing the package does not compile it.
 */
export class Router<RouteName extends string = string> extends CoreRouter<RouteName> {
  #openai: OpenAIFacade | undefined
  #anthropic: AnthropicFacade | undefined

  constructor(config: RouterConfig<Record<RouteName, RouteDefinition>>) {
    super(config, everyFeature)
  }

  /** Drop-in for code written against the OpenAI SDK: `router.openai.chat.completions.create(params)`. */
  get openai(): OpenAIFacade {
    const router = untyped(this)
    return (this.#openai ??= { ...lazyOpenAIChatFacade(router), responses: lazyResponsesFacade(router) })
  }

  /** Drop-in for code written against the Anthropic SDK: `router.anthropic.messages.create(params)`. */
  get anthropic(): AnthropicFacade {
    return (this.#anthropic ??= lazyAnthropicFacade(untyped(this)))
  }

  /**
   * `router.fetch` is built on its first request, when its code is imported (it is async at first use).
   * @internal
   */
  protected override fetchHandlerFactory(): typeof lazyFetchHandler {
    return lazyFetchHandler
  }

  /** `router.fetch` serves every surface, through the same facades as `router.openai` and `router.anthropic`. */
  protected override fetchSurfaces(): FetchSurfaces {
    return { openai: this.openai, responses: this.openai.responses, anthropic: this.anthropic }
  }
}

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
