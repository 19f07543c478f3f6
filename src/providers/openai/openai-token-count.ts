import { UnsupportedFeatureError } from '../../errors/errors.js'
import { loadPeer } from '../../provider-kit/load-peer.js'
import type { ModelRequest } from '../../spec/request.js'
import type { TokenCount } from '../../spec/provider-adapter.js'

interface ChatTokenizer {
  encodeChat(chat: Array<{ role: 'system' | 'user' | 'assistant'; content: string }>, model: string): number[]
}

interface TokenizerMapping {
  chatModelParams: Record<string, unknown>
}

/**
 * The byte-pair encoding of OpenAI's chat model families, as OpenAI's own tokenizer (tiktoken)
 * assigns them. Loaded with static specifiers so bundlers (and workerd) can see them.
 */
function loadEncoding(model: string): Promise<ChatTokenizer> | undefined {
  if (/^(gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4)/.test(model)) {
    return loadPeer('gpt-tokenizer', async () => {
      // In a try, so bundlers leave the optional peer for run time when it is not installed.
      try {
        return (await import('gpt-tokenizer/encoding/o200k_base')) as ChatTokenizer
      } catch (error) {
        throw error
      }
    })
  }
  if (/^(gpt-4|gpt-3\.5-turbo)/.test(model)) {
    return loadPeer('gpt-tokenizer', async () => {
      try {
        return (await import('gpt-tokenizer/encoding/cl100k_base')) as ChatTokenizer
      } catch (error) {
        throw error
      }
    })
  }
  return undefined
}

function unsupported(model: string, why: string): never {
  throw new UnsupportedFeatureError(`Token counting is not available for openai/${model}: ${why}`, { provider: 'openai', model, feature: 'count_tokens', status: 400 })
}

/** Text of a message, or why it cannot be counted exactly. */
function messageText(content: unknown, model: string): string {
  if (typeof content === 'string') return content
  if (content === null || content === undefined) return ''
  if (Array.isArray(content) && content.every((part) => typeof part === 'object' && part !== null && (part as { type?: unknown }).type === 'text')) {
    return content.map((part) => (part as { text: string }).text).join('')
  }
  return unsupported(model, 'OpenAI publishes no token formula for images; only text messages can be counted.')
}

/**
 * Counts a request with the model's own tokenizer (`gpt-tokenizer`, loaded on first use) and the
 * chat formatting OpenAI documents. Tools and tool calls are refused rather than estimated: how
 * OpenAI renders them into tokens is not published.
 */
export async function countOpenAITokens(request: ModelRequest): Promise<TokenCount> {
  const model = request.model
  if (request.tools?.length) unsupported(model, 'OpenAI does not publish how tool definitions are tokenized, so a count would be an estimate.')
  const chat = request.messages.map((message) => {
    if (message.role === 'tool' || (message.role === 'assistant' && message.tool_calls?.length)) {
      unsupported(model, 'OpenAI does not publish how tool calls and results are tokenized, so a count would be an estimate.')
    }
    // The developer role is the system role of newer models, rendered the same way.
    const role = message.role === 'developer' ? 'system' : message.role
    return { role: role as 'system' | 'user' | 'assistant', content: messageText(message.content, model) }
  })
  const mapping = await loadPeer<TokenizerMapping>('gpt-tokenizer', async () => {
    try {
      return (await import('gpt-tokenizer/mapping')) as TokenizerMapping
    } catch (error) {
      throw error
    }
  })
  const encoding = Object.hasOwn(mapping.chatModelParams, model) ? loadEncoding(model) : undefined
  if (!encoding) unsupported(model, 'the installed gpt-tokenizer has no tokenizer for this model.')
  const tokenizer = await encoding
  return { inputTokens: tokenizer.encodeChat(chat, model).length }
}
