/**
 * The OpenAI Responses API wire shapes `router.openai.responses` and `POST /v1/responses` speak.
 * Declared here rather than imported from `openai`, so our public types never require the SDK.
 * Only the stateless part of the API is modelled; docs/compatibility.md lists what is refused.
 */
import type { Cost } from '../../spec/cost.js'
import type { RouteInfo } from '../../spec/response.js'

export interface ResponsesInputText {
  type: 'input_text'
  text: string
}

export interface ResponsesInputImage {
  type: 'input_image'
  image_url?: string | null
  file_id?: string | null
  detail?: 'auto' | 'low' | 'high'
}

export interface ResponsesOutputText {
  type: 'output_text'
  text: string
  annotations: unknown[]
  logprobs: unknown[]
}

export interface ResponsesRefusal {
  type: 'refusal'
  refusal: string
}

export type ResponsesInputContent = ResponsesInputText | ResponsesInputImage | { type: string; [field: string]: unknown }

export interface ResponsesInputMessage {
  type?: 'message'
  role: 'user' | 'assistant' | 'system' | 'developer'
  content: string | Array<ResponsesInputContent | ResponsesOutputText | ResponsesRefusal>
  id?: string
  status?: string
}

export interface ResponsesFunctionCallItem {
  type: 'function_call'
  id?: string
  call_id: string
  name: string
  arguments: string
  status?: 'in_progress' | 'completed' | 'incomplete'
}

export interface ResponsesFunctionCallOutputItem {
  type: 'function_call_output'
  call_id: string
  output: string | ResponsesInputContent[]
  id?: string | null
  status?: string | null
}

export interface ResponsesSummaryText {
  type: 'summary_text'
  text: string
}

export interface ResponsesReasoningItem {
  type: 'reasoning'
  id: string
  summary: ResponsesSummaryText[]
  /**
   * Opaque data to send back on the next turn. Switchyard puts the provider's own reasoning data
   * here (Anthropic's thinking signatures), so a stateless client that returns the item keeps it.
   */
  encrypted_content?: string | null
  status?: 'in_progress' | 'completed' | 'incomplete'
}

export type ResponsesInputItem =
  | ResponsesInputMessage
  | ResponsesFunctionCallItem
  | ResponsesFunctionCallOutputItem
  | ResponsesReasoningItem
  | { type: string; [field: string]: unknown }

export interface ResponsesFunctionTool {
  type: 'function'
  name: string
  description?: string | null
  parameters?: Record<string, unknown> | null
  strict?: boolean | null
}

export type ResponsesTextFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: Record<string, unknown>; description?: string; strict?: boolean | null }

export type ResponsesToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; name: string } | { type: string; [field: string]: unknown }

/** `responses.create` parameters: the stateless subset of OpenAI's `CreateResponse`. */
export interface ResponseCreateParams {
  /** A route name, a `provider/model` id, or an array of ids (an ad-hoc fallback chain). */
  model: string | string[]
  input?: string | ResponsesInputItem[]
  instructions?: string | null
  tools?: Array<ResponsesFunctionTool | { type: string; [field: string]: unknown }>
  tool_choice?: ResponsesToolChoice
  parallel_tool_calls?: boolean | null
  text?: { format?: ResponsesTextFormat; verbosity?: 'low' | 'medium' | 'high' | null } | null
  reasoning?: { effort?: 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | null; summary?: string | null } | null
  max_output_tokens?: number | null
  temperature?: number | null
  top_p?: number | null
  user?: string
  metadata?: Record<string, string> | null
  stream?: boolean | null
  /** Must be false or absent: the router keeps no responses to retrieve later. */
  store?: boolean | null
  /** Switchyard's extension, as on chat completions: fields for one provider only. */
  provider_options?: Record<string, Record<string, unknown>>
  /** Other OpenAI fields are accepted or refused as docs/compatibility.md lists. */
  [field: string]: unknown
}

export interface ResponsesMessageItem {
  type: 'message'
  id: string
  role: 'assistant'
  status: 'in_progress' | 'completed' | 'incomplete'
  content: Array<ResponsesOutputText | ResponsesRefusal>
}

export type ResponsesOutputItem = ResponsesMessageItem | ResponsesFunctionCallItem | ResponsesReasoningItem

export interface ResponsesUsage {
  /** Every input token: plain, cache read and cache write. */
  input_tokens: number
  input_tokens_details: { cached_tokens: number; cache_write_tokens: number }
  output_tokens: number
  output_tokens_details: { reasoning_tokens: number }
  total_tokens: number
}

export type ResponseStatus = 'completed' | 'failed' | 'in_progress' | 'incomplete'

/** OpenAI's `Response` object, plus `cost` and `route` once the call has ended. */
export interface ResponseObject {
  id: string
  object: 'response'
  created_at: number
  completed_at: number | null
  status: ResponseStatus
  error: { code: 'server_error' | 'rate_limit_exceeded'; message: string } | null
  incomplete_details: { reason: 'max_output_tokens' | 'content_filter' } | null
  instructions: string | null
  max_output_tokens: number | null
  /** `provider/model` of the model that answered (the requested model until it is known). */
  model: string
  output: ResponsesOutputItem[]
  parallel_tool_calls: boolean
  previous_response_id: null
  reasoning: { effort: string | null; summary: string | null }
  store: false
  temperature: number | null
  text: { format: ResponsesTextFormat; verbosity?: string }
  tool_choice: ResponsesToolChoice
  tools: unknown[]
  top_p: number | null
  truncation: 'disabled'
  /** Absent until the response has ended (the official schema has no null here). */
  usage?: ResponsesUsage
  user?: string
  metadata: Record<string, string>
  cost?: Cost
  route?: RouteInfo
  /** Provider fields with no Responses home, as on `router.chat()` results. */
  provider_metadata?: Record<string, unknown>
}

/** One server-sent event of a streamed response; `type` is also the SSE event name. */
export type ResponseStreamEvent = { type: string; sequence_number: number; [field: string]: unknown }
