import type { CoreServices } from './core-services.js'
import type { RouterConfig } from './router-config.js'
import { installSpendControl } from '../spend/install-spend-control.js'
import type { SpendControl } from '../spend/spend-control.js'
import { memoryStore } from '../stores/memory-store.js'

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
  const store = memoryStore()
  const spend = installSpendControl(config, core, store)
  return { spend }
}
