import { describe, expect, it } from 'vitest'
import { validateBudgets } from '../../src/spend/budget-config.js'
import { BudgetKeeper } from '../../src/spend/budget-keeper.js'
import { Planner } from '../../src/spend/counter-plan.js'
import type { SpendAttributes } from '../../src/spend/spend-scope.js'
import { memoryStore } from '../../src/stores/memory-store.js'

const noWarnings = () => {
  throw new Error('unexpected warning')
}

const attempt = (user?: string): SpendAttributes => ({ user, tags: {}, route: null, provider: 'openai', model: 'openai/gpt-4o' })

describe('counter plans', () => {
  it('one plan serves every attempt its counters cover; a new one is made when a scope counter or the calendar period changes', () => {
    const keeper = new BudgetKeeper(validateBudgets([{ name: 'per user', limitUsd: 1, window: 'day', scope: { user: '*' } }]), memoryStore(), noWarnings)
    const planner = new Planner(keeper.sources)
    const morning = Date.parse('2026-03-14T09:00:00Z')
    const alice = attempt('alice')
    const plan = planner.planFor(alice, morning)!
    expect(plan.counters.map((counter) => counter.key)).toEqual(['spend:budget:per%20user:2026-03-14:user=alice'])
    // The same attributes, and equal ones in another object: the same plan.
    expect(planner.planFor(alice, morning + 1)).toBe(plan)
    expect(planner.planFor(attempt('alice'), morning + 2)).toBe(plan)
    const bob = planner.planFor(attempt('bob'), morning + 3)!
    expect(bob).not.toBe(plan)
    expect(bob.counters[0]!.key).toBe('spend:budget:per%20user:2026-03-14:user=bob')
    // A new day names a new counter.
    const nextDay = planner.planFor(attempt('bob'), Date.parse('2026-03-15T00:00:00Z'))!
    expect(nextDay).not.toBe(bob)
    expect(nextDay.counters[0]!.key).toBe('spend:budget:per%20user:2026-03-15:user=bob')
    // An attempt no budget covers has no plan.
    expect(planner.planFor(attempt(), morning)).toBeUndefined()
  })
})
