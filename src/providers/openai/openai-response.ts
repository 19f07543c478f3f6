import type { AssistantMessage, ToolCall } from '../../spec/message.js'
import type { FinishReason, ModelResponse } from '../../spec/response.js'
import type { StreamEvent } from '../../spec/stream-event.js'
import type { Usage } from '../../spec/usage.js'
import { emptyUsage } from '../../provider-kit/usage.js'
import { usageFromCachedPrompt } from '../../provider-kit/cached-prompt-usage.js'
import { incompleteStreamError } from '../../provider-kit/incomplete-stream.js'
import { isPlainObject } from '../../provider-kit/merge-one-level.js'
import type { OpenAIWireChunk, OpenAIWireCompletion, OpenAIWireUsage } from './openai-wire-types.js'

function finishReasonFromOpenAI(reason: string | null | undefined, hasToolCalls: boolean): FinishReason {
  switch (reason) {
    case 'length':
      return 'length'
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls'
    case 'content_filter':
      return 'content_filter'
    default:
      return hasToolCalls ? 'tool_calls' : 'stop'
  }
}

/** OpenAI counts cached tokens inside `prompt_tokens` (DeepSeek reports them as `prompt_cache_hit_tokens`). */
function usageFromOpenAI(usage: OpenAIWireUsage | null | undefined, serviceTier?: unknown): Usage {
  if (!usage) return emptyUsage()
  const canonical = usageFromCachedPrompt({
    promptTokens: usage.prompt_tokens ?? 0,
    cachedTokens: usage.prompt_tokens_details?.cached_tokens ?? usage.prompt_cache_hit_tokens ?? 0,
    cacheWriteTokens: usage.prompt_tokens_details?.cache_write_tokens ?? 0,
    outputTokens: usage.completion_tokens ?? 0,
    reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
  })
  // The tier the call was billed at (`flex`, `priority`); the standard tier needs no mention.
  if (typeof serviceTier === 'string' && serviceTier !== 'default' && serviceTier !== 'auto') canonical.serviceTier = serviceTier
  return canonical
}

/** Fields of a response or chunk that have no canonical home but must not be lost. */
const knownWireFields = new Set(['id', 'object', 'created', 'model', 'choices', 'usage'])

function extraMetadata(wire: Record<string, unknown>): Record<string, unknown> | undefined {
  // A plain loop: this runs on every response and every streamed chunk.
  let extra: Record<string, unknown> | undefined
  for (const key in wire) {
    const value = wire[key]
    if (value === undefined || value === null || knownWireFields.has(key)) continue
    extra ??= {}
    extra[key] = value
  }
  return extra
}

/**
 * A chunk's extra fields laid over those of the chunks before it, as `mergeOneLevel` lays them
 * (objects merged one level deep), into the stream's own record: it is handed on only with the
 * finish event, so nothing sees it change, and no copy is made per chunk (most chunks carry a
 * `system_fingerprint` or the like).
 */
function mergeExtraMetadata(metadata: Record<string, unknown> | undefined, wire: Record<string, unknown>): Record<string, unknown> | undefined {
  for (const key in wire) {
    const value = wire[key]
    if (value === undefined || value === null || knownWireFields.has(key)) continue
    metadata ??= {}
    const current = metadata[key]
    metadata[key] = isPlainObject(current) && isPlainObject(value) ? { ...current, ...value } : value
  }
  return metadata
}

export function fromOpenAIResponse(completion: OpenAIWireCompletion): ModelResponse {
  const choice = completion.choices[0]
  const wire = choice?.message ?? {}
  const message: AssistantMessage = { role: 'assistant', content: wire.content ?? null }
  const wireCalls = wire.tool_calls
  if (wireCalls && wireCalls.length > 0) {
    message.tool_calls = wireCalls.map(
      (call): ToolCall => ({ id: call.id ?? '', type: 'function', function: { name: call.function?.name ?? '', arguments: call.function?.arguments || '{}' } }),
    )
  }
  if (wire.refusal) message.refusal = wire.refusal
  const reasoning = wire.reasoning_content ?? wire.reasoning
  if (reasoning) message.reasoning = reasoning
  const providerMetadata = extraMetadata(completion)
  const response: ModelResponse = {
    id: completion.id,
    model: completion.model,
    message,
    finishReason: finishReasonFromOpenAI(choice?.finish_reason, message.tool_calls !== undefined),
    usage: usageFromOpenAI(completion.usage, completion.service_tier),
  }
  // Assigned rather than spread in: a conditional spread costs a runtime copy on every response.
  if (!completion.usage) response.usageReported = false
  if (providerMetadata) response.providerMetadata = providerMetadata
  return response
}

/** Names the provider and model in the error of a truncated stream. */
export interface OpenAIStreamContext {
  provider: string
  model: string
}

/**
 * Canonical events from an OpenAI-format chunk stream. Tool calls are ended when the stream ends,
 * because arguments may arrive until the last chunk; usage arrives in a chunk after the finish reason.
 */
export async function* openAIStreamEvents(chunks: AsyncIterable<OpenAIWireChunk>, context: OpenAIStreamContext): AsyncGenerator<StreamEvent> {
  let started = false
  let finishReason: string | null = null
  let usage: OpenAIWireUsage | null | undefined
  let serviceTier: unknown
  let metadata: Record<string, unknown> | undefined
  const toolCalls = new Map<number, { id: string; name: string; arguments: string }>()
  for await (const chunk of chunks) {
    if (!started) {
      started = true
      yield { type: 'response-start', id: chunk.id, model: chunk.model }
    }
    if (chunk.usage) usage = chunk.usage
    if (chunk.service_tier !== undefined) serviceTier = chunk.service_tier
    // Hosts spread one object over several chunks (Groq's `x_groq`: a seed first, usage last); keep every part.
    metadata = mergeExtraMetadata(metadata, chunk)
    const choice = chunk.choices?.[0]
    if (!choice) continue
    const delta = choice.delta ?? {}
    const reasoning = delta.reasoning_content ?? delta.reasoning
    if (reasoning) yield { type: 'reasoning-delta', text: reasoning }
    if (delta.content) yield { type: 'text-delta', text: delta.content }
    if (delta.refusal) yield { type: 'refusal-delta', text: delta.refusal }
    for (const call of delta.tool_calls ?? []) {
      const index = call.index ?? toolCalls.size
      let state = toolCalls.get(index)
      if (!state) {
        state = { id: call.id ?? `call_${index}`, name: call.function?.name ?? '', arguments: '' }
        toolCalls.set(index, state)
        yield { type: 'tool-call-start', index, id: state.id, name: state.name }
      }
      const argumentsDelta = call.function?.arguments
      if (argumentsDelta) {
        state.arguments += argumentsDelta
        yield { type: 'tool-call-delta', index, argumentsDelta }
      }
    }
    if (choice.finish_reason) finishReason = choice.finish_reason
  }
  if (finishReason === null) throw incompleteStreamError(context.provider, context.model, 'a finish reason')
  for (const [index, call] of toolCalls) {
    yield { type: 'tool-call-end', index, id: call.id, name: call.name, arguments: call.arguments || '{}' }
  }
  yield {
    type: 'finish',
    finishReason: finishReasonFromOpenAI(finishReason, toolCalls.size > 0),
    usage: usageFromOpenAI(usage, serviceTier),
    ...(metadata ? { providerMetadata: metadata } : {}),
  }
}
