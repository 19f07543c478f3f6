import type { CoreServices } from './core-services.js'
import type { RouterConfig } from './router-config.js'
import { installSpendControl } from '../spend/install-spend-control.js'
import type { SpendControl } from '../spend/spend-control.js'
import { memoryStore } from '../stores/memory-store.js'
import { failSafeStore } from '../stores/fail-safe-store.js'
import { ConfigurationError } from '../errors/errors.js'

/** What the router keeps of its features for its own public methods. */
export interface InstalledFeatures {
  readonly spend: SpendControl
}

/**
 * Where the router's own features plug into the core, from their `createRouter()` options: each
 * registers its hooks (`core.hooks.add`), observers (`core.hooks.observe`) and clean-up
 * (`core.background.onClose`). Runs once, at the end of the router's construction, after the
 * configuration has been validated.
 */
export function installFeatures(config: RouterConfig, core: CoreServices): InstalledFeatures {
  // The response cache and telemetry register here too.
  if (config.store !== undefined && (typeof config.store !== 'object' || config.store === null || typeof config.store.run !== 'function')) {
    throw new ConfigurationError('createRouter: `store` must be a store: memoryStore(), redisStore({ client }) or an object implementing the store contract.')
  }
  const warn = (code: string, message: string) => core.events.emit({ type: 'warning', code, message })
  // A failing store never fails a call: everything below goes through this wrapper.
  const store = failSafeStore(config.store ?? memoryStore(), { warn })
  const spend = installSpendControl(config, core, store)
  return { spend }
}
