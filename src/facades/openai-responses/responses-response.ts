import type { AssistantMessage } from '../../spec/message.js'
import type { ChatResult, FinishReason } from '../../spec/response.js'
import type { ChatUsage, Usage } from '../../spec/usage.js'
import { contentText } from '../content-text.js'
import { isObject } from '../request-checks.js'
import { reasoningContentFromProviderData } from './responses-reasoning.js'
import type { ResponseCreateParams, ResponseObject, ResponsesOutputItem, ResponsesTextFormat, ResponsesToolChoice, ResponsesUsage } from './responses-types.js'

/** Ids for one response and its items, derived from the routed call's id so they stay traceable. */
export class ResponseIds {
  readonly response: string
  private readonly base: string

  constructor(callId: string) {
    this.base = callId.replace(/^(chatcmpl-|msg_|resp_)/, '').replace(/[^A-Za-z0-9_-]/g, '') || crypto.randomUUID().replaceAll('-', '')
    this.response = `resp_${this.base}`
  }

  message(): string {
    return `msg_${this.base}`
  }

  reasoning(): string {
    return `rs_${this.base}`
  }

  functionCall(index: number): string {
    return `fc_${this.base}_${index}`
  }
}

export function toResponsesUsage(usage: ChatUsage, tokens: Usage): ResponsesUsage {
  return {
    input_tokens: usage.prompt_tokens,
    input_tokens_details: { cached_tokens: usage.prompt_tokens_details.cached_tokens, cache_write_tokens: tokens.cacheWriteTokens },
    output_tokens: usage.completion_tokens,
    output_tokens_details: { reasoning_tokens: usage.completion_tokens_details.reasoning_tokens },
    total_tokens: usage.total_tokens,
  }
}

/** `max_output_tokens` and the safety filter end a response as `incomplete`, as OpenAI reports them. */
export function incompleteDetails(finishReason: FinishReason | null): ResponseObject['incomplete_details'] {
  if (finishReason === 'length') return { reason: 'max_output_tokens' }
  if (finishReason === 'content_filter') return { reason: 'content_filter' }
  return null
}

/** The request's settings, echoed as OpenAI echoes them; `model` is replaced once the answering model is known. */
export function responseSkeleton(params: ResponseCreateParams, ids: ResponseIds, createdAt: number, model: string): ResponseObject {
  const text = isObject(params.text) ? params.text : {}
  const format = (isObject(text.format) ? text.format : { type: 'text' }) as ResponsesTextFormat
  const reasoning = isObject(params.reasoning) ? params.reasoning : {}
  return {
    id: ids.response,
    object: 'response',
    created_at: createdAt,
    completed_at: null,
    status: 'in_progress',
    error: null,
    incomplete_details: null,
    instructions: typeof params.instructions === 'string' ? params.instructions : null,
    max_output_tokens: typeof params.max_output_tokens === 'number' ? params.max_output_tokens : null,
    model,
    output: [],
    parallel_tool_calls: params.parallel_tool_calls !== false,
    previous_response_id: null,
    reasoning: { effort: typeof reasoning.effort === 'string' ? reasoning.effort : null, summary: typeof reasoning.summary === 'string' ? reasoning.summary : null },
    store: false,
    temperature: typeof params.temperature === 'number' ? params.temperature : null,
    text: { format, ...(typeof text.verbosity === 'string' ? { verbosity: text.verbosity } : {}) },
    tool_choice: (params.tool_choice ?? 'auto') as ResponsesToolChoice,
    tools: Array.isArray(params.tools) ? params.tools : [],
    top_p: typeof params.top_p === 'number' ? params.top_p : null,
    truncation: 'disabled',
    ...(typeof params.user === 'string' ? { user: params.user } : {}),
    metadata: isObject(params.metadata) ? (params.metadata as Record<string, string>) : {},
  }
}

/** Output items in the order OpenAI emits them: reasoning, the message, then function calls. */
export function outputItems(message: AssistantMessage, ids: ResponseIds, status: 'completed' | 'incomplete'): ResponsesOutputItem[] {
  const items: ResponsesOutputItem[] = []
  const encrypted = reasoningContentFromProviderData(message.provider_data)
  if (message.reasoning || encrypted) {
    items.push({
      type: 'reasoning',
      id: ids.reasoning(),
      summary: message.reasoning ? [{ type: 'summary_text', text: message.reasoning }] : [],
      encrypted_content: encrypted,
    })
  }
  const text = contentText(message.content)
  if (text || message.refusal) {
    items.push({
      type: 'message',
      id: ids.message(),
      role: 'assistant',
      status,
      content: [
        ...(text ? [{ type: 'output_text' as const, text, annotations: [], logprobs: [] }] : []),
        ...(message.refusal ? [{ type: 'refusal' as const, refusal: message.refusal }] : []),
      ],
    })
  }
  message.tool_calls?.forEach((call, index) => {
    items.push({ type: 'function_call', id: ids.functionCall(index), call_id: call.id, name: call.function.name, arguments: call.function.arguments, status: 'completed' })
  })
  return items
}

/** A routed chat result as OpenAI's `Response`, plus `cost` and `route`. */
export function toResponseObject(result: ChatResult, params: ResponseCreateParams, createdAt = result.created): ResponseObject {
  const ids = new ResponseIds(result.id)
  const choice = result.choices[0]!
  const incomplete = incompleteDetails(choice.finish_reason)
  return {
    ...responseSkeleton(params, ids, createdAt, result.model),
    status: incomplete ? 'incomplete' : 'completed',
    completed_at: Math.floor(Date.now() / 1000),
    incomplete_details: incomplete,
    output: outputItems(choice.message, ids, incomplete ? 'incomplete' : 'completed'),
    usage: toResponsesUsage(result.usage, result.tokens),
    cost: result.cost,
    route: result.route,
    ...(result.provider_metadata ? { provider_metadata: result.provider_metadata } : {}),
  }
}
