import { describe, expect, it } from 'vitest'
import { computeCost, createRouter, fallback, mockProvider, openai, openaiCompatible, type ChatResult, type ProviderAdapter, type RouterEvent } from '../../src/index.js'
import { useMswServer } from '../helpers/msw.js'
import { chunk, completionResponse, serveChatCompletions, testApiKey } from '../helpers/openai-handlers.js'
import { sseResponse } from '../helpers/recordings.js'

const server = useMswServer()
const messages = [{ role: 'user' as const, content: 'price me' }]

// What OpenAI reports: prompt_tokens includes the cached ones.
const cachedUsage = {
  prompt_tokens: 10_000,
  completion_tokens: 1_000,
  total_tokens: 11_000,
  prompt_tokens_details: { cached_tokens: 4_000 },
  completion_tokens_details: { reasoning_tokens: 200 },
}

function serveBoth() {
  serveChatCompletions(server, (body) =>
    body.stream
      ? sseResponse([chunk({ role: 'assistant', content: 'Cost' }), chunk({ content: ' report' }), chunk({}, 'stop'), chunk({}, 'usage-only', cachedUsage)], { done: true })
      : completionResponse({ content: 'Cost report' }, { usage: cachedUsage }),
  )
}

describe('cost of OpenAI calls with cached tokens', () => {
  it('gpt-4o at catalog prices (input 2.50, cache read 1.25, output 10.00 USD / 1M)', async () => {
    serveBoth()
    const router = createRouter({ providers: [openai({ apiKey: testApiKey })] })
    const result = await router.chat({ model: 'openai/gpt-4o', messages })
    // Uncached input: 10 000 − 4 000 = 6 000 tokens.
    expect(result.tokens).toMatchObject({ inputTokens: 6_000, cacheReadTokens: 4_000, cacheWriteTokens: 0, outputTokens: 1_000, reasoningTokens: 200 })
    expect(result.usage.prompt_tokens).toBe(10_000)
    expect(result.usage.prompt_tokens_details.cached_tokens).toBe(4_000)
    // input      6 000 × 2.50 / 1e6 = 0.015
    // cacheRead  4 000 × 1.25 / 1e6 = 0.005
    // output     1 000 × 10.0 / 1e6 = 0.010   (reasoning tokens are part of the output)
    // total                          = 0.030
    expect(result.cost.input).toBeCloseTo(0.015, 12)
    expect(result.cost.cacheRead).toBeCloseTo(0.005, 12)
    expect(result.cost.cacheWrite).toBe(0)
    expect(result.cost.output).toBeCloseTo(0.01, 12)
    expect(result.cost.total).toBeCloseTo(0.03, 12)
    expect(result.cost.currency).toBe('USD')
    expect(result.route.attempts[0]!.cost).toEqual(result.cost)
  })

  it('streamed and non-streamed calls cost exactly the same', async () => {
    serveBoth()
    const router = createRouter({ providers: [openai({ apiKey: testApiKey })] })
    const chat = await router.chat({ model: 'openai/gpt-4o', messages })
    const chunks = []
    for await (const item of router.stream({ model: 'openai/gpt-4o', messages })) chunks.push(item)
    const streamed = chunks.at(-1)!
    expect(streamed.cost).toEqual(chat.cost)
    expect(streamed.usage).toEqual(chat.usage)
    expect(streamed.cost!.total).toBeCloseTo(0.03, 12)
  })

  it('user prices override the catalog', async () => {
    serveBoth()
    const router = createRouter({
      providers: [openai({ apiKey: testApiKey })],
      prices: { 'openai/gpt-4o': { input: 1, output: 2, cacheRead: 0.5 } },
    })
    const result = await router.chat({ model: 'openai/gpt-4o', messages })
    // input 6 000 × 1 / 1e6 = 0.006; cacheRead 4 000 × 0.5 / 1e6 = 0.002; output 1 000 × 2 / 1e6 = 0.002
    expect(result.cost).toEqual({ input: 0.006, cacheRead: 0.002, cacheWrite: 0, output: 0.002, total: 0.01, currency: 'USD' })
  })

  it('cache reads without a cache price cost the input price', async () => {
    serveBoth()
    const router = createRouter({ providers: [openai({ apiKey: testApiKey })], prices: { 'openai/gpt-4o': { input: 3, output: 6 } } })
    const result = await router.chat({ model: 'openai/gpt-4o', messages })
    // cacheRead 4 000 × 3 / 1e6 = 0.012; input 6 000 × 3 / 1e6 = 0.018; output 1 000 × 6 / 1e6 = 0.006
    expect(result.cost).toMatchObject({ input: 0.018, cacheRead: 0.012, output: 0.006, total: 0.036 })
  })
})

