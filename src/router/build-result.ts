import { addCosts } from '../cost/compute-cost.js'
import type { Cost } from '../spec/cost.js'
import type { Attempt, ChatResult, ModelResponse, RouteInfo } from '../spec/response.js'
import { toChatUsage, toTokens } from './chat-usage.js'
import type { Candidate } from '../spec/strategy.js'
import type { CachedAnswer } from './call-hooks.js'
import type { RouterIds } from './router-ids.js'

/** The call's cost: every attempt that has one, winners and losers alike (a race pays for both). */
export function callCost(attempts: readonly Attempt[], winner: Attempt): Cost {
  // The common case, one attempt that answered: its cost is the call's.
  if (attempts.length === 1 && attempts[0] === winner && winner.cost) return { ...winner.cost }
  const costed = attempts.filter((attempt) => attempt.cost !== undefined).map((attempt) => attempt.cost!)
  return costed.length > 0 ? addCosts(costed) : winner.cost ?? addCosts([])
}

export function buildRoute(input: {
  routeName: string | null
  candidate: Candidate
  strategy: string
  attempts: Attempt[]
  startedAt: number
  timeToFirstTokenMs?: number
}): RouteInfo {
  const route: RouteInfo = {
    name: input.routeName,
    provider: input.candidate.provider,
    model: input.candidate.model,
    strategy: input.strategy,
    attempts: input.attempts,
    latencyMs: performance.now() - input.startedAt,
    cacheHit: false,
  }
  if (input.timeToFirstTokenMs !== undefined) route.timeToFirstTokenMs = input.timeToFirstTokenMs
  return route
}

export function buildChatResult(response: ModelResponse, candidate: Candidate, cost: Cost, route: RouteInfo, created: number, ids: RouterIds): ChatResult {
  // OpenAI's shape always has both fields, null when absent. Spread into a literal rather than
  // fields added to a spread copy, which Node 20 makes ~30× dearer.
  const message = { role: 'assistant', content: null, refusal: null, ...(response.message as object) } as ChatResult['choices'][0]['message']
  message.content ??= null
  message.refusal ??= null
  const result: ChatResult = {
    id: response.id || ids.responseId(),
    object: 'chat.completion',
    created,
    model: candidate.id,
    choices: [{ index: 0, message, finish_reason: response.finishReason, logprobs: null }],
    usage: toChatUsage(response.usage),
    tokens: toTokens(response.usage),
    cost,
    route,
  }
  // Assigned rather than spread in: a conditional spread builds a throw-away object on every call.
  if (response.providerMetadata) result.provider_metadata = response.providerMetadata
  return result
}

function zeroCost(): Cost {
  return { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0, currency: 'USD' }
}

/** A cached answer's cost: nothing paid now, the original call's cost saved. */
export function savedCost(answer: Pick<CachedAnswer, 'originalCostUsd'>): Cost {
  const cost = zeroCost()
  cost.saved = answer.originalCostUsd
  return cost
}
