/**
 * The router-wide services a strategy may use (contract version `v1`, with `Strategy`): prices,
 * health, live statistics, events, A/B experiments and background work. The router implements
 * them; a strategy sees only these interfaces, so it runs unchanged on any router.
 */
import type { Cost, ModelPrice } from './cost.js'
import type { ModelCapabilities, ProviderAdapter } from './provider-adapter.js'
import type { RouterEvent } from './router-event.js'
import type { Usage } from './usage.js'

/** A model's price in force, and where it came from. */
export interface ResolvedPrice {
  price: ModelPrice
  source: 'user' | 'catalog'
  contextWindow?: number
  /** The catalog's price for this model depends on the date or time of day. */
  timeDependent?: boolean
}

export interface PriceService {
  /** The price in force: the user's, else the catalog's; `undefined` when neither knows the model. */
  resolve(provider: string, model: string): ResolvedPrice | undefined
  /** Whether the user priced this model or the catalog knows it. */
  knows(provider: string, model: string): boolean
  /** What `usage` costs at `price`: the same function the router bills every attempt with. */
  cost(usage: Usage, price: ModelPrice): Cost
}

export interface HealthService {
  /** Whether the `provider/model` (or its whole provider) is cooling down after failures. */
  isCoolingDown(id: string): boolean
  /** Milliseconds until the model and its provider have recovered (0 when healthy). */
  coolingDownFor(id: string): number
  /** Everything cooling down right now: `provider/model` ids, or provider ids for a whole provider. */
  coolDowns(): Array<{ id: string; remainingMs: number; consecutiveFailures: number }>
}

/** The router's live, recent-weighted measurements of one `provider/model`. */
export interface ModelStatsSnapshot {
  samples: number
  /** Recent-weighted mean latency of successful calls, ms. */
  latencyMs?: number
  /** Recent-weighted mean time to first token of successful streams, ms. */
  timeToFirstTokenMs?: number
  /** Recent-weighted output tokens per second. */
  tokensPerSecond?: number
  /** Recent-weighted output tokens per call. */
  outputTokens?: number
}

export interface StatsService {
  /** `undefined` until the router has seen the model answer. */
  get(id: string): ModelStatsSnapshot | undefined
}

export interface EventService {
  /** Reports an event to the router's listeners (`onEvent`, `router.on`). */
  emit(event: RouterEvent): void
  /** Whether anyone listens: build an event only then, on a hot path. */
  readonly hasListeners: boolean
}

/** A judged comparison, from the point of view of the first variant named. */
export type ComparisonOutcome = 'win' | 'loss' | 'tie'

export interface ExperimentSettings {
  name: string
  variants: ReadonlyArray<{ name: string; weight: number; models: readonly string[] }>
  promote: 'auto' | 'manual'
  /** Judged comparisons a variant needs before it can be recommended. */
  minComparisons: number
}

/** One A/B experiment's counters, as a strategy records into them; `router.experiments()` reports them. */
export interface ExperimentHandle {
  readonly settings: ExperimentSettings
  /** The variant all new traffic goes to once promoted, else `null`. */
  readonly promoted: string | null
  /** Current traffic weights: the configured ones, or everything on the promoted winner. */
  weights(): Array<[string, number]>
  recordCall(variant: string): void
  recordRun(variant: string, run: { latencyMs: number; cost: number | null; shadow: boolean }): void
  recordJudgeCost(cost: number | null): void
  recordFailedComparison(): void
  /** Records a judged pair; with `promote: 'auto'` a clear winner takes all new traffic. */
  recordComparison(first: string, second: string, outcome: ComparisonOutcome): void
}

export interface ExperimentService {
  /** The experiment with this name, created from `settings` on first use. */
  experiment(settings: ExperimentSettings): ExperimentHandle
}

export interface BackgroundService {
  /** Work to finish off the hot path (an A/B shadow run, its judging): `router.close()` waits for it. */
  track(work: Promise<unknown>): void
}

/** Router-wide state and helpers that strategies may use. One set per router: no global state. */
export interface RouterServices {
  readonly prices: PriceService
  readonly health: HealthService
  readonly stats: StatsService
  readonly events: EventService
  /** A/B experiments (`abTest`): their counters; read with `router.experiments()`. */
  readonly experiments: ExperimentService
  readonly background: BackgroundService
  /** The adapter registered under a provider id. */
  provider(id: string): ProviderAdapter | undefined
  /** What a model can do: the adapter's own knowledge, then the catalog's context window. */
  capabilities(provider: string, model: string): ModelCapabilities
}
