import { messageText } from '../internal/answer-text.js'
import { StrategyError } from '../errors/errors.js'
import type { ChatMessage } from '../spec/message.js'
import type { ChatParameters } from '../spec/request.js'
import { attemptWithRetries } from './fallback.js'
import type { StrategyContext } from '../spec/strategy.js'

/** A judge: a `provider/model` id, or one with the criteria it should judge by. */
export type JudgeDefinition = string | { model: string; criteria?: string }

const defaultCriteria = 'helpfulness, correctness, completeness and following the instructions'

export function judgeModel(judge: JudgeDefinition): string {
  return typeof judge === 'string' ? judge : judge.model
}

function judgeCriteria(judge: JudgeDefinition): string {
  return typeof judge === 'string' ? defaultCriteria : judge.criteria ?? defaultCriteria
}

function conversationText(messages: readonly ChatMessage[]): string {
  return messages
    .map((message) => {
      const content =
        message.role === 'assistant'
          ? messageText(message)
          : typeof message.content === 'string'
            ? message.content
            : message.content.map((part) => (part.type === 'text' ? part.text : '[image]')).join('')
      return `[${message.role}]\n${content}`
    })
    .join('\n\n')
}

function judgeRequest(system: string, user: string): ChatParameters {
  return { messages: [{ role: 'system', content: system }, { role: 'user', content: user }], temperature: 0 }
}

/** The pairwise prompt: which of two answers to the same conversation is better. */
export function pairwisePrompt(judge: JudgeDefinition, messages: readonly ChatMessage[], answerA: string, answerB: string): ChatParameters {
  return judgeRequest(
    `You are an impartial judge. Compare two assistant answers to the same conversation on ${judgeCriteria(judge)}. ` +
      'Ignore their order and length. Reply with exactly one word: A, B or TIE.',
    `<conversation>\n${conversationText(messages)}\n</conversation>\n\n<answer_a>\n${answerA}\n</answer_a>\n\n<answer_b>\n${answerB}\n</answer_b>\n\nWhich answer is better? Reply A, B or TIE.`,
  )
}

/** The best-of-N prompt: which numbered answer is best. */
export function rankingPrompt(judge: JudgeDefinition, messages: readonly ChatMessage[], answers: readonly string[]): ChatParameters {
  return judgeRequest(
    `You are an impartial judge. Pick the best assistant answer to the conversation on ${judgeCriteria(judge)}. ` +
      `Ignore their order and length. Reply with the answer's number only (1 to ${answers.length}).`,
    `<conversation>\n${conversationText(messages)}\n</conversation>\n\n` +
      answers.map((answer, index) => `<answer_${index + 1}>\n${answer}\n</answer_${index + 1}>`).join('\n\n') +
      `\n\nWhich answer is best? Reply with its number (1 to ${answers.length}).`,
  )
}

export type PairwiseVerdict = 'A' | 'B' | 'TIE'

/** The judge's first A, B or TIE; `null` when it said none of them. */
export function parsePairwiseVerdict(text: string): PairwiseVerdict | null {
  const match = /\b(TIE|A|B)\b/.exec(text.toUpperCase())
  return (match?.[1] as PairwiseVerdict | undefined) ?? null
}

/** The judge's first number within 1..count, as a 0-based index; `null` when there is none. */
export function parseRankingVerdict(text: string, count: number): number | null {
  for (const match of text.matchAll(/\b(\d+)\b/g)) {
    const number = Number(match[1])
    if (number >= 1 && number <= count) return number - 1
  }
  return null
}

export interface JudgeAnswer {
  text: string
  /** What the judge call cost, USD; `null` when the judge model has no known price. */
  cost: number | null
}

/**
 * Asks the judge model, as a side call of `context` (a forked context, so its attempts are not
 * part of the caller's route). One retry on a retryable error.
 */
export async function askJudge(context: StrategyContext, judge: JudgeDefinition, request: ChatParameters, signal?: AbortSignal): Promise<JudgeAnswer> {
  const side = context.fork({ request, operation: 'chat', signal, kind: 'judge' })
  try {
    const result = await attemptWithRetries(side, side.candidate(judgeModel(judge)), { retries: 1 })
    if (result.operation !== 'chat') throw new StrategyError('judge', `the judge ${judgeModel(judge)} returned no whole response.`)
    const answer = { text: await result.text(), cost: result.attempt.cost?.total ?? null }
    side.end?.()
    return answer
  } catch (error) {
    side.end?.(error)
    throw error
  }
}
