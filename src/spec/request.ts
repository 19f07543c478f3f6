import type { ChatMessage, CacheControl } from './message.js'

/** A JSON Schema object, passed through to the provider as given. */
export type JsonSchema = Record<string, unknown>

export interface FunctionTool {
  type: 'function'
  function: {
    name: string
    description?: string
    /** JSON Schema of the arguments; omit it (or give an empty object schema) for a tool with no arguments. */
    parameters?: JsonSchema
    strict?: boolean
  }
  cache_control?: CacheControl
}

export type ToolChoice =
  | 'auto'
  | 'none'
  | 'required'
  | { type: 'function'; function: { name: string } }

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema'
      json_schema: { name: string; description?: string; schema?: JsonSchema; strict?: boolean | null }
    }

/** Fields every chat call carries once the model has been resolved to one provider's model. */
export interface ChatParameters {
  messages: ChatMessage[]
  tools?: FunctionTool[]
  tool_choice?: ToolChoice
  parallel_tool_calls?: boolean
  response_format?: ResponseFormat
  temperature?: number
  top_p?: number
  /** Maximum output tokens. `max_completion_tokens` is accepted as an alias. */
  max_tokens?: number
  max_completion_tokens?: number
  stop?: string | string[]
  seed?: number
  presence_penalty?: number
  frequency_penalty?: number
  /** Reasoning effort for reasoning models; adapters map it to the provider's thinking budget. */
  reasoning_effort?: 'minimal' | 'low' | 'medium' | 'high'
  /** An end-user id, forwarded where the provider accepts one. */
  user?: string
  /**
   * Provider-specific request fields, keyed by provider id, merged into that provider's request
   * as given: `{ anthropic: { thinking: { type: 'enabled', budget_tokens: 2048 } } }`.
   */
  provider_options?: Record<string, Record<string, unknown>>
}

/** What a user passes to `router.chat()` / `router.stream()`. */
export interface ChatRequest extends ChatParameters {
  /** A route name, a `provider/model` id, or an array of ids tried in order (an ad-hoc fallback chain). */
  model: string | string[]
}

/** What a provider adapter receives: one concrete model of that provider. */
export interface ModelRequest extends ChatParameters {
  /** The provider's own model name, without the `provider/` prefix. */
  model: string
}

export interface EmbedRequest {
  /** A route name, a `provider/model` id, or an array of ids. */
  model: string | string[]
  input: string | string[]
  dimensions?: number
  provider_options?: Record<string, Record<string, unknown>>
}

/** An embedding call's parameters once the input is a list: what a strategy sees. */
export interface EmbedParameters {
  input: string[]
  dimensions?: number
  provider_options?: Record<string, Record<string, unknown>>
}

/** What a provider adapter's `embed` receives: one concrete model of that provider. */
export interface EmbedModelRequest extends EmbedParameters {
  model: string
}