describe('tiered prices', () => {
  const tiered = {
    input: { base: 1.25, tiers: [{ above: 200_000, price: 2.5 }] },
    output: { base: 10, tiers: [{ above: 200_000, price: 15 }] },
    cacheRead: { base: 0.125, tiers: [{ above: 200_000, price: 0.25 }] },
  }

  function tieredRouter(inputTokens: number, cacheReadTokens: number) {
    return createRouter({
      providers: [mockProvider({ id: 'long', models: { ctx: { text: 'ok', usage: { inputTokens, cacheReadTokens, outputTokens: 1_000 } } } })],
      prices: { 'long/ctx': tiered },
    })
  }

  it('above the threshold every part is billed at the tier price (the whole prompt decides)', async () => {
    // Prompt = 150 000 uncached + 60 000 cached = 210 000 > 200 000.
    const result = await tieredRouter(150_000, 60_000).chat({ model: 'long/ctx', messages })
    // input 150 000 × 2.50 / 1e6 = 0.375; cacheRead 60 000 × 0.25 / 1e6 = 0.015; output 1 000 × 15 / 1e6 = 0.015
    expect(result.cost).toEqual({ input: 0.375, cacheRead: 0.015, cacheWrite: 0, output: 0.015, total: 0.405, currency: 'USD' })
  })

  it('at the threshold the base price still applies', async () => {
    // Prompt = 140 000 + 60 000 = 200 000, not above 200 000.
    const result = await tieredRouter(140_000, 60_000).chat({ model: 'long/ctx', messages })
    // input 140 000 × 1.25 / 1e6 = 0.175; cacheRead 60 000 × 0.125 / 1e6 = 0.0075; output 1 000 × 10 / 1e6 = 0.01
    expect(result.cost).toEqual({ input: 0.175, cacheRead: 0.0075, cacheWrite: 0, output: 0.01, total: 0.1925, currency: 'USD' })
  })

  it('catalog tiers apply too (gemini-2.5-pro: 1.25 → 2.50 input, 10 → 15 output above 200k)', async () => {
    const router = createRouter({
      providers: [mockProvider({ id: 'google', catalogId: 'google', models: { 'gemini-2.5-pro': { text: 'ok', usage: { inputTokens: 250_000, outputTokens: 2_000 } } } })],
    })
    const result = await router.chat({ model: 'google/gemini-2.5-pro', messages })
    // input 250 000 × 2.50 / 1e6 = 0.625; output 2 000 × 15 / 1e6 = 0.03
    expect(result.cost).toMatchObject({ input: 0.625, output: 0.03, total: 0.655 })
  })

  it('cache writes are billed at the cache-write price (claude-sonnet-4-5 from the catalog: 3.75 / 1M)', async () => {
    const router = createRouter({
      providers: [
        mockProvider({
          id: 'anthropic',
          catalogId: 'anthropic',
          models: { 'claude-sonnet-4-5': { text: 'ok', usage: { inputTokens: 100, cacheWriteTokens: 10_000, cacheReadTokens: 20_000, outputTokens: 500 } } },
        }),
      ],
    })
    const result = await router.chat({ model: 'anthropic/claude-sonnet-4-5', messages })
    // input 100 × 3 / 1e6 = 0.0003; cacheWrite 10 000 × 3.75 / 1e6 = 0.0375;
    // cacheRead 20 000 × 0.30 / 1e6 = 0.006; output 500 × 15 / 1e6 = 0.0075; total 0.0513
    expect(result.cost).toEqual({ input: 0.0003, cacheWrite: 0.0375, cacheRead: 0.006, output: 0.0075, total: 0.0513, currency: 'USD' })
    expect(result.usage.prompt_tokens).toBe(30_100)
  })

  it('1-hour cache writes are billed at their own price; without one, at the cache-write price', () => {
    const usage = { inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 1_000, cacheWrite1hTokens: 400, outputTokens: 0, reasoningTokens: 0 }
    // 600 × 3.75 / 1e6 = 0.00225; 400 × 6 / 1e6 = 0.0024; total 0.00465
    expect(computeCost(usage, { input: 3, output: 15, cacheWrite: 3.75, cacheWrite1h: 6 }).cacheWrite).toBe(0.00465)
    // No 1-hour price: all 1 000 at 3.75 / 1e6 = 0.00375
    expect(computeCost(usage, { input: 3, output: 15, cacheWrite: 3.75 }).cacheWrite).toBe(0.00375)
  })

  it('a user price table may set cacheWrite1h, and a malformed one is refused', () => {
    const provider = mockProvider({ id: 'anthropic', models: { m: 'ok' } })
    expect(() => createRouter({ providers: [provider], prices: { 'anthropic/m': { input: 3, output: 15, cacheWrite1h: 6 } } })).not.toThrow()
    expect(() => createRouter({ providers: [provider], prices: { 'anthropic/m': { input: 3, output: 15, cacheWrite1h: -1 } } })).toThrow(
      /prices\["anthropic\/m"\]\.cacheWrite1h must be a non-negative number/,
    )
  })
})

