import { describe, expect, it } from 'vitest'
import { InvalidRequestError } from '../../src/errors/errors.js'
import { SpendLedger } from '../../src/spend/spend-ledger.js'
import type { SpendAttributes } from '../../src/spend/spend-scope.js'
import { storeKinds, useStores } from './store-kinds.js'

const call = (overrides: Partial<SpendAttributes> = {}): SpendAttributes => ({
  tags: {},
  route: 'default',
  provider: 'openai',
  model: 'openai/gpt-4o',
  ...overrides,
})

const noWarnings = () => {
  throw new Error('unexpected warning')
}

const newStore = useStores()

describe.each(storeKinds)('the spend ledger on the %s store', (kind) => {
  it('reports spend by user, tag, route, provider and model, with unattributed spend as (none)', async () => {
    let now = Date.parse('2026-03-14T10:15:00Z')
    const ledger = new SpendLedger(await newStore(kind), noWarnings, () => now)
    ledger.record(call({ user: 'alice', tags: { team: 'search' } }), 0.25)
    ledger.record(call({ user: 'bob', tags: { team: 'search', feature: 'summary' }, provider: 'anthropic', model: 'anthropic/claude-sonnet-4-5' }), 0.5)
    ledger.record(call({ user: 'alice', route: null }), 0.125)
    ledger.record(call({ provider: 'local', model: 'local/llama' }), null)
    const byUser = await ledger.report({ window: 'day', by: 'user' })
    expect(byUser.totalUsd).toBe(0.875)
    expect(byUser.attempts).toBe(4)
    expect(byUser.unpricedAttempts).toBe(1)
    expect(byUser.by).toBe('user')
    expect(byUser.groups).toEqual([
      { value: 'bob', costUsd: 0.5, attempts: 1 },
      { value: 'alice', costUsd: 0.375, attempts: 2 },
      { value: '(none)', costUsd: 0, attempts: 1 },
    ])
    expect((await ledger.report({ window: 'day', by: { tag: 'team' } })).groups).toEqual([
      { value: 'search', costUsd: 0.75, attempts: 2 },
      { value: '(none)', costUsd: 0.125, attempts: 2 },
    ])
    expect((await ledger.report({ by: 'model' })).groups.map((group) => group.value)).toEqual(['anthropic/claude-sonnet-4-5', 'openai/gpt-4o', 'local/llama'])
    expect((await ledger.report({ by: 'route' })).groups[0]).toEqual({ value: 'default', costUsd: 0.75, attempts: 3 })
    expect((await ledger.report({ by: 'provider' })).groups).toContainEqual({ value: 'anthropic', costUsd: 0.5, attempts: 1 })
    // The next UTC day starts empty; the month and a rolling 7 days still hold it.
    now = Date.parse('2026-03-15T00:30:00Z')
    ledger.record(call({ user: 'carol' }), 1)
    expect((await ledger.report({ window: 'day' })).totalUsd).toBe(1)
    expect((await ledger.report({ window: 'month' })).totalUsd).toBe(1.875)
    expect((await ledger.report({ window: '7d', by: 'user' })).groups[0]).toEqual({ value: 'carol', costUsd: 1, attempts: 1 })
    expect((await ledger.report({ window: '1h' })).totalUsd).toBe(1)
  })
})

describe('router.spend queries', () => {
  it('rejects a window or dimension it cannot read', async () => {
    const { memoryStore } = await import('../../src/stores/memory-store.js')
    const ledger = new SpendLedger(memoryStore(), noWarnings)
    await expect(ledger.report({ window: 'fortnight' })).rejects.toBeInstanceOf(InvalidRequestError)
    await expect(ledger.report({ by: 'team' as never })).rejects.toThrow(/by must be/)
  })
})
