import { wilsonInterval, type Interval } from './wilson-interval.js'
import type { ComparisonOutcome, ExperimentHandle, ExperimentService, ExperimentSettings } from '../spec/router-services.js'

export type { ComparisonOutcome, ExperimentSettings }

export interface ExperimentVariantReport {
  name: string
  /** What the variant runs: its models. */
  models: readonly string[]
  /** Share of new traffic it gets now (changes when `promote: 'auto'` promotes a winner). */
  weight: number
  /** Calls it answered for callers. */
  calls: number
  /** Extra runs made only to be compared with another variant's answer. */
  shadowCalls: number
  /** Judged comparisons this variant took part in, and their outcomes. */
  comparisons: number
  wins: number
  losses: number
  ties: number
  /** (wins + ties / 2) / comparisons; `null` before the first comparison. */
  winRate: number | null
  /** 95% Wilson score interval of the win rate. */
  confidenceInterval: Interval | null
  /** USD over every run (served and shadow); `null` when a run had no known price. */
  totalCost: number | null
  /** Mean USD per run; `null` when unknown. */
  costPerCall: number | null
  /** Mean latency of its runs (answering attempt), ms. */
  meanLatencyMs: number | null
}

export interface ExperimentRecommendation {
  /** The variant to keep. */
  winner: string
  reason: string
}

export interface ExperimentReport {
  name: string
  variants: ExperimentVariantReport[]
  /** Pairs of answers judged (each judged in both orders). */
  comparisons: number
  /** Comparisons that could not be judged (a shadow run or a judge call failed). */
  failedComparisons: number
  /** USD spent on judge calls; `null` when the judge has no known price. */
  judgeCost: number | null
  /** Set once a variant's 95% interval lies wholly above 50%. */
  recommendation: ExperimentRecommendation | null
  /** The variant all traffic goes to, once `promote: 'auto'` has promoted it. */
  promoted: string | null
}


interface VariantState {
  calls: number
  shadowCalls: number
  wins: number
  losses: number
  ties: number
  runs: number
  latencyTotal: number
  costTotal: number
  unpricedRuns: number
}

function sumOrNull(total: number, unknown: number): number | null {
  return unknown > 0 ? null : Math.round(total * 1e12) / 1e12
}

/** One A/B experiment's counters. Lives on the router (through `ExperimentStore`), never in module state. */
export class Experiment implements ExperimentHandle {
  promoted: string | null = null
  private readonly states = new Map<string, VariantState>()
  private comparisons = 0
  private failedComparisons = 0
  private judgeCostTotal = 0
  private unpricedJudgeCalls = 0

  constructor(readonly settings: ExperimentSettings) {
    for (const variant of settings.variants) {
      this.states.set(variant.name, { calls: 0, shadowCalls: 0, wins: 0, losses: 0, ties: 0, runs: 0, latencyTotal: 0, costTotal: 0, unpricedRuns: 0 })
    }
  }

  /** Current traffic weights: the configured ones, or everything on the promoted winner. */
  weights(): Array<[string, number]> {
    return this.settings.variants.map((variant) => [
      variant.name,
      this.promoted === null ? variant.weight : variant.name === this.promoted ? 1 : 0,
    ])
  }

  recordCall(variant: string): void {
    this.state(variant).calls += 1
  }

  recordRun(variant: string, run: { latencyMs: number; cost: number | null; shadow: boolean }): void {
    const state = this.state(variant)
    if (run.shadow) state.shadowCalls += 1
    state.runs += 1
    state.latencyTotal += run.latencyMs
    if (run.cost === null) state.unpricedRuns += 1
    else state.costTotal += run.cost
  }

  recordJudgeCost(cost: number | null): void {
    if (cost === null) this.unpricedJudgeCalls += 1
    else this.judgeCostTotal += cost
  }

  recordFailedComparison(): void {
    this.failedComparisons += 1
  }

  /** Records a judged pair; with `promote: 'auto'` a clear winner takes all new traffic. */
  recordComparison(first: string, second: string, outcome: ComparisonOutcome): void {
    this.comparisons += 1
    const a = this.state(first)
    const b = this.state(second)
    if (outcome === 'win') {
      a.wins += 1
      b.losses += 1
    } else if (outcome === 'loss') {
      a.losses += 1
      b.wins += 1
    } else {
      a.ties += 1
      b.ties += 1
    }
    if (this.settings.promote === 'auto' && this.promoted === null) {
      this.promoted = this.recommendation()?.winner ?? null
    }
  }

