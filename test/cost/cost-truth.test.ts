import { describe, expect, it } from 'vitest'
import { createRouter, mockProvider } from '../../src/index.js'

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
