import { afterEach, describe, expect, it, vi } from 'vitest'
import { anthropic, createRouter, fallback, mistral, mockProvider, type RouterEvent } from '../../src/index.js'
import { anthropicSse, serveMessages, testApiKey as anthropicKey } from '../providers/anthropic/anthropic-handlers.js'
import { useMswServer } from '../helpers/msw.js'
import { googleWire } from '../helpers/provider-wire/google-wire.js'
import { recordedChunks, recordedJson } from '../helpers/recordings.js'
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

describe("OpenAI's cache writes", () => {
  const server = useMswServer()

  it('prices prompt_tokens_details.cache_write_tokens at the cache-write price, not as plain input (catalog gpt-6-sol: 2.00 in, 0.20 cache read, 2.50 cache write, 10.00 out)', async () => {
    const answer = structuredClone(openAIWire.text().json) as Record<string, any>
    answer.model = 'gpt-6-sol'
    answer.usage = { prompt_tokens: 10_000, completion_tokens: 500, total_tokens: 10_500, prompt_tokens_details: { cached_tokens: 2_000, cache_write_tokens: 3_000 } }
    openAIWire.serveChat(server, () => openAIWire.jsonResponse(answer))
    const router = createRouter({ providers: [openAIWire.create()] })
    const result = await router.chat({ model: 'openai/gpt-6-sol', messages })
    expect(result.tokens).toMatchObject({ inputTokens: 5_000, cacheReadTokens: 2_000, cacheWriteTokens: 3_000, outputTokens: 500 })
    expect(result.usage.prompt_tokens).toBe(10_000)
    // input 5 000 × 2.00 = 0.01; cache read 2 000 × 0.20 = 0.0004; cache write 3 000 × 2.50 = 0.0075; output 500 × 10 = 0.005
    expect(result.cost.input).toBeCloseTo(0.01, 12)
    expect(result.cost.cacheRead).toBeCloseTo(0.0004, 12)
    expect(result.cost.cacheWrite).toBeCloseTo(0.0075, 12)
    expect(result.cost.total).toBeCloseTo(0.0229, 12)
  })
})

describe('the model that answered is the one priced', () => {
  const server = useMswServer()

  it.each([false, true])('an Anthropic answer from another model than requested is priced as that model (recorded claude-sonnet-4-5: 3.00 in, 15.00 out; streamed: %s)', async (streamed) => {
    const recordedAnswer = recordedJson('anthropic', 'anthropic-text')
    serveMessages(server, () => (streamed ? anthropicSse(recordedChunks('anthropic', 'anthropic-text')) : Response.json(recordedAnswer)))
    const router = createRouter({ providers: [anthropic({ apiKey: anthropicKey })] })
    // Asked for opus-4-1 (15.00 / 75.00); the recording says claude-sonnet-4-5-20250929 answered.
    const request = { model: 'anthropic/claude-opus-4-1', messages }
    const result = streamed ? await router.stream(request).finalResult() : await router.chat(request)
    // The JSON and the stream are two recordings, each with its own counts.
    const recordedUsage = streamed ? recordedChunks('anthropic', 'anthropic-text').find((event) => event.type === 'message_delta').usage : recordedAnswer.usage
    const input = streamed ? recordedChunks('anthropic', 'anthropic-text').find((event) => event.type === 'message_start').message.usage.input_tokens : recordedUsage.input_tokens
    const output = recordedUsage.output_tokens
    expect(result.tokens).toMatchObject({ inputTokens: input, outputTokens: output })
    expect(result.cost.total).toBeCloseTo((input * 3 + output * 15) / 1e6, 12)
  })

  it('a dated snapshot of the requested model keeps the requested model\'s price (your price wins)', async () => {
    const answer = structuredClone(openAIWire.text().json) as Record<string, any>
    expect(answer.model).toBe('gpt-4.1-nano-2025-04-14')
    openAIWire.serveChat(server, () => openAIWire.jsonResponse(answer))
    const router = createRouter({ providers: [openAIWire.create()], prices: { 'openai/gpt-4.1-nano': { input: 1, output: 1 } } })
    const result = await router.chat({ model: 'openai/gpt-4.1-nano', messages })
    expect(result.cost.total).toBeCloseTo((answer.usage.prompt_tokens + answer.usage.completion_tokens) / 1e6, 12)
  })
})

