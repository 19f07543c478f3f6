import { describe, expect, it } from 'vitest'
import { createRouter, fallback, mistral, mockProvider, type RouterEvent } from '../../src/index.js'
import { useMswServer } from '../helpers/msw.js'
import { googleWire } from '../helpers/provider-wire/google-wire.js'
import { recordedJson } from '../helpers/recordings.js'
import { openAIWire } from '../helpers/provider-wire/openai-wire.js'

const messages = [{ role: 'user' as const, content: 'price me' }]

describe('Google ids written as resources', () => {
  it('prices models/gemini-2.5-pro as gemini-2.5-pro (catalog: 1.25 in, 10.00 out USD / 1M up to 200k)', async () => {
    const provider = mockProvider({ id: 'google', catalogId: 'google', models: { 'models/gemini-2.5-pro': { text: 'ok', usage: { inputTokens: 1_000, outputTokens: 100 } } } })
    const router = createRouter({ providers: [provider] })
    const result = await router.chat({ model: 'google/models/gemini-2.5-pro', messages })
    expect(result.cost.input).toBeCloseTo(0.00125, 12)
    expect(result.cost.output).toBeCloseTo(0.001, 12)
    expect(result.cost.total).toBeCloseTo(0.00225, 12)
    expect(router.services.prices.resolve('google', 'models/gemini-2.5-pro')?.source).toBe('catalog')
  })
})

describe('a non-streamed answer without usage has an unknown cost, not 0', () => {
  const server = useMswServer()
  for (const wire of [openAIWire, googleWire]) {
    it(`${wire.provider}: the recorded answer with its usage removed costs null and warns unknown_usage`, async () => {
      const answer = structuredClone(wire.text().json) as Record<string, unknown>
      expect(answer.usage ?? answer.usageMetadata).toBeDefined()
      delete answer.usage
      delete answer.usageMetadata
      wire.serveChat(server, () => wire.jsonResponse(answer))
      const events: RouterEvent[] = []
      const router = createRouter({ providers: [wire.create()], routes: { once: fallback([`${wire.provider}/${wire.model}`], { retries: 0 }) }, onEvent: (event) => events.push(event) })
      const result = await router.chat({ model: 'once', messages })
      expect(result.cost.total).toBeNull()
      expect(result.route.attempts[0]!.cost?.total).toBeNull()
      expect(events.some((event) => event.type === 'warning' && event.code === 'unknown_usage')).toBe(true)
    })
  }
})

describe('a non-streamed Mistral answer without usage', () => {
  // Mistral's own SDK refuses a body without usage; a ready-made client (or another host) may not.
  it('costs null and warns unknown_usage when the client returns no usage', async () => {
    const recorded = recordedJson('mistral', 'mistral-text')
    const choice = recorded.choices[0]
    const sdkShaped = { id: recorded.id, model: recorded.model, object: 'chat.completion', created: recorded.created, choices: [{ index: 0, finishReason: choice.finish_reason, message: { role: 'assistant', content: choice.message.content } }] }
    const client = { chat: { complete: async () => sdkShaped, stream: async () => (async function* () {})() }, embeddings: { create: async () => ({}) } }
    const events: RouterEvent[] = []
    const router = createRouter({ providers: [mistral({ client })], onEvent: (event) => events.push(event) })
    const result = await router.chat({ model: 'mistral/mistral-small-latest', messages })
    expect(result.choices[0]!.message.content).toBe(choice.message.content)
    expect(result.cost.total).toBeNull()
    expect(events.some((event) => event.type === 'warning' && event.code === 'unknown_usage')).toBe(true)
  })
})

describe("OpenAI's cache writes", () => {
  const server = useMswServer()

  it('prices prompt_tokens_details.cache_write_tokens at the cache-write price, not as plain input (catalog gpt-6-sol: 2.00 in, 0.20 cache read, 2.50 cache write, 10.00 out)', async () => {
    const answer = structuredClone(openAIWire.text().json) as Record<string, any>
    answer.model = 'gpt-6-sol'
    answer.usage = { prompt_tokens: 10_000, completion_tokens: 500, total_tokens: 10_500, prompt_tokens_details: { cached_tokens: 2_000, cache_write_tokens: 3_000 } }
    openAIWire.serveChat(server, () => openAIWire.jsonResponse(answer))
    const router = createRouter({ providers: [openAIWire.create()] })
    const result = await router.chat({ model: 'openai/gpt-6-sol', messages })
    expect(result.usage).toMatchObject({ inputTokens: 5_000, cacheReadTokens: 2_000, cacheWriteTokens: 3_000, outputTokens: 500 })
    expect(result.usage.prompt_tokens).toBe(10_000)
    // input 5 000 × 2.00 = 0.01; cache read 2 000 × 0.20 = 0.0004; cache write 3 000 × 2.50 = 0.0075; output 500 × 10 = 0.005
    expect(result.cost.input).toBeCloseTo(0.01, 12)
    expect(result.cost.cacheRead).toBeCloseTo(0.0004, 12)
    expect(result.cost.cacheWrite).toBeCloseTo(0.0075, 12)
    expect(result.cost.total).toBeCloseTo(0.0229, 12)
  })
})
