import type { BackgroundWorkService } from './background-work.js'
import type { CallHookRegistry } from './call-hook-registry.js'
import type { EventHub } from './events.js'
import type { PriceBook } from '../cost/price-book.js'
import type { ExperimentStore } from '../state/experiment-store.js'
import type { HealthTracker } from '../state/health-tracker.js'
import type { ModelStats } from '../state/model-stats.js'
import type { RouterServices } from '../spec/router-services.js'
import type { RouterIds } from './router-ids.js'

/**
 * The router's services as the core sees them: what strategies get (as the concrete
 * implementations), plus the internal hooks and observers that the router's own features
 * (cache, budgets, limits, telemetry) register into.
 */
export interface CoreServices extends RouterServices {
  readonly prices: PriceBook
  readonly health: HealthTracker
  readonly stats: ModelStats
  readonly events: EventHub
  readonly experiments: ExperimentStore
  readonly background: BackgroundWorkService
  readonly hooks: CallHookRegistry
  /** Call ids and the ids of the responses the router makes up. */
  readonly ids: RouterIds
}
