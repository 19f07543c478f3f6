/**
 * The slice of the Anthropic Messages API wire format the adapter reads. Declared here (not
 * imported from `@anthropic-ai/sdk`) so the SDK stays an optional peer and its types never leak
 * into Switchyard's public types.
 */

export interface AnthropicWireUsage {
  input_tokens?: number | null
  output_tokens?: number | null
  cache_read_input_tokens?: number | null
  cache_creation_input_tokens?: number | null
  cache_creation?: Record<string, number> | null
  output_tokens_details?: { thinking_tokens?: number | null } | null
  [field: string]: unknown
}

export type AnthropicWireContentBlock =
  | { type: 'text'; text: string; citations?: unknown }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: string; [field: string]: unknown }

export interface AnthropicWireMessage {
  id: string
  type?: 'message'
  role?: 'assistant'
  model: string
  content: AnthropicWireContentBlock[]
  stop_reason: string | null
  stop_sequence?: string | null
  stop_details?: unknown
  usage?: AnthropicWireUsage
  [field: string]: unknown
}

export type AnthropicWireDelta =
  | { type: 'text_delta'; text: string }
  | { type: 'input_json_delta'; partial_json: string }
  | { type: 'thinking_delta'; thinking: string }
  | { type: 'signature_delta'; signature: string }
  | { type: string; [field: string]: unknown }

/** The raw server-sent events of `messages.create({ stream: true })`. */
export type AnthropicWireStreamEvent =
  | { type: 'message_start'; message: AnthropicWireMessage }
  | { type: 'content_block_start'; index: number; content_block: AnthropicWireContentBlock }
  | { type: 'content_block_delta'; index: number; delta: AnthropicWireDelta }
  | { type: 'content_block_stop'; index: number }
  | {
      type: 'message_delta'
      delta: { stop_reason?: string | null; stop_sequence?: string | null; stop_details?: unknown; [field: string]: unknown }
      usage?: AnthropicWireUsage
    }
  | { type: 'message_stop' }
  | { type: 'ping' }
  | { type: 'error'; error: { type: string; message: string } }

/** The slice of an `@anthropic-ai/sdk` client the adapter calls; any real `Anthropic` instance fits. */
export interface AnthropicClientLike {
  messages: { create(body: any, options?: any): Promise<any>; countTokens?(body: any, options?: any): Promise<any> }
}
