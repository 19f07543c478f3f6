import { describe, expect, it } from 'vitest'
import { createRouter } from '../../src/create-router.js'
import { mockProvider } from '../../src/providers/mock/mock-provider.js'
import type { Store } from '../../src/spec/store.js'
import type { RouterEvent } from '../../src/router/events.js'

/** A store whose every operation fails, as Redis does when it is down. */
function brokenStore(): Store {
  const fail = async () => {
    throw new Error('connect ECONNREFUSED 127.0.0.1:6379')
  }
  return { specificationVersion: 'v1', kind: 'redis', get: fail, set: fail, setIfAbsent: fail, delete: fail, increment: fail, run: fail }
}

describe('spend control with a failing store', () => {
  it('calls still answer, budgets and limits fall back to local counters, and a warning says so', async () => {
    const events: RouterEvent[] = []
    const mock = mockProvider({ models: { a: { text: 'ok', usage: { inputTokens: 5, outputTokens: 10 } } } })
    const router = createRouter({
      providers: [mock],
      prices: { 'mock/a': { input: 1_000, output: 1_000 } },
      store: brokenStore(),
      budgets: [{ name: 'daily', limitUsd: 0.035, window: 'day' }],
      limits: [{ rpm: 100 }],
      onEvent: (event) => events.push(event),
    })
    await router.chat({ model: 'mock/a', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 })
    await router.chat({ model: 'mock/a', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 })
    // The local stand-in still enforces the budget: a third $0.015 call does not fit $0.035.
    await expect(router.chat({ model: 'mock/a', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 })).rejects.toMatchObject({ code: 'budget_exceeded' })
    expect(events.some((event) => event.type === 'warning' && /store/.test(event.code))).toBe(true)
    expect((await router.spend()).totalUsd).toBeCloseTo(0.03, 9)
    await router.close()
  })
})
