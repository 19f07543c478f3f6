import type { EventHub } from './events.js'
import type { PriceBook } from '../cost/price-book.js'
import type { ExperimentStore } from '../state/experiment-store.js'
import type { HealthTracker } from '../state/health-tracker.js'
import type { ModelStats } from '../state/model-stats.js'
import type { ModelCapabilities, ProviderAdapter } from '../spec/provider-adapter.js'

/** Router-wide state and helpers that strategies may use. One set per router: no global state. */
export interface RouterServices {
  readonly prices: PriceBook
  readonly health: HealthTracker
  readonly stats: ModelStats
  readonly events: EventHub
  /** A/B experiments (`abTest`): their counters and background judging; read with `router.experiments()`. */
  readonly experiments: ExperimentStore
  /**
   * Work to finish off the hot path (an A/B shadow run and its judging): `router.close()` waits
   * for everything tracked here.
   */
  readonly background: { track(work: Promise<unknown>): void }
  /** The adapter registered under a provider id. */
  provider(id: string): ProviderAdapter | undefined
  /** What a model can do: the adapter's own knowledge, then the catalog's context window. */
  capabilities(provider: string, model: string): ModelCapabilities
}
