import { describe, expect, it } from 'vitest'
import { createRouter } from '../../src/create-router.js'
import { mockProvider } from '../../src/providers/mock/mock-provider.js'
import { memoryStore } from '../../src/stores/memory-store.js'
import type { Store } from '../../src/spec/store.js'

// The default memory store holds 10 000 entries; the flood writes more cache entries than that.
const defaultMaxEntries = 10_000
const prices = { 'mock/budgeted': { input: 1_000, output: 1_000 }, 'mock/cached': { input: 1_000, output: 1_000 } }

async function spentAfterCacheFlood(store: Store | undefined, floodSize: number): Promise<number> {
  const mock = mockProvider({ models: { budgeted: { text: 'ok', usage: { inputTokens: 5, outputTokens: 5 } }, cached: { text: 'ok', usage: { inputTokens: 1, outputTokens: 1 } } } })
  const router = createRouter({
    providers: [mock],
    prices,
    ...(store ? { store } : {}),
    cache: { ttlMs: 60_000 },
    // Only the budgeted model counts, so the flood never touches the budget's counter again.
    budgets: [{ name: 'budgeted-model', limitUsd: 100, window: 'day', scope: { model: 'mock/budgeted' } }],
  })
  await router.chat({ model: 'mock/budgeted', messages: [{ role: 'user', content: 'counted' }], max_tokens: 5 })
  for (let index = 0; index < floodSize; index += 1) {
    await router.chat({ model: 'mock/cached', messages: [{ role: 'user', content: `distinct question ${index}` }] })
  }
  const [status] = await router.budgets({ model: 'mock/budgeted' })
  await router.close()
  return status!.spentUsd
}

describe('the response cache and the counters in the default in-process store', () => {
  it('a cache flood larger than the store never evicts a budget counter', async () => {
    expect(await spentAfterCacheFlood(undefined, defaultMaxEntries + 200)).toBeCloseTo(0.01, 9)
  }, 120_000)

  it('(control) sharing one bounded memory store, the same flood does evict it: the test above can fail', async () => {
    expect(await spentAfterCacheFlood(memoryStore({ maxEntries: 100 }), 300)).toBe(0)
  })
})
