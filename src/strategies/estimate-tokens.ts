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

/**
 * A cheap, tokenizer-free estimate of a request's prompt size: one token per 4 characters of text
 * (tool definitions and the response format included), 4 per message, 765 per image. It is within
 * ~20% for English prose, which is enough to rank models whose prices differ by far more.
 */
export function estimatePromptTokens(request: ChatParameters): PromptEstimate {
  // One pass over the prompt in the order providers cache it: tools, the response format, then
  // messages. A marker caches the whole prefix up to and including its own block.
  let tokens = 0
  let cachedTokens = 0
  const tools = request.tools
  if (tools) {
    for (const tool of tools) {
      tokens += textTokens(JSON.stringify(tool.function))
      if (tool.cache_control) cachedTokens = tokens
    }
  }
  if (request.response_format) tokens += textTokens(JSON.stringify(request.response_format))
  for (const message of request.messages) {
    tokens += tokensPerMessage
    if (typeof message.content === 'string') tokens += textTokens(message.content)
    else {
      for (const part of message.content ?? []) {
        tokens += part.type === 'text' ? textTokens(part.text) : tokensPerImage
        if (part.cache_control) cachedTokens = tokens
      }
    }
    if (message.role === 'assistant') {
      for (const call of message.tool_calls ?? []) tokens += textTokens(call.function.name + call.function.arguments)
    }
  }
  return { tokens, cachedTokens }
}
