/**
 * The Anthropic Messages wire shapes `router.anthropic` and `router.fetch` speak. Declared here
 * rather than imported from `@anthropic-ai/sdk`, so our public types never require the SDK.
 */
import type { CacheControl } from '../spec/message.js'
import type { RoutedExtras } from './openai-types.js'

export type AnthropicTextBlockParam = { type: 'text'; text: string; cache_control?: CacheControl | null; citations?: unknown }
export type AnthropicImageBlockParam = {
  type: 'image'
  source: { type: 'base64'; media_type: string; data: string } | { type: 'url'; url: string }
  cache_control?: CacheControl | null
}
export type AnthropicToolUseBlockParam = { type: 'tool_use'; id: string; name: string; input: unknown; cache_control?: CacheControl | null }
export type AnthropicToolResultBlockParam = {
  type: 'tool_result'
  tool_use_id: string
  content?: string | Array<AnthropicTextBlockParam | AnthropicImageBlockParam>
  is_error?: boolean
  cache_control?: CacheControl | null
}
export type AnthropicThinkingBlockParam = { type: 'thinking'; thinking: string; signature: string }
export type AnthropicRedactedThinkingBlockParam = { type: 'redacted_thinking'; data: string }

export type AnthropicContentBlockParam =
  | AnthropicTextBlockParam
  | AnthropicImageBlockParam
  | AnthropicToolUseBlockParam
  | AnthropicToolResultBlockParam
  | AnthropicThinkingBlockParam
  | AnthropicRedactedThinkingBlockParam

export interface AnthropicMessageParam {
  role: 'user' | 'assistant'
  content: string | AnthropicContentBlockParam[]
}

export interface AnthropicToolParam {
  name: string
  description?: string
  input_schema: Record<string, unknown>
  type?: 'custom' | null
  cache_control?: CacheControl | null
  strict?: boolean
}

export type AnthropicToolChoice =
  | { type: 'auto'; disable_parallel_tool_use?: boolean }
  | { type: 'any'; disable_parallel_tool_use?: boolean }
  | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean }
  | { type: 'none' }

/** `messages.create` parameters. `model` may also be a route name, a `provider/model` id or an array of ids. */
export interface AnthropicMessageParams {
  model: string | string[]
  max_tokens: number
  messages: AnthropicMessageParam[]
  system?: string | AnthropicTextBlockParam[]
  tools?: AnthropicToolParam[]
  tool_choice?: AnthropicToolChoice
  temperature?: number
  top_p?: number
  top_k?: number
  stop_sequences?: string[]
  stream?: boolean
  metadata?: { user_id?: string | null }
  thinking?: { type: 'enabled'; budget_tokens: number } | { type: 'disabled' } | { type: 'adaptive' }
  /** Marks the last cacheable block of the request (Anthropic's automatic prompt caching). */
  cache_control?: CacheControl | null
  /** Switchyard extension, as on every canonical request. */
  provider_options?: Record<string, Record<string, unknown>>
  [field: string]: unknown
}

export type AnthropicContentBlock =
  // No `citations` field: Anthropic leaves it out when there are none, and some clients reject a null.
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown }

export type AnthropicStopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'pause_turn' | 'refusal'

export interface AnthropicUsage {
  /** Input tokens not read from or written to the cache, as Anthropic counts them. */
  input_tokens: number
  output_tokens: number
  cache_creation_input_tokens: number
  cache_read_input_tokens: number
  /** Cache writes split by lifetime, when Anthropic served the call. */
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number } | null
  server_tool_use: Record<string, number> | null
  service_tier: string | null
}

export interface AnthropicMessage extends RoutedExtras {
  id: string
  type: 'message'
  role: 'assistant'
  /** `provider/model` of the model that answered. */
  model: string
  content: AnthropicContentBlock[]
  stop_reason: AnthropicStopReason
  stop_sequence: string | null
  /** Why a refusal stopped, when Anthropic says. */
  stop_details?: unknown
  usage: AnthropicUsage
}

export type AnthropicStreamEvent =
  | { type: 'message_start'; message: Omit<AnthropicMessage, 'cost' | 'route' | 'stop_reason'> & { stop_reason: null } }
  | { type: 'content_block_start'; index: number; content_block: AnthropicContentBlock }
  | {
      type: 'content_block_delta'
      index: number
      delta:
        | { type: 'text_delta'; text: string }
        | { type: 'thinking_delta'; thinking: string }
        | { type: 'signature_delta'; signature: string }
        | { type: 'input_json_delta'; partial_json: string }
    }
  | { type: 'content_block_stop'; index: number }
  /** The closing delta also carries Switchyard's `cost` and `route`. */
  | ({ type: 'message_delta'; delta: { stop_reason: AnthropicStopReason; stop_sequence: string | null; stop_details?: unknown }; usage: AnthropicUsage } & RoutedExtras)
  | { type: 'message_stop' }
