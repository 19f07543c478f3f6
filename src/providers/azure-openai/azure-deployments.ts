import type { OpenAIClientLike } from '../openai/openai-chat-adapter.js'
import type { OpenAIWireChunk } from '../openai/openai-wire-types.js'

const chunkIdentity = new Set(['id', 'object', 'created', 'model', 'choices', 'usage'])

/**
 * Azure opens a stream with a chunk that has no id, no model and no choices, only the prompt's
 * content-filter results. Read as the stream's start it would name no model (and so no price):
 * its fields ride on the next chunk instead.
 */
async function* withPromptFilterChunkMerged(chunks: AsyncIterable<OpenAIWireChunk>): AsyncGenerator<OpenAIWireChunk> {
  let carried: Record<string, unknown> | undefined
  for await (const chunk of chunks) {
    const isFilterOnly = !chunk.model && (chunk.choices?.length ?? 0) === 0 && !chunk.usage
    if (isFilterOnly) {
      for (const [key, value] of Object.entries(chunk)) if (!chunkIdentity.has(key)) (carried ??= {})[key] = value
      continue
    }
    yield carried ? ({ ...carried, ...chunk } as OpenAIWireChunk) : chunk
    carried = undefined
  }
}

/**
 * The client with each request's `model` replaced by its deployment name: the `AzureOpenAI` client
 * builds the `/deployments/{name}/...` path from it. Models not in the map are their own deployment.
 */
export function withDeployments(client: OpenAIClientLike, deployments: Readonly<Record<string, string>>): OpenAIClientLike {
  const deploymentOf = (body: { model?: string }) => ({ ...body, model: (body.model !== undefined ? deployments[body.model] : undefined) ?? body.model })
  return {
    chat: {
      completions: {
        async create(body: { model?: string; stream?: boolean }, options?: unknown) {
          const answer = await client.chat.completions.create(deploymentOf(body), options)
          return body.stream ? withPromptFilterChunkMerged(answer as AsyncIterable<OpenAIWireChunk>) : answer
        },
      },
    },
    embeddings: { create: (body: { model?: string }, options?: unknown) => client.embeddings.create(deploymentOf(body), options) },
  }
}
