import type { AssistantMessage, ChatMessage } from '../spec/message.js'
import type { ChatParameters, ChatRequest } from '../spec/request.js'
import type { ChatChunk, ChatResult } from '../spec/response.js'
import type { ChatUsage } from '../spec/usage.js'
import { contentText } from './content-text.js'
import type {
  OpenAIChatCompletion,
  OpenAIChatCompletionChunk,
  OpenAIChatCompletionMessage,
  OpenAIChatCompletionParams,
  OpenAIUsage,
} from './openai-types.js'
import { openAINamedParameters } from '../internal/openai-named-parameters.js'
import { expandingIterator } from './facade-stream.js'
import { checkStreamFlag, invalidRequest as fail, isObject, withForwardedFields } from './request-checks.js'

/** Canonical fields, copied as given (the router validates them). */
const canonicalFields = [
  'messages',
  'tools',
  'max_tokens',
  'max_completion_tokens',
  ...openAINamedParameters,
] as const satisfies ReadonlyArray<keyof ChatParameters>

/**
 * OpenAI-only fields with no canonical home. They are forwarded to OpenAI (provider id `openai`)
 * through `provider_options`, and other providers never see them.
 */
const openAIOnlyFields = ['logit_bias', 'service_tier', 'store', 'metadata', 'prompt_cache_key', 'prompt_cache_retention', 'safety_identifier', 'verbosity', 'prediction'] as const

function rejectUnsupported(params: Record<string, unknown>): void {
  checkStreamFlag(params.stream)
  if (params.stream_options !== undefined && params.stream_options !== null && !isObject(params.stream_options)) fail('`stream_options` must be an object such as { include_usage: true }.')
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
  const providerOptions = withForwardedFields(params.provider_options, 'openai', forwarded)
  if (providerOptions) request.provider_options = providerOptions
  return request as unknown as ChatRequest
}

/** Exactly OpenAI's usage fields; the canonical breakdown is `tokens` on `router.chat()`'s result and on each attempt. */
function toOpenAIUsage(usage: ChatUsage): OpenAIUsage {
  return {
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    total_tokens: usage.total_tokens,
    prompt_tokens_details: { cached_tokens: usage.prompt_tokens_details.cached_tokens },
    completion_tokens_details: { reasoning_tokens: usage.completion_tokens_details.reasoning_tokens },
  }
}

function toOpenAIMessage(message: ChatResult['choices'][0]['message']): OpenAIChatCompletionMessage {
  const { content, refusal, tool_calls, reasoning, provider_data, name } = message as AssistantMessage & typeof message
  const text = contentText(content)
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
export function toOpenAIChunks(chunks: AsyncIterable<ChatChunk>, includeUsage: boolean): AsyncIterableIterator<OpenAIChatCompletionChunk> {
  // The chunk with a finish_reason is held back until the next one shows whether it is the usage chunk.
  let finishing: OpenAIChatCompletionChunk | undefined
  const convert = (chunk: ChatChunk, out: OpenAIChatCompletionChunk[]): void => {
    const usage = chunk.choices.length === 0 ? chunk.usage : undefined
    if (usage && !includeUsage) {
      if (finishing) {
        // Made here and not sent yet: completed in place.
        finishing.cost = chunk.cost
        finishing.route = chunk.route
        out.push(finishing)
      }
      finishing = undefined
      return
    }
    if (finishing) out.push(finishing)
    finishing = undefined
    let finishes = false
    const choices = chunk.choices.map((choice) => {
      if (choice.finish_reason !== null) finishes = true
      return { index: choice.index, delta: { ...choice.delta }, finish_reason: choice.finish_reason, logprobs: null }
    })
    const converted: OpenAIChatCompletionChunk = { id: chunk.id, object: 'chat.completion.chunk', created: chunk.created, model: chunk.model, choices }
    if (usage) {
      converted.usage = toOpenAIUsage(usage)
      converted.cost = chunk.cost
      converted.route = chunk.route
      out.push(converted)
    } else {
      if (includeUsage) converted.usage = null
      if (finishes) finishing = converted
      else out.push(converted)
    }
  }
  const flush = (out: OpenAIChatCompletionChunk[]): void => {
    if (finishing) out.push(finishing)
    finishing = undefined
  }
  return expandingIterator(chunks[Symbol.asyncIterator](), convert, flush)
}
