import { InvalidRequestError } from '../core/errors.js'
import type { AssistantMessage, ChatMessage, TextPart } from '../core/types/message.js'
import type { ChatRequest } from '../core/types/request.js'
import type { ChatChunk, ChatResult } from '../core/types/response.js'
import type { ChatUsage } from '../core/types/usage.js'
import type {
  OpenAIChatCompletion,
  OpenAIChatCompletionChunk,
  OpenAIChatCompletionMessage,
  OpenAIChatCompletionParams,
  OpenAIUsage,
} from './openai-types.js'

/** Canonical fields, copied as given (the router validates them). */
const canonicalFields = [
  'messages',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'temperature',
  'top_p',
  'max_tokens',
  'max_completion_tokens',
  'stop',
  'seed',
  'presence_penalty',
  'frequency_penalty',
  'reasoning_effort',
  'user',
] as const

/**
 * OpenAI-only fields with no canonical home. They are forwarded to OpenAI (provider id `openai`)
 * through `provider_options`, and other providers never see them.
 */
const openAIOnlyFields = ['logit_bias', 'service_tier', 'store', 'metadata', 'prompt_cache_key', 'prompt_cache_retention', 'safety_identifier', 'verbosity', 'prediction'] as const

function fail(message: string): never {
  throw new InvalidRequestError(`Invalid request: ${message}`, { status: 400 })
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

function rejectUnsupported(params: Record<string, unknown>): void {
  if (params.n !== undefined && params.n !== null && params.n !== 1) fail('`n` must be 1: the router returns one choice per call.')
  if (params.logprobs === true || (params.top_logprobs !== undefined && params.top_logprobs !== null)) {
    fail('`logprobs` and `top_logprobs` are not supported through the router.')
  }
  if (params.audio !== undefined && params.audio !== null) fail('audio output is not supported through the router.')
  if (Array.isArray(params.modalities) && params.modalities.some((modality) => modality !== 'text')) {
    fail('only the "text" output modality is supported through the router.')
  }
  if (params.functions !== undefined || params.function_call !== undefined) {
    fail('`functions` / `function_call` are deprecated; use `tools` / `tool_choice`.')
  }
  if (params.web_search_options !== undefined) fail('`web_search_options` is not supported through the router.')
}

/** Assistant content may hold `refusal` parts in OpenAI's format; the canonical message has a `refusal` field. */
function normaliseMessage(message: unknown): unknown {
  if (!isObject(message) || message.role !== 'assistant' || !Array.isArray(message.content)) return message
  const refusals = message.content.filter((part) => isObject(part) && part.type === 'refusal')
  if (refusals.length === 0) return message
  const text = message.content.filter((part) => !(isObject(part) && part.type === 'refusal'))
  const normalised: Record<string, unknown> = {
    ...message,
    content: text.length > 0 ? text : null,
    refusal: refusals.map((part) => String((part as { refusal?: unknown }).refusal ?? '')).join(''),
  }
  return normalised
}

/** An OpenAI Chat Completions request as the canonical request. Unsupported features are a 400. */
export function chatRequestFromOpenAI(params: OpenAIChatCompletionParams): ChatRequest {
  if (!isObject(params)) fail('the body must be a JSON object with `model` and `messages`.')
  rejectUnsupported(params)
  const request: Record<string, unknown> = { model: params.model }
  for (const field of canonicalFields) if (params[field] !== undefined && params[field] !== null) request[field] = params[field]
  if (Array.isArray(request.messages)) request.messages = (request.messages as unknown[]).map(normaliseMessage) as ChatMessage[]
  const forwarded = Object.fromEntries(openAIOnlyFields.filter((field) => params[field] !== undefined && params[field] !== null).map((field) => [field, params[field]]))
  const providerOptions = isObject(params.provider_options) ? { ...params.provider_options } : params.provider_options
  if (Object.keys(forwarded).length > 0) {
    if (providerOptions !== undefined && !isObject(providerOptions)) fail('`provider_options` must be an object keyed by provider id.')
    request.provider_options = { ...providerOptions, openai: { ...forwarded, ...(providerOptions?.openai as Record<string, unknown> | undefined) } }
  } else if (providerOptions !== undefined) {
    request.provider_options = providerOptions
  }
  return request as unknown as ChatRequest
}

/** Exactly OpenAI's usage fields; the canonical camelCase counters stay on `route.attempts[].usage`. */
export function toOpenAIUsage(usage: ChatUsage): OpenAIUsage {
  return {
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    total_tokens: usage.total_tokens,
    prompt_tokens_details: { cached_tokens: usage.prompt_tokens_details.cached_tokens },
    completion_tokens_details: { reasoning_tokens: usage.completion_tokens_details.reasoning_tokens },
  }
}

/** A result's text as one string: adapters return text parts only when a provider answered in parts. */
export function messageText(content: string | TextPart[] | null | undefined): string | null {
  return Array.isArray(content) ? content.map((part) => part.text).join('') : content ?? null
}

function toOpenAIMessage(message: ChatResult['choices'][0]['message']): OpenAIChatCompletionMessage {
  const { content, refusal, tool_calls, reasoning, provider_data, name } = message as AssistantMessage & typeof message
  const text = messageText(content)
  const converted: OpenAIChatCompletionMessage = { role: 'assistant', content: text, refusal: refusal ?? null, annotations: [] }
  if (tool_calls?.length) converted.tool_calls = tool_calls.map((call) => ({ id: call.id, type: 'function', function: { name: call.function.name, arguments: call.function.arguments } }))
  // Extensions: sending this message back on the next turn keeps reasoning and thinking signatures.
  if (reasoning) converted.reasoning = reasoning
  if (provider_data) converted.provider_data = provider_data
  if (name) converted.name = name
  return converted
}

export function toOpenAICompletion(result: ChatResult): OpenAIChatCompletion {
  return {
    id: result.id,
    object: 'chat.completion',
    created: result.created,
    model: result.model,
    choices: result.choices.map((choice) => ({ index: choice.index, message: toOpenAIMessage(choice.message), finish_reason: choice.finish_reason, logprobs: null })),
    usage: toOpenAIUsage(result.usage),
    cost: result.cost,
    route: result.route,
    ...(result.provider_metadata ? { provider_metadata: result.provider_metadata } : {}),
  }
}

/**
 * The router's chunks as OpenAI's. The router ends every stream with a usage chunk carrying cost
 * and route; OpenAI sends that chunk only with `stream_options.include_usage`, so without it
 * `cost` and `route` ride on the finishing chunk instead and no usage chunk is sent.
 */
export async function* toOpenAIChunks(chunks: AsyncIterable<ChatChunk>, includeUsage: boolean): AsyncGenerator<OpenAIChatCompletionChunk> {
  let finishing: OpenAIChatCompletionChunk | undefined
  for await (const chunk of chunks) {
    const converted: OpenAIChatCompletionChunk = {
      id: chunk.id,
      object: 'chat.completion.chunk',
      created: chunk.created,
      model: chunk.model,
      choices: chunk.choices.map((choice) => ({ index: choice.index, delta: { ...choice.delta }, finish_reason: choice.finish_reason, logprobs: null })),
    }
    if (includeUsage) converted.usage = null
    const isUsageChunk = chunk.choices.length === 0 && chunk.usage
    if (isUsageChunk) {
      if (!includeUsage) {
        // Only reached after the finishing chunk has been held back.
        if (finishing) yield { ...finishing, cost: chunk.cost, route: chunk.route }
        finishing = undefined
        continue
      }
      if (finishing) yield finishing
      finishing = undefined
      yield { ...converted, usage: toOpenAIUsage(chunk.usage!), cost: chunk.cost, route: chunk.route }
      continue
    }
    if (finishing) yield finishing
    finishing = undefined
    // The finishing chunk waits for the usage chunk that follows it immediately.
    if (chunk.choices.some((choice) => choice.finish_reason !== null)) finishing = converted
    else yield converted
  }
  if (finishing) yield finishing
}
