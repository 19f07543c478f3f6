import type { ChatMessage, CacheControl } from '../spec/message.js'
import type { ChatParameters } from '../spec/request.js'

/** Characters per token of typical English and code: the usual rule of thumb for GPT-style BPE. */
const charactersPerToken = 4
/** Role markers and separators each message costs in the chat template. */
const tokensPerMessage = 4
/** An image: OpenAI's figure for a high-detail 1024×1024 image (85 + 4 tiles × 170); a middle guess. */
const tokensPerImage = 765

export interface PromptEstimate {
  /** Estimated prompt tokens, cached prefix included. */
  tokens: number
  /** Of those, the prefix up to the last `cache_control` marker (0 without markers). */
  cachedTokens: number
}

function textTokens(text: string): number {
  return Math.ceil(text.length / charactersPerToken)
}

/** Pieces of the prompt in the order providers cache them: tools, then messages. */
function promptPieces(request: ChatParameters): Array<{ tokens: number; cacheControl?: CacheControl }> {
  const pieces: Array<{ tokens: number; cacheControl?: CacheControl }> = []
  for (const tool of request.tools ?? []) pieces.push({ tokens: textTokens(JSON.stringify(tool.function)), cacheControl: tool.cache_control })
  if (request.response_format) pieces.push({ tokens: textTokens(JSON.stringify(request.response_format)) })
  for (const message of request.messages) {
    pieces.push({ tokens: tokensPerMessage })
    pieces.push(...messagePieces(message))
  }
  return pieces
}

function messagePieces(message: ChatMessage): Array<{ tokens: number; cacheControl?: CacheControl }> {
  const pieces: Array<{ tokens: number; cacheControl?: CacheControl }> = []
  if (typeof message.content === 'string') pieces.push({ tokens: textTokens(message.content) })
  else {
    for (const part of message.content ?? []) {
      pieces.push({ tokens: part.type === 'text' ? textTokens(part.text) : tokensPerImage, cacheControl: part.cache_control })
    }
  }
  if (message.role === 'assistant') {
    for (const call of message.tool_calls ?? []) pieces.push({ tokens: textTokens(call.function.name + call.function.arguments) })
  }
  return pieces
}

/**
 * A cheap, tokenizer-free estimate of a request's prompt size: one token per 4 characters of text
 * (tool definitions and the response format included), 4 per message, 765 per image. It is within
 * ~20% for English prose, which is enough to rank models whose prices differ by far more.
 */
export function estimatePromptTokens(request: ChatParameters): PromptEstimate {
  let tokens = 0
  let cachedTokens = 0
  for (const piece of promptPieces(request)) {
    tokens += piece.tokens
    // A marker caches the whole prefix up to and including its own block.
    if (piece.cacheControl) cachedTokens = tokens
  }
  return { tokens, cachedTokens }
}
