import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { createRouter, openai, openaiCompatible, type RouterEvent } from '../../../src/index.js'
import { serveAndCapture } from '../../helpers/capture.js'
import { useMswServer } from '../../helpers/msw.js'
import { openAIBaseURL, testApiKey } from '../../helpers/openai-handlers.js'

const server = useMswServer()

function embeddingResponse(vectors: number[][], usage?: { prompt_tokens: number; total_tokens: number }) {
  return {
    object: 'list',
    model: 'text-embedding-3-small',
    data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
    ...(usage ? { usage } : {}),
  }
}

describe('openai adapter: embeddings', () => {
  it('sends the batch with dimensions, float encoding and provider options, and prices the reported tokens', async () => {
    const captured = serveAndCapture(server, `${openAIBaseURL}/embeddings`, () =>
      HttpResponse.json(embeddingResponse([[0.1, 0.2], [0.3, 0.4]], { prompt_tokens: 8, total_tokens: 8 })),
    )
    const router = createRouter({ providers: [openai({ apiKey: testApiKey })], prices: { 'openai/text-embedding-3-small': { input: 0.02, output: 0 } } })
    const result = await router.embed({ model: 'openai/text-embedding-3-small', input: ['a', 'b'], dimensions: 2, provider_options: { openai: { user: 'u-1' } } })

    expect(captured[0]!.body).toEqual({ model: 'text-embedding-3-small', input: ['a', 'b'], dimensions: 2, encoding_format: 'float', user: 'u-1' })
    expect(result.data).toEqual([
      { object: 'embedding', index: 0, embedding: [0.1, 0.2] },
      { object: 'embedding', index: 1, embedding: [0.3, 0.4] },
    ])
    expect(result.usage).toEqual({ prompt_tokens: 8, total_tokens: 8 })
    // 8 × 0.02 / 1e6
    expect(result.cost.total).toBeCloseTo(0.00000016, 14)
  })

  it('reports the cost of a host that returns no embedding usage as unknown (null), never a made-up 0', async () => {
    server.use(http.post('http://localhost:11434/v1/embeddings', () => HttpResponse.json(embeddingResponse([[1, 0]]))))
    const events: RouterEvent[] = []
    const router = createRouter({
      providers: [openaiCompatible({ id: 'ollama' })],
      prices: { 'ollama/nomic-embed-text': { input: 0.01, output: 0 } },
      onEvent: (event) => events.push(event),
    })
    const result = await router.embed({ model: 'ollama/nomic-embed-text', input: 'x' })

    expect(result.data).toEqual([{ object: 'embedding', index: 0, embedding: [1, 0] }])
    expect(result.cost.total).toBeNull()
    expect(result.cost.input).toBeNull()
    expect(events).toContainEqual(expect.objectContaining({ type: 'warning', code: 'unknown_usage', provider: 'ollama' }))
  })
})
