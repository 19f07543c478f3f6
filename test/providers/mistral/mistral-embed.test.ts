import { HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { createRouter, fallback, mistral, RateLimitError } from '../../../src/index.js'
import { useMswServer } from '../../helpers/msw.js'
import { mistralTestKey, serveMistral } from './mistral-handlers.js'

const server = useMswServer()

function embeddingResponse(vectors: number[][], promptTokens: number, model = 'mistral-embed') {
  return {
    id: 'embd-test',
    object: 'list',
    model,
    data: vectors.map((embedding, index) => ({ object: 'embedding', embedding, index })),
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens, completion_tokens: 0 },
  }
}

function router() {
  return createRouter({
    providers: [mistral({ apiKey: mistralTestKey })],
    routes: { vectors: fallback(['mistral/mistral-embed'], { retries: 0 }) },
  })
}

describe('mistral adapter: embeddings through @mistralai/mistralai', () => {
  it('embeds a batch through a route, with usage and the catalog cost', async () => {
    const captured = serveMistral(server, 'embeddings', () => HttpResponse.json(embeddingResponse([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], 15)))
    const result = await router().embed({ model: 'vectors', input: ['first text', 'second text'] })

    expect(captured).toHaveLength(1)
    expect(captured[0]!.url).toBe('https://api.mistral.ai/v1/embeddings')
    expect(captured[0]!.body).toMatchObject({ model: 'mistral-embed', input: ['first text', 'second text'] })
    expect(result.object).toBe('list')
    expect(result.model).toBe('mistral/mistral-embed')
    expect(result.data).toEqual([
      { object: 'embedding', index: 0, embedding: [0.1, 0.2, 0.3] },
      { object: 'embedding', index: 1, embedding: [0.4, 0.5, 0.6] },
    ])
    expect(result.usage).toEqual({ prompt_tokens: 15, total_tokens: 15 })
    // mistral-embed in the catalog: 0.10 USD per million input tokens; 15 × 0.10 / 1e6.
    expect(result.cost.input).toBeCloseTo(0.0000015, 12)
    expect(result.cost.total).toBeCloseTo(0.0000015, 12)
    expect(result.route).toMatchObject({ name: 'vectors', provider: 'mistral', model: 'mistral-embed' })
  })

  it('sends a single string as a one-item batch, dimensions as output_dimension, and provider options', async () => {
    const captured = serveMistral(server, 'embeddings', () => HttpResponse.json(embeddingResponse([[1, 0]], 4, 'codestral-embed')))
    const result = await createRouter({ providers: [mistral({ apiKey: mistralTestKey })], prices: { 'mistral/codestral-embed': { input: 0.15, output: 0 } } }).embed({
      model: 'mistral/codestral-embed',
      input: 'def add(a, b):',
      dimensions: 256,
      provider_options: { mistral: { output_dtype: 'float' } },
    })
    expect(captured[0]!.body).toMatchObject({ model: 'codestral-embed', input: ['def add(a, b):'], output_dimension: 256, output_dtype: 'float' })
    expect(result.data).toEqual([{ object: 'embedding', index: 0, embedding: [1, 0] }])
    // 4 × 0.15 / 1e6
    expect(result.cost.total).toBeCloseTo(0.0000006, 12)
  })

  it('reports the cost as unknown (null) when a client returns no usage, never a made-up 0', async () => {
    // The SDK itself insists on usage; a ready-made client (a proxy, a wrapper) may not.
    const unused = async () => {
      throw new Error('unused')
    }
    const client = { chat: { complete: unused, stream: unused }, embeddings: { create: async () => ({ model: 'mistral-embed', data: [{ index: 0, embedding: [1, 0] }] }) } }
    const result = await createRouter({ providers: [mistral({ client })] }).embed({ model: 'mistral/mistral-embed', input: ['x'] })
    expect(result.data).toEqual([{ object: 'embedding', index: 0, embedding: [1, 0] }])
    expect(result.cost.total).toBeNull()
    expect(result.route.attempts[0]!.cost!.total).toBeNull()
  })

  it('maps embedding errors like chat errors (429 with retry-after)', async () => {
    serveMistral(server, 'embeddings', () => HttpResponse.json({ message: 'Requests rate limit exceeded' }, { status: 429, headers: { 'retry-after': '7' } }))
    const error = await router()
      .embed({ model: 'vectors', input: ['x'] })
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).retryAfterMs).toBe(7000)
  })
})
