import { createOpenAIChatAdapter, type OpenAIClientConnection, type OpenAIClientLike } from '../openai/openai-chat-adapter.js'
import type { OpenAIWireChunk, OpenAIWireUsage } from '../openai/openai-wire-types.js'
import type { ProviderAdapter, ProviderSettings } from '../../spec/provider-adapter.js'
import { peerImportError } from '../../provider-kit/load-peer.js'
import { sdkTimeoutMs } from '../../provider-kit/sdk-timeout.js'
import { groqCatalogModels } from '../catalog-models/groq.js'

/** A `groq-sdk` client, or anything with the same `chat.completions.create`. */
export type GroqClientLike = Pick<OpenAIClientLike, 'chat'>

export type GroqSettings = ProviderSettings<GroqClientLike>

function createGroqClient(connection: OpenAIClientConnection): Promise<OpenAIClientLike> {
  return importSdk().then(
    ({ default: Groq }) =>
      new Groq({
        apiKey: connection.apiKey,
        ...(connection.baseURL ? { baseURL: connection.baseURL } : {}),
        defaultHeaders: connection.headers,
        // The router owns retrying; the SDK's own retries would hide failures from fallback.
        maxRetries: 0,
        timeout: sdkTimeoutMs,
      }) as unknown as OpenAIClientLike,
  )
}

/**
 * Groq streams its usage inside `x_groq.usage` on the last chunk (and, asked with
 * `stream_options.include_usage`, in `usage` too); read it from wherever it is.
 */
function groqUsageInPlace(chunk: OpenAIWireChunk): OpenAIWireChunk {
  const groqUsage = (chunk.x_groq as { usage?: OpenAIWireUsage } | undefined)?.usage
  return chunk.usage || !groqUsage ? chunk : { ...chunk, usage: groqUsage }
}

// Groq's reasoning models: they return `reasoning` and accept `reasoning_format` / `reasoning_effort`.
const reasoningModels = /qwen3|qwq|deepseek-r1|gpt-oss|kimi-k2-thinking/i

/**
 * Groq over the official `groq-sdk`, which speaks the OpenAI Chat Completions wire format, so the
 * OpenAI translation is reused. The key defaults to `GROQ_API_KEY`. Groq serves no embeddings.
 */
export function groq(settings: GroqSettings = {}): ProviderAdapter {
  return createOpenAIChatAdapter({
    id: 'groq',
    factoryName: 'groq',
    catalogId: 'groq',
    catalogModels: groqCatalogModels,
    apiKeyEnv: 'GROQ_API_KEY',
    maxTokensField: 'max_tokens',
    embeddings: false,
    capabilities: (model) => ({ reasoning: reasoningModels.test(model) }),
    settings: settings as ProviderSettings<OpenAIClientLike>,
    createClient: createGroqClient,
    normalizeChunk: groqUsageInPlace,
  })
}

/** The official SDK, imported on first use. */
async function importSdk(): Promise<typeof import('groq-sdk')> {
  // In a try, so bundlers (esbuild under wrangler and Vercel) leave it for run time when it is not installed.
  try {
    return await import('groq-sdk')
  } catch (error) {
    throw peerImportError('groq-sdk', error)
  }
}
