import type { CoreServices } from './core-services.js'
import type { RouterConfig } from './router-config.js'

/**
 * Where the router's own features plug into the core, from their `createRouter()` options: each
 * registers its hooks (`core.hooks.add`), observers (`core.hooks.observe`) and clean-up
 * (`core.background.onClose`). Runs once, at the end of the router's construction, after the
 * configuration has been validated.
 */
export function installFeatures(config: RouterConfig, core: CoreServices): void {
  // The response cache, budgets and limits, and telemetry register here.
  void config
  void core
}
