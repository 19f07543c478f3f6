import type { AssistantMessage, ToolCall } from './message.js'
import type { Usage, ChatUsage, InputUsage } from './usage.js'
import type { Cost } from './cost.js'
import type { TypedError } from './typed-error.js'

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter'

/** What a provider adapter returns for one non-streaming call. */
export interface ModelResponse {
  id: string
  /** The model name the provider reports (may be a dated snapshot of the requested one). */
  model: string
  message: AssistantMessage
  finishReason: FinishReason
  usage: Usage
  /** `false` when the provider reported no token usage: `usage` is then zeros, and the cost is unknown (`null`), not 0. */
  usageReported?: false
  /** Provider fields with no canonical home, kept rather than dropped. */
  providerMetadata?: Record<string, unknown>
}

/** One try of one candidate model. */
export interface Attempt {
  provider: string
  model: string
  /** Milliseconds from the attempt's start to its end (success or failure). */
  latencyMs: number
  /** Milliseconds to the first streamed token, for streams that produced one. */
  timeToFirstTokenMs?: number
  usage?: Usage
  cost?: Cost
  /** A `SwitchyardError`. */
  error?: TypedError
  /** Why the attempt ended without being used, when it was not an error (e.g. lost a race). */
  outcome: 'success' | 'error' | 'aborted'
}

export interface RouteInfo {
  /** The route name the request named, or `null` for a direct model id or ad-hoc chain. */
  name: string | null
  /** Provider id of the answer. */
  provider: string
  /** Model (without provider prefix) that answered, as requested. */
  model: string
  /** The strategy that planned the call (`fallback`, `cheapest`, ...). */
  strategy: string
  attempts: Attempt[]
  /** Milliseconds for the whole call, every attempt and wait included. */
  latencyMs: number
  /** Milliseconds to the first token, for streams. */
  timeToFirstTokenMs?: number
  /** Whether a response cache served the call. */
  cacheHit: boolean
}

export interface ChatChoice {
  index: number
  message: AssistantMessage & { content: string | null; refusal: string | null }
  finish_reason: FinishReason
  logprobs: null
}

/** `router.chat()`'s result: an OpenAI Chat Completion plus `cost` and `route`. */
export interface ChatResult {
  id: string
  object: 'chat.completion'
  created: number
  /** `provider/model` of the model that answered. */
  model: string
  choices: ChatChoice[]
  /** OpenAI's usage fields only (`prompt_tokens`, `completion_tokens`, ...). */
  usage: ChatUsage
  /**
   * The canonical token breakdown: plain input, cache reads, cache writes (and their 1-hour part),
   * output and reasoning, each billed at its own price in `cost`.
   */
  tokens: Usage
  cost: Cost
  route: RouteInfo
  /** Provider fields with no canonical home (Groq's `x_groq`, Anthropic's cache split, ...), kept rather than dropped. */
  provider_metadata?: Record<string, unknown>
}

export interface ChatChunkDelta {
  role?: 'assistant'
  content?: string | null
  reasoning?: string
  refusal?: string | null
  tool_calls?: Array<{
    index: number
    id?: string
    type?: 'function'
    function?: { name?: string; arguments?: string }
  }>
}

/** One streamed chunk: an OpenAI Chat Completion chunk; the last one carries usage, cost and route. */
export interface ChatChunk {
  id: string
  object: 'chat.completion.chunk'
  created: number
  model: string
  choices: Array<{ index: number; delta: ChatChunkDelta; finish_reason: FinishReason | null; logprobs: null }>
  usage?: ChatUsage | null
  /** On the last chunk: the canonical token breakdown, as `ChatResult.tokens`. */
  tokens?: Usage
  cost?: Cost
  route?: RouteInfo
  provider_metadata?: Record<string, unknown>
  /**
   * On the first chunk only, when the provider reported the prompt's token counts as its stream
   * started (Anthropic does); the last chunk's `usage` has them in any case.
   */
  input_usage?: InputUsage
}

export interface Embedding {
  index: number
  embedding: number[]
}

export interface EmbedModelResponse {
  model: string
  embeddings: Embedding[]
  /** `inputTokens` is absent when the provider does not report it; the cost is then unknown (`null`). */
  usage: { inputTokens?: number }
}

export interface EmbedResult {
  object: 'list'
  model: string
  data: Array<{ object: 'embedding'; index: number; embedding: number[] }>
  usage: { prompt_tokens: number; total_tokens: number }
  cost: Cost
  route: RouteInfo
}

export type { ToolCall }
