import { describe, expect, it } from 'vitest'
import { createRouter, fallback, mistral, mockProvider, type RouterEvent } from '../../src/index.js'
import { useMswServer } from '../helpers/msw.js'
import { googleWire } from '../helpers/provider-wire/google-wire.js'
import { recordedJson } from '../helpers/recordings.js'
import { openAIWire } from '../helpers/provider-wire/openai-wire.js'
import { coreOf } from '../../src/router/router.js'

const messages = [{ role: 'user' as const, content: 'price me' }]

describe('Google ids written as resources', () => {
  it('prices models/gemini-2.5-pro as gemini-2.5-pro (catalog: 1.25 in, 10.00 out USD / 1M up to 200k)', async () => {
    const provider = mockProvider({ id: 'google', catalogId: 'google', models: { 'models/gemini-2.5-pro': { text: 'ok', usage: { inputTokens: 1_000, outputTokens: 100 } } } })
    const router = createRouter({ providers: [provider] })
    const result = await router.chat({ model: 'google/models/gemini-2.5-pro', messages })
    expect(result.cost.input).toBeCloseTo(0.00125, 12)
    expect(result.cost.output).toBeCloseTo(0.001, 12)
    expect(result.cost.total).toBeCloseTo(0.00225, 12)
    expect(coreOf(router).prices.resolve('google', 'models/gemini-2.5-pro')?.source).toBe('catalog')
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
