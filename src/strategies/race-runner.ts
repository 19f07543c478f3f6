// The race strategy's runs: candidates started concurrently or hedged, the first answer winning,
// or every answer judged. Imported the first time a race runs (race.ts), so routers without one
// do not compile it.
import { abortable } from '../internal/abortable.js'
import { AbortedError, InvalidRequestError, SwitchyardError } from '../errors/errors.js'
import type { ChatMessage } from '../spec/message.js'
import { allFailed } from './fallback.js'
import { shouldTryNextCandidate } from './fallback-policy.js'
import { askJudge, judgeModel, parseRankingVerdict, rankingPrompt, type JudgeDefinition } from './judge.js'
import type { AttemptResult, Candidate, StrategyContext } from '../spec/strategy.js'

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
export async function raceForBest(
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

