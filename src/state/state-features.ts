import type { FeatureContext, RouterFeature } from '../router/router-feature.js'
import { validateResponseCacheOptions } from './cache-option-checks.js'
import { ResponseCacheHooks } from './response-cache-hooks.js'
import { SharedState } from './shared-state.js'
import { FailSafeStore, failSafeStore } from '../stores/fail-safe-store.js'
import { memoryStore } from '../stores/memory-store.js'
import { routerStore } from '../stores/router-store.js'

/** The `provider/model` ids a call may use, from what the core calls its resolved model. */
function idsOf(resolvedModel: string, context: FeatureContext): readonly string[] {
  const route = context.routeModels(resolvedModel)
  if (route) return route
  const list = resolvedModel.startsWith('strategy:') ? resolvedModel.slice(resolvedModel.indexOf(':', 9) + 1) : resolvedModel
  return list.split(',').filter((id) => id.includes('/'))
}

/**
 * Cool-downs and A/B counters shared with every router on the same `store` (`redisStore`), read
 * before a call and synced in the background (`sharedState` options). Only a store other
 * instances see has anything to share: with the in-process default this installs nothing.
 */
export const sharedStateFeature: RouterFeature = {
  name: 'sharedStateFeature',
  options: ['store', 'sharedState'],
  install(context) {
    const { config, core } = context
    const store = routerStore(context)
    if (!(store instanceof FailSafeStore)) return
    const shared = new SharedState(store, core.health, core.experiments, config.sharedState ?? {}, (work) => core.background.track(work))
    context.slots.sharedState = shared
    core.hooks.add({
      lookup: async (call, _request, resolvedModel) => {
        if (call.kind === 'call') await shared.beforeCall(idsOf(resolvedModel, context))
        return undefined
      },
    })
    core.background.onClose(() => shared.sync())
  },
}

/** The response cache (`createRouter({ cache })`, and each call's `cache` option). */
export const cacheFeature: RouterFeature = {
  name: 'cacheFeature',
  options: ['store', 'cache'],
  install(context) {
    const { config, core } = context
    const cacheOptions = validateResponseCacheOptions(config.cache, Object.keys(config.routes ?? {}))
    const warn = (code: string, message: string) => core.events.emit({ type: 'warning', code, message })
    const store = routerStore(context)
    const cache = new ResponseCacheHooks(cacheOptions, (call) => call.cache, ({ ResponseCache }) => {
      // With the default in-process store the cache gets its own LRU, so a busy cache can never evict
      // a budget or rate-limit counter (which would forget spend). A shared store is used as given.
      const cacheStore = config.store === undefined ? failSafeStore(memoryStore(), { warn }) : store
      return new ResponseCache(cacheOptions, cacheStore, {
        callOption: (call) => call.cache,
        warn,
        track: (work) => core.background.track(work),
        hit: (call, answer) => {
          if (!core.events.hasListeners) return
          core.events.emit({
            type: 'cache-hit',
            callId: call.callId,
            operation: call.operation,
            routeName: call.routeName,
            provider: answer.candidate.provider,
            model: answer.candidate.model,
            saved: answer.originalCostUsd,
          })
        },
      })
    })
    core.hooks.add(cache)
    core.hooks.observe(cache)
  },
}
