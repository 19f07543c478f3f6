/**
 * The canonical message dialect. It follows OpenAI Chat Completions (the de-facto standard) and
 * leaves lossless room for what other providers add: cache-control markers on content parts,
 * reasoning content and provider-specific fields.
 */

/** Anthropic-style prompt-caching marker. Providers without explicit caching ignore it by design. */
export interface CacheControl {
  type: 'ephemeral'
  /** Anthropic's cache lifetime; the provider default (5 minutes) when omitted. */
  ttl?: '5m' | '1h'
}

export interface TextPart {
  type: 'text'
  text: string
  cache_control?: CacheControl
}

export interface ImagePart {
  type: 'image_url'
  image_url: {
    /** An `https:` URL or a `data:<media type>;base64,<data>` URL. */
    url: string
    detail?: 'auto' | 'low' | 'high'
  }
  cache_control?: CacheControl
}

export type UserContentPart = TextPart | ImagePart

export interface SystemMessage {
  role: 'system' | 'developer'
  content: string | TextPart[]
  name?: string
}

export interface UserMessage {
  role: 'user'
  content: string | UserContentPart[]
  name?: string
}

export interface ToolCall {
  id: string
  type: 'function'
  function: {
    name: string
    /** JSON text, exactly as the model produced it (`"{}"` for a tool without arguments). */
    arguments: string
  }
}

export interface AssistantMessage {
  role: 'assistant'
  content: string | TextPart[] | null
  tool_calls?: ToolCall[]
  refusal?: string | null
  /** Reasoning / thinking text, where the provider returns it. */
  reasoning?: string
  /**
   * Opaque provider data that must travel back with this message on the next turn
   * (Anthropic thinking signatures, Gemini thought signatures).
   */
  provider_data?: Record<string, unknown>
  name?: string
}

export interface ToolMessage {
  role: 'tool'
  tool_call_id: string
  content: string | TextPart[]
}

export type ChatMessage = SystemMessage | UserMessage | AssistantMessage | ToolMessage