describe('unknown prices', () => {
  it('every part is null and a warning names the model; never a guessed price', async () => {
    serveChatCompletions(server, () => completionResponse({ content: 'hi' }, { usage: cachedUsage }), 'https://llm.internal.example/v1')
    const events: RouterEvent[] = []
    const router = createRouter({
      providers: [openaiCompatible({ id: 'internal', baseURL: 'https://llm.internal.example/v1', apiKey: 'internal-key-123456' })],
      onEvent: (event) => events.push(event),
    })
    const result = await router.chat({ model: 'internal/qwen-72b', messages })
    expect(result.cost).toEqual({ input: null, output: null, cacheRead: null, cacheWrite: null, total: null, currency: 'USD' })
    expect(result.tokens.inputTokens).toBe(6_000)
    const warnings = events.filter((event) => event.type === 'warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatchObject({ type: 'warning', code: 'unknown_price', provider: 'internal', model: 'qwen-72b' })
    expect(warnings[0]!.type === 'warning' && warnings[0]!.message).toContain('prices')
  })

  it('failed attempts cost nothing: the call costs what the answering attempt cost', async () => {
    const router = createRouter({
      providers: [mockProvider({ id: 'a', models: { m: { error: 'server' } } }), mockProvider({ id: 'b', models: { m: { text: 'ok', usage: { inputTokens: 1_000, outputTokens: 0 } } } })],
      prices: { 'b/m': { input: 2, output: 4 } },
      routes: { main: fallback(['a/m', 'b/m'], { retries: 0 }) },
    })
    const result: ChatResult = await router.chat({ model: 'main', messages })
    // Failed attempts have no usage and cost nothing: 1 000 × 2 / 1e6 = 0.002.
    expect(result.route.attempts[0]!.cost).toBeUndefined()
    expect(result.cost.total).toBe(0.002)
  })
})

describe('unknown usage', () => {
  it('a custom adapter stream that ends without a finish event costs null (unknown) and warns, never 0', async () => {
    const adapter: ProviderAdapter = {
      specificationVersion: 'v1',
      id: 'custom',
      models: ['m'],
      chat: () => Promise.reject(new Error('not used')),
      async *stream() {
        yield { type: 'text-delta', text: 'partial but complete-looking' }
      },
    }
    const events: RouterEvent[] = []
    const router = createRouter({ providers: [adapter], prices: { 'custom/m': { input: 1, output: 2 } }, onEvent: (event) => events.push(event) })
    const result = await router.stream({ model: 'custom/m', messages }).finalResult()
    expect(result.choices[0]!.message.content).toBe('partial but complete-looking')
    expect(result.cost).toEqual({ input: null, output: null, cacheRead: null, cacheWrite: null, total: null, currency: 'USD' })
    expect(events.filter((event) => event.type === 'warning').map((event) => (event as { code: string }).code)).toEqual(['unknown_usage'])
  })
})
