import { describe, expect, it } from 'vitest'
import { BudgetExceededError } from '../../src/errors/budget-exceeded-error.js'
import { validateBudgets } from '../../src/spend/budget-config.js'
import { BudgetKeeper } from '../../src/spend/budget-keeper.js'
import type { SpendAttributes } from '../../src/spend/spend-scope.js'
import { storeKinds, useStores } from './store-kinds.js'

const call = (overrides: Partial<SpendAttributes> = {}): SpendAttributes => ({
  tags: {},
  route: 'default',
  provider: 'openai',
  model: 'openai/gpt-4o',
  ...overrides,
})

function clock(startIso: string) {
  let now = Date.parse(startIso)
  return { now: () => now, advance: (ms: number) => (now += ms), set: (iso: string) => (now = Date.parse(iso)) }
}

const noWarnings = () => {
  throw new Error('unexpected warning')
}

const newStore = useStores()

describe.each(storeKinds)('budgets on the %s store', (kind) => {
  it('reserves the worst case, refuses what does not fit with the budget, limit, spend and reset time, and settles to the exact cost', async () => {
    const time = clock('2026-03-14T10:00:00Z')
    const keeper = new BudgetKeeper(validateBudgets([{ name: 'daily', limitUsd: 1, window: 'day' }]), await newStore(kind), noWarnings, time.now)
    const first = await keeper.reserve(call(), 0.6)
    expect(first).toBeDefined()
    const refused = await keeper.reserve(call(), 0.5).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(BudgetExceededError)
    const error = refused as BudgetExceededError
    expect(error.code).toBe('budget_exceeded')
    expect(error.budget).toBe('daily')
    expect(error.scope).toBe('the whole router')
    expect(error.limitUsd).toBe(1)
    expect(error.spentUsd).toBeCloseTo(0.6, 12)
    expect(error.requiredUsd).toBe(0.5)
    expect(error.resetsAt?.toISOString()).toBe('2026-03-15T00:00:00.000Z')
    expect(error.retryAfterMs).toBe(14 * 3_600_000)
    expect(error.provider).toBe('openai')
    expect(error.model).toBe('gpt-4o')
    // The attempt cost far less than its worst case: the difference is given back.
    await keeper.settle(first!, 0.1)
    const second = await keeper.reserve(call(), 0.5)
    expect(second).toBeDefined()
    const [status] = await keeper.status(call())
    expect(status!.spentUsd).toBeCloseTo(0.6, 12)
    expect(status!.remainingUsd).toBeCloseTo(0.4, 12)
  })

  it('an attempt that alone exceeds the limit never fits: resetsAt is null', async () => {
    const keeper = new BudgetKeeper(validateBudgets([{ name: 'tiny', limitUsd: 0.01, window: '1h' }]), await newStore(kind), noWarnings)
    const error = (await keeper.reserve(call(), 0.02).catch((caught: unknown) => caught)) as BudgetExceededError
    expect(error).toBeInstanceOf(BudgetExceededError)
    expect(error.resetsAt).toBeNull()
    expect(error.retryAfterMs).toBeUndefined()
  })

  it('a calendar day rolls over at midnight UTC: the new day starts empty', async () => {
    const time = clock('2026-03-14T23:59:59Z')
    const keeper = new BudgetKeeper(validateBudgets([{ name: 'daily', limitUsd: 1, window: 'day' }]), await newStore(kind), noWarnings, time.now)
    await keeper.reserve(call(), 0.9)
    await expect(keeper.reserve(call(), 0.2)).rejects.toBeInstanceOf(BudgetExceededError)
    time.advance(1_000)
    await expect(keeper.reserve(call(), 0.2)).resolves.toBeDefined()
  })

  it('a rolling hour frees old spend slot by slot, and says when', async () => {
    const time = clock('2026-03-14T10:00:10Z')
    const keeper = new BudgetKeeper(validateBudgets([{ name: 'hourly', limitUsd: 1, window: '1h' }]), await newStore(kind), noWarnings, time.now)
    await keeper.reserve(call(), 0.4)
    time.set('2026-03-14T10:20:00Z')
    await keeper.reserve(call(), 0.5)
    const error = (await keeper.reserve(call(), 0.3).catch((caught: unknown) => caught)) as BudgetExceededError
    // The 0.4 spent in the 10:00 slot leaves the window once 10:01 is an hour ago.
    expect(error.resetsAt?.toISOString()).toBe('2026-03-14T11:01:00.000Z')
    time.set('2026-03-14T11:00:59Z')
    await expect(keeper.reserve(call(), 0.3)).rejects.toBeInstanceOf(BudgetExceededError)
    time.set('2026-03-14T11:01:00Z')
    await expect(keeper.reserve(call(), 0.3)).resolves.toBeDefined()
  })

  it('scopes: one budget per user, one for a tag value, one per provider; all must fit, and a refusal reserves nothing', async () => {
    const store = await newStore(kind)
    const keeper = new BudgetKeeper(
      validateBudgets([
        { name: 'per-user', limitUsd: 1, window: 'day', scope: { user: '*' } },
        { name: 'search-team', limitUsd: 1.5, window: 'day', scope: { tags: { team: 'search' } } },
        { name: 'anthropic', limitUsd: 100, window: 'month', scope: { provider: 'anthropic' } },
      ]),
      store,
      noWarnings,
    )
    const alice = call({ user: 'alice', tags: { team: 'search' } })
    const bob = call({ user: 'bob', tags: { team: 'search' } })
    await keeper.reserve(alice, 0.9)
    // Bob has his own user budget, but shares the team's.
    await keeper.reserve(bob, 0.5)
    const error = (await keeper.reserve(bob, 0.2).catch((caught: unknown) => caught)) as BudgetExceededError
    expect(error.budget).toBe('search-team')
    expect(error.scope).toBe('tag team=search')
    // The refused reservation left bob's own budget untouched.
    const statuses = await keeper.status(bob)
    expect(statuses.map((status) => [status.budget, status.scope, Math.round(status.spentUsd * 100) / 100])).toEqual([
      ['per-user', 'user bob', 0.5],
      ['search-team', 'tag team=search', 1.4],
    ])
    // Calls outside every scope are not counted at all.
    expect(await keeper.reserve(call(), 50)).toBeUndefined()
    const userError = (await keeper.reserve(call({ user: 'alice' }), 0.2).catch((caught: unknown) => caught)) as BudgetExceededError
    expect([userError.budget, userError.scope]).toEqual(['per-user', 'user alice'])
  })
})

