import { describe, expect, it } from 'vitest'
import { createRouter, mockProvider, fallback } from '../../src/index.js'

describe('smoke', () => {
  it('routes through a fallback chain and reports cost', async () => {
    const router = createRouter({
      providers: [mockProvider({ id: 'a', models: { m: { error: 'server' } } }), mockProvider({ id: 'b', models: { m: { text: 'hi there', usage: { inputTokens: 1000, outputTokens: 500 } } } })],
      prices: { 'b/m': { input: 1, output: 2 } },
      routes: { main: fallback(['a/m', 'b/m'], { retries: 0 }) },
    })
    const result = await router.chat({ model: 'main', messages: [{ role: 'user', content: 'hello' }] })
    expect(result.choices[0]!.message.content).toBe('hi there')
    expect(result.route.provider).toBe('b')
    expect(result.route.attempts.map((a) => a.outcome)).toEqual(['error', 'success'])
    expect(result.cost.total).toBeCloseTo(0.002, 10)
    const chunks = []
    for await (const chunk of router.stream({ model: 'main', messages: [{ role: 'user', content: 'hello' }] })) chunks.push(chunk)
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('hi there')
    expect(chunks.at(-1)!.cost!.total).toBeCloseTo(0.002, 10)
  })
})
