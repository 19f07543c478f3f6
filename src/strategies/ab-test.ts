import { abortable, eitherSignal } from '../internal/abortable.js'
import { ConfigurationError, SwitchyardError } from '../errors/errors.js'
import type { ChatMessage } from '../spec/message.js'
import type { ExperimentHandle } from '../spec/router-services.js'
import type { Attempt } from '../spec/response.js'
import { hashToUnit, pickWeighted } from './experiment-stats.js'
import { fallback } from './fallback.js'
import { askJudge, judgeModel, pairwisePrompt, parsePairwiseVerdict, type JudgeDefinition } from './judge.js'
import type { AttemptResult, Strategy, StrategyContext } from '../spec/strategy.js'

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

function variantStrategy(definition: VariantDefinition): Strategy {
  if (typeof definition === 'string') return fallback([definition])
  if ('run' in definition) return definition
  return fallback(definition)
}

/** What a finished run cost (every attempt of it), or `null` when some attempt had no known price. */
function runCost(attempts: readonly Attempt[]): number | null {
  let total = 0
  for (const attempt of attempts) {
    if (!attempt.cost) continue
    if (attempt.cost.total === null) return null
    total += attempt.cost.total
  }
  return total
}

function validate(options: AbTestOptions): void {
  const names = Object.keys(options.variants ?? {})
  if (names.length < 2) throw new ConfigurationError('abTest needs at least two variants: abTest({ variants: { a: "openai/gpt-4o", b: "anthropic/claude-sonnet-4-5" }, judge }).')
  for (const [name, weight] of Object.entries(options.weights ?? {})) {
    if (!names.includes(name)) throw new ConfigurationError(`abTest: weights.${name} names no variant (variants: ${names.join(', ')}).`)
    if (!(weight >= 0) || !Number.isFinite(weight)) throw new ConfigurationError(`abTest: weights.${name} must be a non-negative number.`)
  }
  if (names.every((name) => (options.weights?.[name] ?? 1) === 0)) throw new ConfigurationError('abTest: at least one variant needs a weight above 0.')
  const sampleRate = options.sampleRate ?? 0.1
  if (!(sampleRate >= 0 && sampleRate <= 1)) throw new ConfigurationError('abTest: sampleRate must be between 0 and 1.')
  if (sampleRate > 0 && !options.judge) throw new ConfigurationError("abTest: judged sampling needs a judge model: abTest({ ..., judge: 'openai/gpt-4o-mini' }), or sampleRate: 0.")
}

/**
 * `abTest({ variants, weights, judge, sampleRate, assignBy, promote })`: assigns each call to a
 * variant by weight, sticky per key (the request's `user` by default). On a sample of calls another
 * variant runs too, and once the caller has its answer, off the hot path, a judge compares the two
 * answers in both orders (to cancel position bias). `router.experiments()` reports the results.
 */