describe('budget configuration', () => {
  it.each([
    [{ name: 'a', limitUsd: -1, window: 'day' }, /limitUsd.*0 or more/],
    [{ name: 'a', limitUsd: Number.NaN, window: 'day' }, /limitUsd/],
    [{ name: 'a', limitUsd: 1, window: 'fortnight' }, /window "fortnight" does not parse/],
    [{ name: 'a', limitUsd: 1, window: 'day', scope: { team: 'x' } }, /unknown scope key "team"/],
    [{ name: 'a', limitUsd: 1, window: 'day', scope: { key: 'openai-eu' } }, /unknown scope key "key"/],
    [{ name: 'a', limitUsd: 1, window: 'day', scope: { tags: { team: 3 } } }, /scope.tags.team/],
    [{ name: 'a', limitUsd: 1, window: 'day', scope: { model: 'gpt-4o' } }, /provider\/model/],
    [{ name: '', limitUsd: 1, window: 'day' }, /name/],
    [{ name: 'a', limitUsd: 1, window: 'day', limit: 3 }, /unknown field\(s\) limit/],
  ])('rejects %j', (entry, message) => {
    expect(() => validateBudgets([entry])).toThrow(message)
  })

  it('rejects duplicate names and a non-array', () => {
    expect(() => validateBudgets([{ name: 'a', limitUsd: 1, window: 'day' }, { name: 'a', limitUsd: 2, window: 'month' }])).toThrow(/two budgets are named "a"/)
    expect(() => validateBudgets({ name: 'a' })).toThrow(/must be an array/)
  })
})
