import { describe, expect, it } from 'vitest'
import type { Store } from '../../src/spec/store.js'
import { FailSafeStore, failSafeStore } from '../../src/stores/fail-safe-store.js'
import { memoryStore } from '../../src/stores/memory-store.js'
import { takeTokensScript } from './store-contract.js'

type Behaviour = 'ok' | 'reject' | 'hang' | 'garbage'

/** A store whose every operation behaves as told, over a real memory store when it works. */
function flakyStore(): { store: Store; behaviour: { now: Behaviour }; calls: { count: number } } {
  const inner = memoryStore()
  const behaviour = { now: 'ok' as Behaviour }
  const calls = { count: 0 }
  const wrap =
    <Args extends unknown[]>(operation: (...args: Args) => Promise<unknown>) =>
    (...args: Args): Promise<never> => {
      calls.count += 1
      if (behaviour.now === 'reject') return Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6379'))
      if (behaviour.now === 'hang') return new Promise<never>(() => {})
      if (behaviour.now === 'garbage') return Promise.resolve({ not: 'a string' } as never)
      return operation(...args) as Promise<never>
    }
  const store: Store = {
    specificationVersion: 'v1',
    kind: 'flaky',
    get: wrap((key: string) => inner.get(key)),
    set: wrap((key: string, value: string, options?: { ttlMs?: number }) => inner.set(key, value, options)),
    setIfAbsent: wrap((key: string, value: string) => inner.setIfAbsent(key, value)),
    delete: wrap((key: string) => inner.delete(key)),
    increment: wrap((key: string, by: number) => inner.increment(key, by)),
    run: wrap((script, keys, args) => inner.run(script as typeof takeTokensScript, keys as string[], args as number[])) as Store['run'],
  }
  return { store, behaviour, calls }
}

describe('failSafeStore', () => {
  it('leaves the built-in memory store as it is', () => {
    const store = memoryStore()
    expect(failSafeStore(store, { warn: () => {} })).toBe(store)
  })

  it('an error: the operation is done locally, and one warning is given per kind, not per call', async () => {
    const { store, behaviour } = flakyStore()
    const warnings: string[] = []
    let now = 0
    const safe = new FailSafeStore(store, { warn: (code) => warnings.push(code), now: () => now })
    await safe.set('a', 'remote')
    behaviour.now = 'reject'
    expect(await safe.get('a')).toBeUndefined()
    expect(await safe.increment('n', 1)).toBe(1)
    now += 10_000
    expect(await safe.increment('n', 1)).toBe(2)
    expect(warnings).toEqual(['store_error'])
  })

  it('garbage is a miss with a store_invalid_reply warning', async () => {
    const { store, behaviour } = flakyStore()
    const warnings: string[] = []
    const safe = new FailSafeStore(store, { warn: (code) => warnings.push(code) })
    behaviour.now = 'garbage'
    expect(await safe.get('a')).toBeUndefined()
    expect(warnings).toEqual(['store_invalid_reply'])
  })

  it('a hanging store times out; after a failure the store is left alone for a pause, then tried again', async () => {
    const { store, behaviour, calls } = flakyStore()
    const warnings: string[] = []
    let now = 0
    const safe = new FailSafeStore(store, { warn: (code) => warnings.push(code), timeoutMs: 30, now: () => now })
    behaviour.now = 'hang'
    const started = performance.now()
    expect(await safe.get('x')).toBeUndefined()
    expect(performance.now() - started).toBeGreaterThanOrEqual(25)
    expect(warnings).toEqual(['store_timeout'])
    const callsAfterFailure = calls.count
    // Within the pause: answered locally at once, the remote store is not asked.
    const quick = performance.now()
    expect(await safe.get('x')).toBeUndefined()
    expect(performance.now() - quick).toBeLessThan(25)
    expect(calls.count).toBe(callsAfterFailure)
    expect(safe.degraded).toBe(true)
    // After the pause the store is tried again and, working, used again.
    behaviour.now = 'ok'
    now += 1_000
    await safe.set('x', 'remote again')
    expect(calls.count).toBe(callsAfterFailure + 1)
    expect(safe.degraded).toBe(false)
    expect(await store.get('x')).toBe('remote again')
    // A new outage warns again.
    behaviour.now = 'reject'
    await safe.get('x')
    expect(warnings).toEqual(['store_timeout', 'store_error'])
  })

  it('runs scripts locally while the store fails', async () => {
    const { store, behaviour } = flakyStore()
    const safe = new FailSafeStore(store, { warn: () => {} })
    behaviour.now = 'reject'
    expect(await safe.run(takeTokensScript, ['used', 'refused'], [4, 10, 60_000])).toEqual({ taken: true, used: 4 })
    expect(await safe.run(takeTokensScript, ['used', 'refused'], [4, 10, 60_000])).toEqual({ taken: true, used: 8 })
    expect(await safe.run(takeTokensScript, ['used', 'refused'], [4, 10, 60_000])).toEqual({ taken: false, used: 8 })
  })

  it('a throwing warning sink does not break the call', async () => {
    const { store, behaviour } = flakyStore()
    const safe = new FailSafeStore(store, {
      warn: () => {
        throw new Error('listener bug')
      },
    })
    behaviour.now = 'reject'
    expect(await safe.get('a')).toBeUndefined()
  })
})
