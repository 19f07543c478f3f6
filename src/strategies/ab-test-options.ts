import type { Strategy, StrategyContext } from '../spec/strategy.js'
import type { JudgeDefinition } from './judge.js'

/** A variant: one `provider/model` id, a fallback chain of ids, or any strategy. */
export type VariantDefinition = string | readonly string[] | Strategy

export interface AbTestOptions {
  /** Variant name → what it runs. At least two. */
  variants: Record<string, VariantDefinition>
  /** Variant name → relative share of traffic. Default: equal shares. */
  weights?: Record<string, number>
  /** The pairwise judge model; required when `sampleRate` > 0. Validated at `createRouter()`. */
  judge?: JudgeDefinition
  /**
   * Share of calls (0..1) on which another variant (chosen uniformly, weight 0 included) also runs
   * and the judge compares both answers. Default 0.1.
   */
  sampleRate?: number
  /**
   * The sticky assignment key: `'user'` (default) uses the request's `user` field; a function may
   * read anything on the call. Calls without a key are assigned at random.
   */
  assignBy?: 'user' | ((context: StrategyContext) => string | undefined)
  /** `'auto'` sends all new traffic to the winner once its interval excludes 50%. Default `'manual'`. */
  promote?: 'auto' | 'manual'
  /** Name in `router.experiments()`. Default: the route name. */
  name?: string
  /** Judged comparisons a variant needs before it can be recommended. Default 10. */
  minComparisons?: number
  /** Gives up a comparison (shadow run and both judge calls) after this long. Default 120 000 ms. */
  comparisonTimeoutMs?: number
  /** Random source in [0, 1), for reproducible tests. Default `Math.random`. */
  random?: () => number
}
