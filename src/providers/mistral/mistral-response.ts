import { ProviderError } from '../../errors/errors.js'
import type { AssistantMessage, ToolCall } from '../../spec/message.js'
import type { FinishReason, ModelResponse } from '../../spec/response.js'
import type { StreamEvent } from '../../spec/stream-event.js'
import type { Usage } from '../../spec/usage.js'
import { emptyUsage } from '../../provider-kit/usage.js'
import { usageFromCachedPrompt } from '../../provider-kit/cached-prompt-usage.js'
import { incompleteStreamError } from '../../provider-kit/incomplete-stream.js'
import type { MistralChunk, MistralCompletion, MistralContentChunk, MistralToolCall, MistralUsage } from './mistral-wire-types.js'

export interface MistralResponseContext {
  provider: string
  model: string
}

/**
 * Mistral's finish reasons. `error` means generation broke off: it becomes a retryable error, so
 * fallback can take over, rather than a truncated answer that looks complete.
 */
function finishReasonFromMistral(reason: string | null | undefined, hasToolCalls: boolean, context: MistralResponseContext): FinishReason {
  switch (reason) {
    case 'length':
    case 'model_length':
      return 'length'
    case 'tool_calls':
      return 'tool_calls'
    case 'error':
      throw new ProviderError(`${context.provider}/${context.model}: Mistral stopped generating with finish reason "error".`, { ...context, retryable: true })
    default:
      return hasToolCalls ? 'tool_calls' : 'stop'
  }
}

/** Mistral counts cached tokens inside `prompt_tokens`, under one of two names. */
function usageFromMistral(usage: MistralUsage | null | undefined): Usage {
  if (!usage) return emptyUsage()
  return usageFromCachedPrompt({
    promptTokens: usage.promptTokens ?? 0,
    cachedTokens: usage.prompt_tokens_details?.cached_tokens ?? usage.num_cached_tokens ?? 0,
    outputTokens: usage.completionTokens ?? 0,
    // Mistral reports no separate count for Magistral's thinking.
    reasoningTokens: 0,
  })
}

/** Mistral returns content as a string or as chunks; thinking chunks (Magistral) are reasoning. */
function splitContent(content: string | MistralContentChunk[] | null | undefined): { text: string; reasoning: string } {
  if (content === null || content === undefined) return { text: '', reasoning: '' }
  if (typeof content === 'string') return { text: content, reasoning: '' }
  let text = ''
  let reasoning = ''
  for (const chunk of content) {
    if (chunk.type === 'text') text += (chunk as { text: string }).text
    else if (chunk.type === 'thinking') {
      for (const part of (chunk as { thinking: Array<{ text?: string }> }).thinking) reasoning += part.text ?? ''
    }
  }
  return { text, reasoning }
}

/** Tool arguments arrive as JSON text or, from some models, as an already-parsed object. */
function argumentsText(value: string | Record<string, unknown> | undefined): string {
  if (value === undefined) return ''
  return typeof value === 'string' ? value : JSON.stringify(value)
}

const hasId = (call: MistralToolCall) => call.id !== undefined && call.id !== '' && call.id !== 'null'

export function fromMistralResponse(completion: MistralCompletion, context: MistralResponseContext): ModelResponse {
  const choice = completion.choices[0]
  const wire = choice?.message ?? {}
  const { text, reasoning } = splitContent(wire.content)
  const toolCalls: ToolCall[] = (wire.toolCalls ?? []).map((call, index) => ({
    id: hasId(call) ? call.id! : `call_${index}`,
    type: 'function',
    function: { name: call.function.name, arguments: argumentsText(call.function.arguments) || '{}' },
  }))
  const message: AssistantMessage = { role: 'assistant', content: text === '' && toolCalls.length > 0 ? null : text }
  if (toolCalls.length > 0) message.tool_calls = toolCalls
  if (reasoning) message.reasoning = reasoning
  return {
    id: completion.id,
    model: completion.model,
    message,
    finishReason: finishReasonFromMistral(choice?.finishReason, toolCalls.length > 0, context),
    usage: usageFromMistral(completion.usage),
    ...(completion.usage ? {} : { usageReported: false as const }),
  }
}

interface ToolCallState {
  index: number
  id: string
  name: string
  arguments: string
}

/**
 * Canonical events from the SDK's stream of completion events. Mistral usually sends each tool call
 * whole in one chunk, often without an `index`, so a call with a new id is a new call; deltas without
 * an id extend the call at their index. Tool calls end when the stream does.
 */
export async function* mistralStreamEvents(events: AsyncIterable<{ data: MistralChunk }>, context: MistralResponseContext): AsyncGenerator<StreamEvent> {
  let started = false
  let finishReason: string | null = null
  let usage: MistralUsage | undefined
  const calls: ToolCallState[] = []
  const callsById = new Map<string, ToolCallState>()
  for await (const event of events) {
    const chunk = event.data
    if (!started) {
      started = true
      yield { type: 'response-start', id: chunk.id, model: chunk.model }
    }
    if (chunk.usage) usage = chunk.usage
    const choice = chunk.choices[0]
    if (!choice) continue
    const { text, reasoning } = splitContent(choice.delta.content)
    if (reasoning) yield { type: 'reasoning-delta', text: reasoning }
    if (text) yield { type: 'text-delta', text }
    for (const call of choice.delta.toolCalls ?? []) {
      let state = hasId(call) ? callsById.get(call.id!) : (calls.find((candidate) => candidate.index === call.index) ?? calls.at(-1))
      if (!state) {
        state = { index: calls.length, id: hasId(call) ? call.id! : `call_${calls.length}`, name: call.function.name, arguments: '' }
        calls.push(state)
        callsById.set(state.id, state)
        yield { type: 'tool-call-start', index: state.index, id: state.id, name: state.name }
      }
      const argumentsDelta = argumentsText(call.function.arguments)
      if (argumentsDelta) {
        state.arguments += argumentsDelta
        yield { type: 'tool-call-delta', index: state.index, argumentsDelta }
      }
    }
    if (choice.finishReason) finishReason = choice.finishReason
  }
  if (finishReason === null) throw incompleteStreamError(context.provider, context.model, 'a finish reason')
  for (const call of calls) yield { type: 'tool-call-end', index: call.index, id: call.id, name: call.name, arguments: call.arguments || '{}' }
  yield { type: 'finish', finishReason: finishReasonFromMistral(finishReason, calls.length > 0, context), usage: usageFromMistral(usage) }
}
