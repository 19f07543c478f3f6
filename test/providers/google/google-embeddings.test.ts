import { HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { createRouter, fallback, google, RateLimitError } from '../../../src/index.js'
import { attemptError } from '../../helpers/call-errors.js'
import { useMswServer } from '../../helpers/msw.js'
import { googleError, serveGemini, testGoogleKey } from './google-handlers.js'

const server = useMswServer()
const embeddingModel = 'gemini-embedding-001'

function router() {
  return createRouter({
    providers: [google({ apiKey: testGoogleKey })],
    // The catalog has no embedding prices; a user price makes the cost known.
    prices: { [`google/${embeddingModel}`]: { input: 0.15, output: 0 } },
    routes: { vectors: fallback([`google/${embeddingModel}`], { retries: 0 }) },
  })
}

describe('google adapter: embeddings', () => {
  it('embeds each input as its own content through :batchEmbedContents and returns the vectors in order', async () => {
    const captured = serveGemini(server, embeddingModel, 'batchEmbedContents', () =>
      HttpResponse.json({ embeddings: [{ values: [0.1, 0.2, 0.3] }, { values: [0.4, 0.5, 0.6] }] }),
    )
    const result = await router().embed({ model: 'vectors', input: ['first text', 'second text'], dimensions: 3, provider_options: { google: { taskType: 'RETRIEVAL_DOCUMENT' } } })

    expect(captured).toHaveLength(1)
    expect(captured[0]!.headers.get('x-goog-api-key')).toBe(testGoogleKey)
    expect(captured[0]!.body).toEqual({
      requests: [
        { model: `models/${embeddingModel}`, content: { parts: [{ text: 'first text' }] }, outputDimensionality: 3, taskType: 'RETRIEVAL_DOCUMENT' },
        { model: `models/${embeddingModel}`, content: { parts: [{ text: 'second text' }] }, outputDimensionality: 3, taskType: 'RETRIEVAL_DOCUMENT' },
      ],
    })
    expect(result.object).toBe('list')
    expect(result.model).toBe(`google/${embeddingModel}`)
    expect(result.data).toEqual([
      { object: 'embedding', index: 0, embedding: [0.1, 0.2, 0.3] },
      { object: 'embedding', index: 1, embedding: [0.4, 0.5, 0.6] },
    ])
    // The Gemini API reports no token count for embeddings and Switchyard estimates none: even with a
    // price configured, the cost is unknown (null), never a made-up 0.
    expect(result.usage).toEqual({ prompt_tokens: 0, total_tokens: 0 })
    expect(result.cost).toEqual({ input: null, output: null, cacheRead: null, cacheWrite: null, total: null, currency: 'USD' })
    expect(result.route.attempts[0]!.cost!.total).toBeNull()
    expect(result.route).toMatchObject({ provider: 'google', model: embeddingModel, name: 'vectors' })
  })

  it('gives multimodal gemini-embedding-2 models one content (one vector) per input, not one merged content', async () => {
    const captured = serveGemini(server, 'gemini-embedding-2-preview', 'batchEmbedContents', () => HttpResponse.json({ embeddings: [{ values: [1, 0] }, { values: [0, 1] }] }))
    const result = await createRouter({ providers: [google({ apiKey: testGoogleKey })], prices: { 'google/gemini-embedding-2-preview': { input: 0.2, output: 0 } } }).embed({
      model: 'google/gemini-embedding-2-preview',
      input: ['a', 'b'],
    })
    expect(captured[0]!.body.requests.map((request: { content: unknown }) => request.content)).toEqual([{ parts: [{ text: 'a' }] }, { parts: [{ text: 'b' }] }])
    expect(result.data.map((item) => item.embedding)).toEqual([
      [1, 0],
      [0, 1],
    ])
  })

  it('maps embedding errors like chat errors (429 with RetryInfo)', async () => {
    serveGemini(server, embeddingModel, 'batchEmbedContents', () =>
      googleError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded.', [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' }]),
    )
    const error = await attemptError(router().embed({ model: 'vectors', input: 'text' }))
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error).toMatchObject({ retryAfterMs: 7_000, provider: 'google', model: embeddingModel })
  })
})
