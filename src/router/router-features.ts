import type { CoreServices } from './core-services.js'
import type { RouterConfig } from './router-config.js'
import { ConfigurationError } from '../errors/errors.js'
import { ResponseCache, validateResponseCacheOptions } from '../state/response-cache.js'
import { SharedState } from '../state/shared-state.js'
import { FailSafeStore, failSafeStore } from '../stores/fail-safe-store.js'
import { memoryStore } from '../stores/memory-store.js'
import { installSpendControl } from '../spend/install-spend-control.js'
import type { SpendControl } from '../spend/spend-control.js'
import type { Store } from '../spec/store.js'

/** What the router keeps of its features for its own public methods. */
export interface InstalledFeatures {
  readonly store: Store
  readonly spend: SpendControl
  readonly sharedState?: SharedState
}

/** What features may ask of the router beyond its services. */
export interface FeatureHost {
  routeModels(name: string): readonly string[] | undefined
}

function isStore(value: unknown): value is Store {
  if (typeof value !== 'object' || value === null) return false
  const store = value as Store
  return ['get', 'set', 'setIfAbsent', 'delete', 'increment', 'run'].every((method) => typeof (store as unknown as Record<string, unknown>)[method] === 'function')
}

/** The `provider/model` ids a call may use, from what the core calls its resolved model. */
function idsOf(resolvedModel: string, host: FeatureHost): readonly string[] {
  const route = host.routeModels(resolvedModel)
  if (route) return route
  const list = resolvedModel.startsWith('strategy:') ? resolvedModel.slice(resolvedModel.indexOf(':', 9) + 1) : resolvedModel
  return list.split(',').filter((id) => id.includes('/'))
}

/**
 * Where the router's own features plug into the core, from their `createRouter()` options: each
 * registers its hooks (`core.hooks.add`), observers (`core.hooks.observe`) and clean-up
 * (`core.background.onClose`). Runs once, at the end of the router's construction, after the
 * configuration has been validated.
 */
export function installFeatures(config: RouterConfig, core: CoreServices, host: FeatureHost): InstalledFeatures {
  if (config.store !== undefined && !isStore(config.store)) {
    throw new ConfigurationError('createRouter: `store` must be a store: memoryStore(), redisStore({ client }) or an object with get, set, setIfAbsent, delete, increment and run.')
  }
  const warn = (code: string, message: string) => core.events.emit({ type: 'warning', code, message })
  // A failing store never fails a call: everything below goes through this wrapper.
  const store = failSafeStore(config.store ?? memoryStore(), { warn })
  const track = (work: Promise<unknown>) => core.background.track(work)

  // Shared health and A/B state only mean something on a store other instances see.
  let sharedState: SharedState | undefined
  if (store instanceof FailSafeStore) {
    const shared = new SharedState(store, core.health, core.experiments, config.sharedState ?? {}, track)
    sharedState = shared
    core.hooks.add({
      lookup: async (call, _request, resolvedModel) => {
        if (call.kind === 'call') await shared.beforeCall(idsOf(resolvedModel, host))
        return undefined
      },
    })
    core.background.onClose(() => shared.sync())
  }

  const cacheOptions = validateResponseCacheOptions(config.cache, Object.keys(config.routes ?? {}))
  // With the default in-process store the cache gets its own LRU, so a busy cache can never evict
  // a budget or rate-limit counter (which would forget spend). A shared store is used as given.
  const cacheStore = config.store === undefined ? failSafeStore(memoryStore(), { warn }) : store
  const cache = new ResponseCache(cacheOptions, cacheStore, {
    callOption: (call) => call.cache,
    warn,
    track,
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
  core.hooks.add(cache)
  core.hooks.observe(cache)
  const spend = installSpendControl(config, core, store, store instanceof FailSafeStore)
  return sharedState ? { store, spend, sharedState } : { store, spend }
}
