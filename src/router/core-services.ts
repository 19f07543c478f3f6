import type { BackgroundWork } from './background-work.js'
import type { CallHookRegistry } from './call-hook-registry.js'
import type { RouterServices } from './router-services.js'

/**
 * The router's services as the core sees them: what strategies get, plus the internal hooks and
 * observers that the router's own features (cache, budgets, limits, telemetry) register into.
 */
export interface CoreServices extends RouterServices {
  readonly hooks: CallHookRegistry
  readonly background: BackgroundWork
}
