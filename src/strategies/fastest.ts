import type { ModelStatsSnapshot } from '../spec/router-services.js'
import { tryInOrder, type RetryOptions } from './fallback.js'
import type { Candidate, Strategy, StrategyContext } from '../spec/strategy.js'

export type SpeedMetric = 'latency' | 'ttft' | 'throughput'

export interface FastestOptions extends RetryOptions {
  /** What "fast" means: whole-answer latency (default), time to first token, or output tokens per second. */
  metric?: SpeedMetric
  /**
   * Share of calls (0..1) that try a random other candidate first, so a model that got faster is
   * noticed. Default 0.05; 0 turns it off. Candidates never measured are always tried first.
   */
  explore?: number
  /** Random source in [0, 1), for reproducible tests. Default `Math.random`. */
  random?: () => number
}

/**
 * A candidate's score under a metric, lower is better; `undefined` when never measured. Time to
 * first token falls back to latency for a model only ever called without streaming, where the
 * first token arrives with the whole answer.
 */
function score(stats: ModelStatsSnapshot | undefined, metric: SpeedMetric): number | undefined {
  if (!stats || stats.samples === 0) return undefined
  if (metric === 'latency') return stats.latencyMs
  if (metric === 'ttft') return stats.timeToFirstTokenMs ?? stats.latencyMs
  return stats.tokensPerSecond === undefined ? undefined : -stats.tokensPerSecond
}

/** Candidates in the order to try them: unmeasured first, then by the router's live measurements. */
export function rankBySpeed(context: StrategyContext, candidates: readonly Candidate[], options: FastestOptions = {}): Candidate[] {
  const metric = options.metric ?? 'latency'
  const scored = candidates.map((candidate) => ({ candidate, score: score(context.services.stats.get(candidate.id), metric) }))
  const unmeasured = scored.filter((entry) => entry.score === undefined).map((entry) => entry.candidate)
  const measured = scored
    .filter((entry) => entry.score !== undefined)
    .sort((a, b) => a.score! - b.score!)
    .map((entry) => entry.candidate)
  const random = options.random ?? Math.random
  if (unmeasured.length === 0 && measured.length > 1 && random() < (options.explore ?? 0.05)) {
    const index = 1 + Math.floor(random() * (measured.length - 1))
    measured.unshift(...measured.splice(index, 1))
  }
  return [...unmeasured, ...measured]
}

/**
 * `fastest(models, { metric })`: tries first the candidate the router has measured fastest
 * (recent-weighted, per provider/model), gives never-measured ones a first turn and a small share
 * of exploration, and falls back in rank order. Cooling-down candidates go last.
 */
export function fastest(models: readonly string[], options: FastestOptions = {}): Strategy {
  return {
    specificationVersion: 'v1',
    name: 'fastest',
    models: [...models],
    readsPricesBeforeAttempts: false,
    run: (context) => tryInOrder(context, rankBySpeed(context, models.map((id) => context.candidate(id)), options), options),
  }
}
