import { abortable } from '../internal/abortable.js'
import { AbortedError, ConfigurationError, InvalidRequestError, SwitchyardError } from '../errors/errors.js'
import type { ChatMessage } from '../spec/message.js'
import type { ChatParameters } from '../spec/request.js'
import { splitByHealth } from './candidate-health.js'
import { allFailed } from './fallback.js'
import { shouldTryNextCandidate } from './fallback-policy.js'
import { askJudge, judgeModel, parseRankingVerdict, rankingPrompt, type JudgeDefinition } from './judge.js'
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

interface Runner {
  readonly candidate: Candidate
  readonly controller: AbortController
  readonly promise: Promise<AttemptResult>
}

function startRunner(context: StrategyContext, candidate: Candidate, timeoutMs: number | undefined): Runner {
  const controller = new AbortController()
  return { candidate, controller, promise: context.attempt(candidate, { signal: controller.signal, timeoutMs }) }
}

const lostRace = () => new AbortedError('Another candidate answered first.')

/**
 * Runs candidates concurrently (all at once, or hedged) and resolves with the first success. The
 * losers are aborted through their attempt signal the moment the winner answers, and their
 * attempts have settled (recorded as `aborted`) before this resolves.
 */
export function raceToFirst(context: StrategyContext, candidates: readonly Candidate[], hedgeMs: number | undefined, timeoutMs?: number): Promise<AttemptResult> {
  // Nothing to race: settle now rather than wait for an answer that cannot come.
  if (candidates.length === 0) return Promise.reject(new InvalidRequestError('race: there are no candidates to run.', { status: 400 }))
  return new Promise<AttemptResult>((resolve, reject) => {
    const runners: Runner[] = []
    let failures = 0
    let done = false
    let hedgeTimer: ReturnType<typeof setTimeout> | undefined

    const finish = (outcome: () => void, except?: Runner) => {
      done = true
      clearTimeout(hedgeTimer)
      for (const runner of runners) if (runner !== except) runner.controller.abort(lostRace())
      // The losers reject within microtasks (attempts are abortable), so the route reports them settled.
      void Promise.allSettled(runners.filter((runner) => runner !== except).map((runner) => runner.promise)).then(outcome)
    }

    const startNext = () => {
      clearTimeout(hedgeTimer)
      if (done || runners.length >= candidates.length) return
      const runner = startRunner(context, candidates[runners.length]!, timeoutMs)
      runners.push(runner)
      runner.promise.then(
        (result) => {
          if (done) return result.cancel()
          finish(() => resolve(result), runner)
        },
        (error: unknown) => {
          if (done) return
          failures += 1
          if (!shouldTryNextCandidate(error)) return finish(() => reject(error))
          if (failures === candidates.length) return finish(() => reject(candidates.length === 1 ? error : allFailed(context)))
          // A failure frees the slot at once rather than waiting out the hedge delay.
          if (hedgeMs !== undefined && failures === runners.length) startNext()
        },
      )
      if (hedgeMs !== undefined && runners.length < candidates.length) hedgeTimer = setTimeout(startNext, hedgeMs)
    }

    if (hedgeMs === undefined) while (!done && runners.length < candidates.length) startNext()
    else startNext()
  })
}

/** Waits for every candidate (bounded by `timeoutMs`), then lets the judge pick among the answers. */
async function raceForBest(
  context: StrategyContext,
  messages: readonly ChatMessage[],
  candidates: readonly Candidate[],
  judge: JudgeDefinition,
  timeoutMs: number,
): Promise<AttemptResult> {
  const deadline = AbortSignal.timeout(timeoutMs)
  const runners = candidates.map((candidate) => startRunner(context, candidate, undefined))
  const stopAll = () => runners.forEach((runner) => runner.controller.abort(new AbortedError(`No answer within the race's ${timeoutMs} ms.`)))
  deadline.addEventListener('abort', stopAll, { once: true })
  try {
    const outcomes = await Promise.allSettled(
      runners.map(async (runner) => {
        const result = await runner.promise
        // Streams are read to the end (and kept buffered) so the judge sees whole answers.
        try {
          return { result, text: await abortable(result.text(), runner.controller.signal) }
        } catch (error) {
          result.cancel()
          throw error
        }
      }),
    )
    const answers = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []))
    if (answers.length === 0) {
      const errors = outcomes.map((outcome) => (outcome as PromiseRejectedResult).reason)
      const decisive = errors.find((error) => !shouldTryNextCandidate(error) && !(error instanceof AbortedError && !context.signal.aborted))
      throw decisive ?? (candidates.length === 1 ? errors[0] : allFailed(context))
    }
    let winner = 0
    try {
      if (answers.length > 1) winner = await pickBest(context, messages, judge, answers.map((answer) => answer.text))
    } catch (error) {
      // The caller gave up while the judge deliberated: close every answer, so each is recorded.
      for (const answer of answers) answer.result.cancel()
      throw error
    }
    answers.forEach((answer, index) => index !== winner && answer.result.cancel())
    return answers[winner]!.result
  } finally {
    deadline.removeEventListener('abort', stopAll)
  }
}

/** The judge's pick; the earliest-listed answer when the judge fails or answers unclearly. */
async function pickBest(context: StrategyContext, messages: readonly ChatMessage[], judge: JudgeDefinition, answers: string[]): Promise<number> {
  try {
    const verdict = await askJudge(context, judge, rankingPrompt(judge, messages, answers))
    const index = parseRankingVerdict(verdict.text, answers.length)
    if (index !== null) return index
    context.services.events.emit({ type: 'warning', code: 'judge_unclear', message: `race: the judge ${judgeModel(judge)} named no answer; the first answer is used.` })
  } catch (error) {
    if (context.signal.aborted) throw error
    const reason = error instanceof SwitchyardError ? error.code : 'error'
    context.services.events.emit({ type: 'warning', code: 'judge_failed', message: `race: the judge ${judgeModel(judge)} failed (${reason}); the first answer is used.` })
  }
  return 0
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
      if (mode === 'best' && context.operation !== 'embed') return raceForBest(context, context.request.messages, candidates, options.judge!, options.timeoutMs ?? 60_000)
      return raceToFirst(context, candidates, undefined, options.timeoutMs)
    },
  }
}