export function abTest(options: AbTestOptions): Strategy {
  validate(options)
  const names = Object.keys(options.variants)
  const strategies = new Map(names.map((name) => [name, variantStrategy(options.variants[name]!)]))
  const random = options.random ?? Math.random
  const sampleRate = options.sampleRate ?? 0.1
  const variantModels = new Set([...strategies.values()].flatMap((strategy) => strategy.models))
  const models = [...variantModels, ...(options.judge ? [judgeModel(options.judge)] : [])]

  function experimentOf(context: StrategyContext): ExperimentHandle {
    return context.services.experiments.experiment({
      name: options.name ?? context.routeName ?? 'abTest',
      variants: names.map((name) => ({ name, weight: options.weights?.[name] ?? 1, models: strategies.get(name)!.models })),
      promote: options.promote ?? 'manual',
      minComparisons: options.minComparisons ?? 10,
    })
  }

  function assignmentKey(context: StrategyContext): string | undefined {
    if (typeof options.assignBy === 'function') return options.assignBy(context)
    return context.operation === 'embed' ? undefined : context.request.user
  }

  async function recordServed(experiment: ExperimentHandle, variant: string, context: StrategyContext, result: AttemptResult): Promise<void> {
    const attempt = await result.settled
    if (attempt.outcome !== 'success') return
    experiment.recordRun(variant, { latencyMs: attempt.latencyMs, cost: runCost(context.attempts), shadow: false })
  }

  async function compare(
    context: StrategyContext,
    messages: readonly ChatMessage[],
    experiment: ExperimentHandle,
    served: { variant: string; result: AttemptResult },
    shadow: { variant: string; context: StrategyContext; run: Promise<AttemptResult> },
    deadline: AbortSignal,
  ): Promise<void> {
    try {
      const [servedText, shadowResult] = await abortable(Promise.all([served.result.text(), shadow.run]), deadline)
      const shadowText = await shadowResult.text()
      experiment.recordRun(shadow.variant, { latencyMs: shadowResult.attempt.latencyMs, cost: runCost(shadow.context.attempts), shadow: true })
      const judge = options.judge!
      // Both orders: a judge that favours a position gives one vote each way, which cancels out.
      const verdicts = await Promise.all([
        askJudge(context, judge, pairwisePrompt(judge, messages, servedText, shadowText), deadline),
        askJudge(context, judge, pairwisePrompt(judge, messages, shadowText, servedText), deadline),
      ])
      for (const verdict of verdicts) experiment.recordJudgeCost(verdict.cost)
      const [servedFirst, shadowFirst] = verdicts.map((verdict) => parsePairwiseVerdict(verdict.text))
      if (!servedFirst || !shadowFirst) throw new SwitchyardError(`the judge ${judgeModel(judge)} answered neither A, B nor TIE.`)
      const score = (servedFirst === 'A' ? 1 : servedFirst === 'B' ? -1 : 0) + (shadowFirst === 'B' ? 1 : shadowFirst === 'A' ? -1 : 0)
      experiment.recordComparison(served.variant, shadow.variant, score > 0 ? 'win' : score < 0 ? 'loss' : 'tie')
    } catch (error) {
      experiment.recordFailedComparison()
      const reason = error instanceof Error ? error.message : String(error)
      context.services.events.emit({ type: 'warning', code: 'comparison_failed', message: `abTest ${experiment.settings.name}: a comparison of "${served.variant}" and "${shadow.variant}" failed: ${reason}` })
    }
  }

  return {
    specificationVersion: 'v1',
    name: 'abTest',
    models,
    async run(context) {
      const experiment = experimentOf(context)
      const key = assignmentKey(context)
      const unit = key === undefined ? random() : hashToUnit(`${experiment.settings.name}\u0000${key}`)
      const variant = pickWeighted(experiment.weights(), unit)
      experiment.recordCall(variant)

      let shadow: { variant: string; context: StrategyContext; run: Promise<AttemptResult>; controller: AbortController; messages: readonly ChatMessage[] } | undefined
      // Judging compares answers to the conversation, so embeddings are never compared.
      const messages = context.operation === 'embed' ? undefined : context.request.messages
      if (experiment.promoted === null && options.judge && messages && random() < sampleRate) {
        // Any other variant, weight 0 included: a variant can be evaluated in the shadow before it serves anyone.
        const others = names.filter((name) => name !== variant)
        if (others.length > 0) {
          const other = others[Math.floor(random() * others.length)]!
          const timeoutMs = options.comparisonTimeoutMs ?? 120_000
          // Its own signal: the comparison must outlive the caller's request, bounded by the timeout.
          const controller = new AbortController()
          const deadline = eitherSignal(controller.signal, AbortSignal.timeout(timeoutMs))
          const sideContext = context.fork({ operation: 'chat', signal: deadline, kind: 'shadow' })
          const run = strategies.get(other)!.run(sideContext)
          // The shadow run is a side call of its own: it ends when its strategy settles.
          run.then(
            () => sideContext.end?.(),
            (error: unknown) => sideContext.end?.(error),
          )
          shadow = { variant: other, context: sideContext, run, controller, messages }
        }
      }

      let result: AttemptResult
      try {
        result = await strategies.get(variant)!.run(context)
      } catch (error) {
        shadow?.controller.abort(new Error('the served variant failed'))
        throw error
      }
      // Off the hot path; `router.close()` waits for it.
      const background = context.services.background
      background.track(recordServed(experiment, variant, context, result))
      if (shadow) background.track(compare(context, shadow.messages, experiment, { variant, result }, shadow, shadow.context.signal))
      return result
    },
  }
}
