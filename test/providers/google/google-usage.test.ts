import { HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { createRouter, google } from '../../../src/index.js'
import { useMswServer } from '../../helpers/msw.js'
import { collect } from '../../helpers/streams.js'
import { sseResponse } from '../../helpers/recordings.js'
import { geminiResponse, serveGemini, testGoogleKey } from './google-handlers.js'

const server = useMswServer()
const flash = 'gemini-2.5-flash'
const messages = [{ role: 'user' as const, content: 'Summarise the cached report.' }]

// Gemini counts the 8,000 cached tokens inside promptTokenCount and the 50 thought tokens outside candidatesTokenCount.
const cachedUsage = { promptTokenCount: 10_000, cachedContentTokenCount: 8_000, candidatesTokenCount: 100, thoughtsTokenCount: 50, totalTokenCount: 10_150 }

describe('google adapter: usage and cost', () => {
  it('splits cached content tokens out of the prompt and prices them at the catalog cache-read price', async () => {
    serveGemini(server, flash, 'generateContent', () => HttpResponse.json(geminiResponse([{ text: 'Summary.' }], { usage: cachedUsage })))
    const result = await createRouter({ providers: [google({ apiKey: testGoogleKey })] }).chat({ model: `google/${flash}`, messages })

    expect(result.tokens).toMatchObject({
      inputTokens: 2_000,
      cacheReadTokens: 8_000,
      cacheWriteTokens: 0,
      outputTokens: 150,
      reasoningTokens: 50,
    })
    expect(result.usage).toMatchObject({
      prompt_tokens: 10_000,
      completion_tokens: 150,
      total_tokens: 10_150,
      prompt_tokens_details: { cached_tokens: 8_000 },
      completion_tokens_details: { reasoning_tokens: 50 },
    })
    // gemini-2.5-flash in the catalog: input 0.30, cache read 0.03, output 2.50 USD per million tokens.
    // 2,000 × 0.30 = 600; 8,000 × 0.03 = 240; 150 × 2.50 = 375 (millionths of a dollar).
    expect(result.cost.input).toBeCloseTo(0.0006, 12)
    expect(result.cost.cacheRead).toBeCloseTo(0.00024, 12)
    expect(result.cost.output).toBeCloseTo(0.000375, 12)
    expect(result.cost.cacheWrite).toBe(0)
    expect(result.cost.total).toBeCloseTo(0.001215, 12)
  })

  it('prices a stream the same way from the last chunk, with a user price overriding the catalog', async () => {
    const chunks = [
      geminiResponse([{ text: 'Sum' }], { usage: { promptTokenCount: 10_000, cachedContentTokenCount: 8_000, candidatesTokenCount: 1, totalTokenCount: 10_001 } }),
      geminiResponse([{ text: 'mary.' }], { usage: cachedUsage }),
    ]
    delete (chunks[0] as { candidates: Array<{ finishReason?: string }> }).candidates[0]!.finishReason
    serveGemini(server, flash, 'streamGenerateContent', () => sseResponse(chunks))
    const router = createRouter({
      providers: [google({ apiKey: testGoogleKey })],
      prices: { [`google/${flash}`]: { input: 1, output: 4, cacheRead: 0.25 } },
    })
    const received = await collect(router.stream({ model: `google/${flash}`, messages }))
    const last = received.at(-1)!
    expect(last.tokens).toMatchObject({ inputTokens: 2_000, cacheReadTokens: 8_000, outputTokens: 150, reasoningTokens: 50 })
    // 2,000 × 1 = 2,000; 8,000 × 0.25 = 2,000; 150 × 4 = 600 (millionths of a dollar).
    expect(last.cost).toMatchObject({ currency: 'USD' })
    expect(last.cost!.input).toBeCloseTo(0.002, 12)
    expect(last.cost!.cacheRead).toBeCloseTo(0.002, 12)
    expect(last.cost!.output).toBeCloseTo(0.0006, 12)
    expect(last.cost!.total).toBeCloseTo(0.0046, 12)
  })
})

describe('google adapter: reasoning and finish reasons', () => {
  it('returns thought parts as reasoning, streamed as reasoning deltas, never as answer text', async () => {
    const chunks = [
      { ...geminiResponse([{ text: 'Counting the letters', thought: true }]), candidates: [{ content: { role: 'model', parts: [{ text: 'Counting the letters', thought: true }] }, index: 0 }] },
      geminiResponse([{ text: 'Three.' }], { usage: { promptTokenCount: 5, candidatesTokenCount: 2, thoughtsTokenCount: 30, totalTokenCount: 37 } }),
    ]
    serveGemini(server, flash, 'streamGenerateContent', () => sseResponse(chunks))
    serveGemini(server, flash, 'generateContent', () =>
      HttpResponse.json(geminiResponse([{ text: 'Counting the letters', thought: true }, { text: 'Three.' }])),
    )
    const router = createRouter({ providers: [google({ apiKey: testGoogleKey })] })
    const stream = router.stream({ model: `google/${flash}`, messages, reasoning_effort: 'low' })
    const received = await collect(stream)
    const streamed = await stream.finalResult()
    expect(received.map((chunk) => chunk.choices[0]?.delta.reasoning ?? '').join('')).toBe('Counting the letters')
    expect(received.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('Three.')
    expect(streamed.choices[0]!.message).toMatchObject({ content: 'Three.', reasoning: 'Counting the letters' })
    expect(streamed.tokens).toMatchObject({ outputTokens: 32, reasoningTokens: 30 })

    const whole = await router.chat({ model: `google/${flash}`, messages })
    expect(whole.choices[0]!.message).toMatchObject({ content: 'Three.', reasoning: 'Counting the letters' })
  })

  const finishCases: Array<[string, string]> = [
    ['STOP', 'stop'],
    ['MAX_TOKENS', 'length'],
    ['SAFETY', 'content_filter'],
    ['RECITATION', 'content_filter'],
    ['BLOCKLIST', 'content_filter'],
    ['PROHIBITED_CONTENT', 'content_filter'],
    ['SPII', 'content_filter'],
    ['OTHER', 'stop'],
  ]
  for (const [gemini, canonical] of finishCases) {
    it(`maps finishReason ${gemini} to ${canonical}`, async () => {
      serveGemini(server, flash, 'generateContent', () => HttpResponse.json(geminiResponse([{ text: 'x' }], { finishReason: gemini })))
      const result = await createRouter({ providers: [google({ apiKey: testGoogleKey })] }).chat({ model: `google/${flash}`, messages })
      expect(result.choices[0]!.finish_reason).toBe(canonical)
    })
  }

  it('reports a blocked prompt (no candidates, promptFeedback.blockReason) as content_filter with its usage', async () => {
    serveGemini(server, flash, 'generateContent', () =>
      HttpResponse.json({ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' }, usageMetadata: { promptTokenCount: 12, totalTokenCount: 12 }, responseId: 'blocked-1' }),
    )
    const result = await createRouter({ providers: [google({ apiKey: testGoogleKey })] }).chat({ model: `google/${flash}`, messages })
    expect(result.choices[0]!.finish_reason).toBe('content_filter')
    expect(result.choices[0]!.message.content).toBe('')
    expect(result.tokens).toMatchObject({ inputTokens: 12, outputTokens: 0 })
  })
})
