/**
 * The parts of the OpenAI Chat Completions wire format the translation reads. Declared here rather
 * than imported from `openai`, so our public types never require the SDK to be installed.
 */
export interface OpenAIWireToolCall {
  id?: string
  index?: number
  type?: 'function'
  function?: { name?: string; arguments?: string }
}

export interface OpenAIWireMessage {
  role?: string
  content?: string | null
  refusal?: string | null
  tool_calls?: OpenAIWireToolCall[] | null
  /** DeepSeek, Groq and vLLM send reasoning under one of these names. */
  reasoning_content?: string | null
  reasoning?: string | null
}

export interface OpenAIWireUsage {
  prompt_tokens?: number
  completion_tokens?: number
  total_tokens?: number
  /** `cache_write_tokens`: prompt tokens written to the cache, billed at the model's cache-write price. */
  prompt_tokens_details?: { cached_tokens?: number | null; cache_write_tokens?: number | null } | null
  completion_tokens_details?: { reasoning_tokens?: number | null } | null
  /** DeepSeek reports its prompt cache this way. */
  prompt_cache_hit_tokens?: number
}

export interface OpenAIWireCompletion {
  id: string
  model: string
  choices: Array<{ index: number; message: OpenAIWireMessage; finish_reason: string | null }>
  usage?: OpenAIWireUsage | null
  [extra: string]: unknown
}

export interface OpenAIWireChunk {
  id: string
  model: string
  choices: Array<{ index: number; delta: OpenAIWireMessage; finish_reason: string | null }>
  usage?: OpenAIWireUsage | null
  [extra: string]: unknown
}
