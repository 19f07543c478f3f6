import { ConfigurationError } from '../errors/errors.js'
import { lazyPart } from '../internal/lazy-part.js'
import { splitByHealth } from './candidate-health.js'
import { judgeModel, type JudgeDefinition } from './judge.js'
import type { AttemptResult, Candidate, Strategy, StrategyContext } from '../spec/strategy.js'

export type RaceMode = 'first' | 'hedge' | 'best'

export interface RaceOptions {
  /**
   * `first` (default): all candidates at once, the first answer wins, the others are aborted.
   * `hedge`: one at a time, the next only if the earlier ones have not answered within `hedgeMs`.
   * `best`: all at once, wait for every answer (up to `timeoutMs`), a judge model picks.
   */
  mode?: RaceMode
  /** For `hedge`: how long to give the running candidates before starting the next. Default 1 000 ms. */
  hedgeMs?: number
  /** For `best`: the judge model (required). It is validated at `createRouter()` like a route's models. */
  judge?: JudgeDefinition
  /**
   * For `first` and `hedge`: each attempt's timeout (streams: until the first token). For `best`:
   * how long to collect answers; those still running then are aborted. Default: none (best: 60 000 ms).
   */
  timeoutMs?: number
}

const raceCode = /* @__PURE__ */ lazyPart('the race strategy', () => import('./race-runner.js'))

/**
 * Runs candidates concurrently (all at once, or hedged) and resolves with the first success. The
 * losers are aborted through their attempt signal the moment the winner answers, and their
 * attempts have settled (recorded as `aborted`) before this resolves. Its code is imported on the
 * first race.
 */
export function raceToFirst(context: StrategyContext, candidates: readonly Candidate[], hedgeMs: number | undefined, timeoutMs?: number): Promise<AttemptResult> {
  const code = raceCode.loaded
  if (code) return code.raceToFirst(context, candidates, hedgeMs, timeoutMs)
  return raceCode.load().then((loaded) => loaded.raceToFirst(context, candidates, hedgeMs, timeoutMs))
}

/**
 * `race(models, { mode, hedgeMs, judge, timeoutMs })`: runs candidates concurrently. Streams race
 * on the first token and continue with the winner alone. Cooling-down candidates join only when
 * every candidate is cooling down (for `hedge`: as the last hedges).
 */
export function race(models: readonly string[], options: RaceOptions = {}): Strategy {
  const mode = options.mode ?? 'first'
  if (mode === 'best' && !options.judge) {
    throw new ConfigurationError("race(..., { mode: 'best' }) needs a judge model: race(models, { mode: 'best', judge: 'openai/gpt-4o-mini' }).")
  }
  return {
    specificationVersion: 'v1',
    name: 'race',
    models: options.judge && mode === 'best' ? [...models, judgeModel(options.judge)] : [...models],
    readsPricesBeforeAttempts: false,
    run(context) {
      const { healthy, coolingDown } = splitByHealth(context, models.map((id) => context.candidate(id)))
      if (mode === 'hedge') return raceToFirst(context, [...healthy, ...coolingDown], options.hedgeMs ?? 1_000, options.timeoutMs)
      const candidates = healthy.length > 0 ? healthy : coolingDown
      // A judge compares answers to a conversation: embeddings race for the first answer instead.
      if (mode === 'best' && context.operation !== 'embed') return raceCode.load().then((code) => code.raceForBest(context, context.request.messages, candidates, options.judge!, options.timeoutMs ?? 60_000))
      return raceToFirst(context, candidates, undefined, options.timeoutMs)
    },
  }
}