  recommendation(): ExperimentRecommendation | null {
    for (const variant of this.variantReports()) {
      if (variant.comparisons < this.settings.minComparisons || !variant.confidenceInterval) continue
      if (variant.confidenceInterval.lower > 0.5) {
        const percent = (value: number) => `${(value * 100).toFixed(1)}%`
        return {
          winner: variant.name,
          reason: `"${variant.name}" wins ${percent(variant.winRate!)} of ${variant.comparisons} judged comparisons (95% CI ${percent(variant.confidenceInterval.lower)}–${percent(variant.confidenceInterval.upper)}, above 50%).`,
        }
      }
    }
    return null
  }

  /** Every counter as one flat record, for merging with other instances' counts. */
  counters(): Record<string, number> {
    const counters: Record<string, number> = {
      comparisons: this.comparisons,
      failedComparisons: this.failedComparisons,
      judgeCostTotal: this.judgeCostTotal,
      unpricedJudgeCalls: this.unpricedJudgeCalls,
    }
    for (const [variant, state] of this.states) {
      for (const [field, value] of Object.entries(state)) counters[`variant:${variant}:${field}`] = value
    }
    return counters
  }

  /**
   * Replaces the counters with `counters` (the totals of every instance, from the shared store);
   * missing fields are 0, unknown variants are ignored. With `promote: 'auto'` a clear winner in
   * the totals is promoted here too.
   */
  adoptCounters(counters: Readonly<Record<string, number>>): void {
    const read = (field: string) => {
      const value = counters[field]
      return typeof value === 'number' && Number.isFinite(value) ? value : 0
    }
    this.comparisons = read('comparisons')
    this.failedComparisons = read('failedComparisons')
    this.judgeCostTotal = read('judgeCostTotal')
    this.unpricedJudgeCalls = read('unpricedJudgeCalls')
    for (const [variant, state] of this.states) {
      for (const field of Object.keys(state) as (keyof VariantState)[]) state[field] = read(`variant:${variant}:${field}`)
    }
    if (this.settings.promote === 'auto' && this.promoted === null) {
      this.promoted = this.recommendation()?.winner ?? null
    }
  }

  report(): ExperimentReport {
    return {
      name: this.settings.name,
      variants: this.variantReports(),
      comparisons: this.comparisons,
      failedComparisons: this.failedComparisons,
      judgeCost: sumOrNull(this.judgeCostTotal, this.unpricedJudgeCalls),
      recommendation: this.recommendation(),
      promoted: this.promoted,
    }
  }

  private variantReports(): ExperimentVariantReport[] {
    const weights = new Map(this.weights())
    const totalWeight = [...weights.values()].reduce((sum, weight) => sum + weight, 0)
    return this.settings.variants.map(({ name, models }) => {
      const state = this.state(name)
      const comparisons = state.wins + state.losses + state.ties
      const score = state.wins + state.ties / 2
      const totalCost = sumOrNull(state.costTotal, state.unpricedRuns)
      return {
        name,
        models,
        weight: totalWeight > 0 ? weights.get(name)! / totalWeight : 0,
        calls: state.calls,
        shadowCalls: state.shadowCalls,
        comparisons,
        wins: state.wins,
        losses: state.losses,
        ties: state.ties,
        winRate: comparisons > 0 ? score / comparisons : null,
        confidenceInterval: wilsonInterval(score, comparisons),
        totalCost,
        costPerCall: totalCost !== null && state.runs > 0 ? totalCost / state.runs : null,
        meanLatencyMs: state.runs > 0 ? state.latencyTotal / state.runs : null,
      }
    })
  }

  private state(variant: string): VariantState {
    const state = this.states.get(variant)
    if (!state) throw new Error(`Experiment "${this.settings.name}" has no variant "${variant}".`)
    return state
  }
}

/** The router's A/B experiments; their background work is tracked by the router (`router.close()` waits for it). */
export class ExperimentStore implements ExperimentService {
  private readonly experiments = new Map<string, Experiment>()
  /** Told of each experiment when it is created (the shared-state feature syncs them). */
  onCreate: ((experiment: Experiment) => void) | undefined

  /** The experiment with this name, created from `settings` on first use. */
  experiment(settings: ExperimentSettings): Experiment {
    let experiment = this.experiments.get(settings.name)
    if (!experiment) {
      experiment = new Experiment(settings)
      this.experiments.set(settings.name, experiment)
      this.onCreate?.(experiment)
    }
    return experiment
  }

  report(): ExperimentReport[] {
    return [...this.experiments.values()].map((experiment) => experiment.report())
  }
}
