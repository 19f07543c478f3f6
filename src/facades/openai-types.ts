/**
 * The OpenAI wire shapes `router.openai` and `router.fetch` speak. Declared here rather than
 * imported from `openai`, so our public types never require the SDK to be installed.
 */
import type { AssistantMessage, ToolCall } from '../spec/message.js'
import type { ChatParameters } from '../spec/request.js'
import type { Cost } from '../spec/cost.js'
import type { FinishReason, RouteInfo } from '../spec/response.js'

/**
 * `chat.completions.create` parameters: the canonical request (OpenAI Chat Completions plus our
 * extensions) and the OpenAI fields that only concern the wire.
 */
export interface OpenAIChatCompletionParams extends ChatParameters {
  /** A route name, a `provider/model` id, or an array of ids (an ad-hoc fallback chain). */
  model: string | string[]
  stream?: boolean | null
  stream_options?: { include_usage?: boolean; include_obfuscation?: boolean } | null
  /** Only 1 is supported: the router returns one choice. */
  n?: number | null
  /** Other OpenAI fields are accepted; see docs/compatibility.md for which ones are forwarded. */
  [field: string]: unknown
}

export interface OpenAIUsage {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
  prompt_tokens_details: { cached_tokens: number }
  completion_tokens_details: { reasoning_tokens: number }
}

/** Switchyard's additions to every OpenAI-shaped result: what the call cost and how it was routed. */
export interface RoutedExtras {
  cost: Cost
  route: RouteInfo
}

export interface OpenAIChatCompletionMessage extends Omit<AssistantMessage, 'content' | 'refusal'> {
  role: 'assistant'
  content: string | null
  refusal: string | null
  tool_calls?: ToolCall[]
  annotations: unknown[]
}

export interface OpenAIChatCompletion extends RoutedExtras {
  id: string
  object: 'chat.completion'
  created: number
  model: string
  choices: Array<{ index: number; message: OpenAIChatCompletionMessage; finish_reason: FinishReason; logprobs: null }>
  usage: OpenAIUsage
  /** Provider fields with no OpenAI home (`system_fingerprint`, Groq's `x_groq`, Anthropic's stop details), as on `router.chat()`. */
  provider_metadata?: Record<string, unknown>
}

export interface OpenAIChatCompletionChunkDelta {
  role?: 'assistant'
  content?: string | null
  /** Reasoning text, where the model returns it (an extension, as OpenRouter and vLLM send it). */
  reasoning?: string
  refusal?: string | null
  tool_calls?: Array<{ index: number; id?: string; type?: 'function'; function?: { name?: string; arguments?: string } }>
}

/**
 * One streamed chunk. With `stream_options.include_usage` every chunk has `usage: null` except the
 * last, which has no choices and the usage. The last chunk of the stream also carries `cost` and `route`.
 */
export interface OpenAIChatCompletionChunk extends Partial<RoutedExtras> {
  id: string
  object: 'chat.completion.chunk'
  created: number
  model: string
  choices: Array<{ index: number; delta: OpenAIChatCompletionChunkDelta; finish_reason: FinishReason | null; logprobs: null }>
  usage?: OpenAIUsage | null
}

export interface OpenAIEmbeddingParams {
  model: string | string[]
  input: string | string[]
  dimensions?: number
  /** `base64` packs each vector as little-endian float32 bytes (the official SDK asks for it by default). */
  encoding_format?: 'float' | 'base64'
  user?: string
  provider_options?: Record<string, Record<string, unknown>>
}

export interface OpenAIEmbeddingResponse extends RoutedExtras {
  object: 'list'
  model: string
  data: Array<{ object: 'embedding'; index: number; embedding: number[] | string }>
  usage: { prompt_tokens: number; total_tokens: number }
}

export interface OpenAIModel {
  id: string
  object: 'model'
  created: number
  /** `switchyard` for a route, else the provider id. */
  owned_by: string
}

export interface OpenAIModelList {
  object: 'list'
  data: OpenAIModel[]
}