describe("Anthropic's usage.iterations", () => {
  const server = useMswServer()

  it('prices compaction and advisor iterations on top of the answer, each at its model\'s rate (catalog: sonnet-4-5 3/15, opus-4-1 15/75)', async () => {
    const answer = recordedJson('anthropic', 'anthropic-text')
    const top = answer.usage
    answer.usage = {
      ...top,
      iterations: [
        { type: 'compaction', input_tokens: 180_000, output_tokens: 3_500, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
        { type: 'advisor_message', model: 'claude-opus-4-1', input_tokens: 1_000, output_tokens: 200, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
        { type: 'message', input_tokens: top.input_tokens, output_tokens: top.output_tokens, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
      ],
    }
    serveMessages(server, () => Response.json(answer))
    const router = createRouter({ providers: [anthropic({ apiKey: anthropicKey })] })
    const result = await router.chat({ model: 'anthropic/claude-sonnet-4-5', messages })
    const message = (top.input_tokens * 3 + top.output_tokens * 15) / 1e6
    const compaction = (180_000 * 3 + 3_500 * 15) / 1e6
    const advisor = (1_000 * 15 + 200 * 75) / 1e6
    expect(result.cost.total).toBeCloseTo(message + compaction + advisor, 12)
    expect(result.tokens.iterations).toHaveLength(2)
  })
})

describe('OpenAI service tiers', () => {
  const server = useMswServer()
  const recorded = () => structuredClone(openAIWire.text().json) as Record<string, any>

  it.each([false, true])('flex is priced at the published flex rate, half the standard one (catalog gpt-4.1-nano 0.10 / 0.40; streamed: %s)', async (streamed) => {
    const answer = recorded()
    answer.service_tier = 'flex'
    const chunks = (openAIWire.text().chunks as Array<Record<string, any>>).map((chunk) => ({ ...chunk, service_tier: 'flex' }))
    openAIWire.serveChat(server, (call) => (call.stream ? openAIWire.streamResponse(chunks) : openAIWire.jsonResponse(answer)))
    const router = createRouter({ providers: [openAIWire.create()] })
    const request = { model: 'openai/gpt-4.1-nano', messages }
    const result = streamed ? await router.stream(request).finalResult() : await router.chat(request)
    expect(result.tokens.serviceTier).toBe('flex')
    expect(result.cost.total).toBeCloseTo((result.tokens.inputTokens * 0.05 + result.tokens.outputTokens * 0.2) / 1e6, 12)
  })

  it('priority has no catalog price: null and a warning, unless you price the tier', async () => {
    const answer = recorded()
    answer.service_tier = 'priority'
    openAIWire.serveChat(server, () => openAIWire.jsonResponse(answer))
    const events: RouterEvent[] = []
    const unpriced = await createRouter({ providers: [openAIWire.create()], onEvent: (event) => events.push(event) }).chat({ model: 'openai/gpt-4.1-nano', messages })
    expect(unpriced.cost.total).toBeNull()
    expect(events.some((event) => event.type === 'warning' && event.code === 'unknown_price' && event.message.includes('priority'))).toBe(true)
    const priced = await createRouter({
      providers: [openAIWire.create()],
      prices: { 'openai/gpt-4.1-nano': { input: 0.1, output: 0.4, serviceTiers: { priority: { input: 0.2, output: 0.8 } } } },
    }).chat({ model: 'openai/gpt-4.1-nano', messages })
    expect(priced.cost.total).toBeCloseTo((answer.usage.prompt_tokens * 0.2 + answer.usage.completion_tokens * 0.8) / 1e6, 12)
  })
})

describe('dated catalog prices', () => {
  afterEach(() => vi.useRealTimers())

  it('a long-running router prices each call at the price in force at its time (catalog gemini-3.6-flash: 0.75 / 3.75, from 2027-01-01 1.50 / 7.50)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-12-31T23:00:00Z'))
    const provider = mockProvider({ id: 'google', catalogId: 'google', models: { 'gemini-3.6-flash': { text: 'ok', usage: { inputTokens: 1_000_000, outputTokens: 1_000_000 } } } })
    const router = createRouter({ providers: [provider] })
    const before = await router.chat({ model: 'google/gemini-3.6-flash', messages })
    expect(before.cost.total).toBeCloseTo(0.75 + 3.75, 9)
    vi.setSystemTime(new Date('2027-01-01T01:00:00Z'))
    const after = await router.chat({ model: 'google/gemini-3.6-flash', messages })
    expect(after.cost.total).toBeCloseTo(1.5 + 7.5, 9)
  })
})
