/**
 * The parts of the `@mistralai/mistralai` SDK's (camelCase) request and response shapes the
 * translation reads. Declared here rather than imported, so our public types never require the SDK.
 */

export interface MistralTextChunk {
  type: 'text'
  text: string
}

export interface MistralThinkChunk {
  type: 'thinking'
  thinking: Array<{ type?: string; text?: string }>
  signature?: string | null
}

export interface MistralImageChunk {
  type: 'image_url'
  imageUrl: string | { url: string; detail?: string | null }
}

/** Content chunks the SDK may return; types we do not translate (references, documents) keep their shape. */
export type MistralContentChunk = MistralTextChunk | MistralThinkChunk | MistralImageChunk | { type?: string; [field: string]: unknown }

export interface MistralToolCall {
  /** The SDK fills a missing id with the string `"null"`. */
  id?: string
  type?: string
  index?: number
  function: { name: string; arguments: string | Record<string, unknown> }
}

export interface MistralUsage {
  promptTokens?: number
  completionTokens?: number
  totalTokens?: number
  /** Unmapped fields keep the API's snake_case names. */
  prompt_tokens_details?: { cached_tokens?: number | null } | null
  num_cached_tokens?: number | null
  [extra: string]: unknown
}

export interface MistralMessage {
  role?: string | null
  content?: string | MistralContentChunk[] | null
  toolCalls?: MistralToolCall[] | null
}

export interface MistralCompletion {
  id: string
  model: string
  usage: MistralUsage
  choices: Array<{ index: number; message?: MistralMessage; finishReason: string }>
}

export interface MistralChunk {
  id: string
  model: string
  usage?: MistralUsage
  choices: Array<{ index: number; delta: MistralMessage; finishReason: string | null }>
}

export interface MistralEmbeddingResponse {
  model: string
  usage: MistralUsage
  data: Array<{ index?: number; embedding?: number[] }>
}

/** Per-call options of the SDK: its `RequestInit` fields plus `retries`. */
export interface MistralRequestOptions {
  signal: AbortSignal
  retries: { strategy: 'none' }
  headers?: Record<string, string>
}

/** The slice of a `Mistral` SDK client the adapter calls; any real `Mistral` instance fits. */
export interface MistralClientLike {
  chat: {
    complete(request: any, options?: MistralRequestOptions): Promise<any>
    stream(request: any, options?: MistralRequestOptions): Promise<AsyncIterable<any>>
  }
  embeddings: { create(request: any, options?: MistralRequestOptions): Promise<any> }
}
