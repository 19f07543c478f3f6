// The A/B test strategy's runs: assigning a call to a variant, the judged shadow comparisons and
// the experiment's records. Imported the first time an A/B test runs (ab-test.ts), so routers
// without one do not compile it.
import { abortable, eitherSignal } from '../internal/abortable.js'
import { SwitchyardError } from '../errors/errors.js'
import type { ChatMessage } from '../spec/message.js'
import type { ExperimentHandle } from '../spec/router-services.js'
import type { Attempt } from '../spec/response.js'
import type { AbTestOptions } from './ab-test-options.js'
import { hashToUnit, pickWeighted } from './experiment-stats.js'
import { askJudge, judgeModel, pairwisePrompt, parsePairwiseVerdict } from './judge.js'
import type { AttemptResult, Strategy, StrategyContext } from '../spec/strategy.js'

/** An `abTest()` as its factory checked and built it. */
export interface AbTestSetup {
  readonly options: AbTestOptions
  readonly names: readonly string[]
  readonly strategies: ReadonlyMap<string, Strategy>
  readonly random: () => number
  readonly sampleRate: number
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

/** One call of an A/B test: the variant it is assigned to serves it; sometimes another runs in the shadow and a judge compares. */
export async function runAbTest(setup: AbTestSetup, context: StrategyContext): Promise<AttemptResult> {
  const { options, names, strategies, random, sampleRate } = setup
  const experiment = experimentOf(setup, context)
  const key = assignmentKey(options, context)
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
  if (shadow) background.track(compare(options, context, shadow.messages, experiment, { variant, result }, shadow, shadow.context.signal))
  return result
}

function experimentOf({ options, names, strategies }: AbTestSetup, context: StrategyContext): ExperimentHandle {
  return context.services.experiments.experiment({
    name: options.name ?? context.routeName ?? 'abTest',
    variants: names.map((name) => ({ name, weight: options.weights?.[name] ?? 1, models: strategies.get(name)!.models })),
    promote: options.promote ?? 'manual',
    minComparisons: options.minComparisons ?? 10,
  })
}

function assignmentKey(options: AbTestOptions, context: StrategyContext): string | undefined {
  if (typeof options.assignBy === 'function') return options.assignBy(context)
  return context.operation === 'embed' ? undefined : context.request.user
}

async function recordServed(experiment: ExperimentHandle, variant: string, context: StrategyContext, result: AttemptResult): Promise<void> {
  const attempt = await result.settled
  if (attempt.outcome !== 'success') return
  experiment.recordRun(variant, { latencyMs: attempt.latencyMs, cost: runCost(context.attempts), shadow: false })
}

async function compare(
  options: AbTestOptions,
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

