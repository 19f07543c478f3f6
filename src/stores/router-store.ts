import { ConfigurationError } from '../errors/errors.js'
import type { FeatureContext } from '../router/router-feature.js'
import type { Store } from '../spec/store.js'
import { failSafeStore } from './fail-safe-store.js'
import { memoryStore } from './memory-store.js'

function isStore(value: unknown): value is Store {
  if (typeof value !== 'object' || value === null) return false
  return ['get', 'set', 'setIfAbsent', 'delete', 'increment', 'run'].every((method) => typeof (value as Record<string, unknown>)[method] === 'function')
}

/**
 * The router's store (`createRouter({ store })`, an in-process memory store by default) behind
 * the fail-safe wrapper, so a failing store never fails a call. Created once per router, by the
 * first feature that keeps state in it: a router without such a feature carries no store code.
 */
export function routerStore(context: FeatureContext): Store {
  return context.once(createRouterStore)
}

function createRouterStore({ config, core, slots }: FeatureContext): Store {
  if (config.store !== undefined && !isStore(config.store)) {
    throw new ConfigurationError('createRouter: `store` must be a store: memoryStore(), redisStore({ client }) or an object with get, set, setIfAbsent, delete, increment and run.')
  }
  const store = failSafeStore(config.store ?? memoryStore(), { warn: (code, message) => core.events.emit({ type: 'warning', code, message }) })
  slots.store = store
  return store
}
