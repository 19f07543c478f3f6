import { describe, expect, it } from 'vitest'
import type { Store } from '../../src/spec/store.js'
import { countersIn, type Counters } from '../../src/spend/counters.js'
import type { CounterCheck } from '../../src/spend/reserve-script.js'
import type { CounterSettlement } from '../../src/spend/settle-script.js'
import { memoryStore } from '../../src/stores/memory-store.js'

/** The memory store seen through the plain store contract only, so counters run as its `run` scripts. */
function scriptedOnly(store: Store): Store {
  return {
    specificationVersion: 'v1',
    kind: 'memory (scripts)',
    get: (key) => store.get(key),
    set: (key, value, options) => store.set(key, value, options),
    setIfAbsent: (key, value, options) => store.setIfAbsent(key, value, options),
    delete: (key) => store.delete(key),
    increment: (key, by, options) => store.increment(key, by, options),
    run: (script, keys, args) => store.run(script, keys, args),
  }
}

const window = (key: string, limit: number, amount: number, slot: number, floor: number): CounterCheck => ({ key, kind: 'w', limit, amount, floor, slot: String(slot), ttlOrExpiry: 60_000.4 })
const lease = (key: string, limit: number, id: string, now: number, expiresAt: number): CounterCheck => ({ key, kind: 'c', limit, amount: 1, floor: now, slot: id, ttlOrExpiry: expiresAt })

type Step = { reserve: CounterCheck[] } | { settle: CounterSettlement[] }

// Budgets, rpm and leases through refusals, expiry of old slots and leases, and settlements.
const steps: Step[] = [
  { reserve: [window('budget', 1, 0.6, 1_000, 0), window('rpm', 2, 1, 1_000, 0)] },
  { reserve: [window('budget', 1, 0.5, 1_000, 0), window('rpm', 2, 1, 1_000, 0)] },
  { reserve: [window('rpm', 2, 1, 2_000, 0), lease('concurrency', 2, 'a-1', 2_000, 902_000)] },
  { reserve: [window('rpm', 2, 1, 3_000, 0)] },
  { settle: [{ key: 'budget', kind: 'w', slot: '1000', delta: -0.45, floor: 0, ttlMs: 60_000 }] },
  { reserve: [window('budget', 1, 0.5, 1_000, 0), lease('concurrency', 2, 'a-2', 2_500, 902_500)] },
  { reserve: [lease('concurrency', 2, 'a-3', 3_000, 903_000)] },
  { settle: [{ key: 'concurrency', kind: 'c', slot: 'a-1', delta: 0, floor: 3_500, ttlMs: 0 }] },
  { reserve: [lease('concurrency', 2, 'a-3', 3_600, 903_600)] },
  // The slot at 1000 leaves the window: its requests stop counting.
  { reserve: [window('rpm', 2, 1, 62_000, 1_001), window('budget', 1, 0.2, 1_000, 0)] },
  { settle: [{ key: 'rpm', kind: 'w', slot: '62000', delta: 5, floor: 1_001, ttlMs: 60_000 }, { key: 'missing', kind: 'w', slot: '1', delta: 1, floor: 0, ttlMs: 1 }] },
  { reserve: [window('rpm', 10, 1, 62_000, 1_001)] },
  // Every lease has expired by now.
  { reserve: [lease('concurrency', 1, 'b-1', 950_000, 1_850_000)] },
  { settle: [{ key: 'concurrency', kind: 'c', slot: 'b-1', delta: 0, floor: 950_100, ttlMs: 0 }] },
]

async function replay(counters: Counters, store: Store): Promise<unknown[]> {
  const seen: unknown[] = []
  for (const step of steps) {
    if ('reserve' in step) seen.push(await counters.reserve(step.reserve))
    else await counters.settle(step.settle)
    const documents: Record<string, unknown> = {}
    for (const key of ['budget', 'rpm', 'concurrency']) {
      const text = await store.get(key)
      documents[key] = text === undefined ? undefined : JSON.parse(text)
    }
    seen.push(documents)
  }
  return seen
}

describe('live counters in the memory store', () => {
  it('give the same outcomes and leave the same documents as the store scripts, step by step', async () => {
    const live = memoryStore()
    const scripted = scriptedOnly(memoryStore())
    const liveCounters = countersIn(live)
    const scriptedCounters = countersIn(scripted)
    // One runs on live objects (no promise), the other through `run`.
    expect(liveCounters.reserve([window('probe', 1, 0, 0, 0)])).toEqual({ ok: true })
    expect(scriptedCounters.reserve([window('probe', 1, 0, 0, 0)])).toBeInstanceOf(Promise)
    const expected = await replay(scriptedCounters, scripted)
    expect(await replay(liveCounters, live)).toEqual(expected)
    // The sequence does go through refusals, with what the counter held and when room appears.
    expect(expected).toContainEqual({ ok: false, index: 0, used: 0.6, fitsAfter: 1_000 })
    expect(expected).toContainEqual({ ok: false, index: 0, used: 2, fitsAfter: 902_000 })
  })

  it('read counters the scripts wrote, and the scripts read theirs, on one store', async () => {
    const store = memoryStore()
    const live = countersIn(store)
    const scripted = countersIn(scriptedOnly(store))
    await scripted.reserve([window('budget', 1, 0.7, 1_000, 0)])
    expect(live.reserve([window('budget', 1, 0.4, 1_000, 0)])).toEqual({ ok: false, index: 0, used: 0.7, fitsAfter: 1_000 })
    expect(live.reserve([window('budget', 1, 0.2, 1_000, 0)])).toEqual({ ok: true })
    const refused = await scripted.reserve([window('budget', 1, 0.2, 1_000, 0)])
    expect(refused).toMatchObject({ ok: false, index: 0, fitsAfter: 1_000 })
    expect(refused.ok ? undefined : refused.used).toBeCloseTo(0.9, 12)
    await scripted.settle([{ key: 'budget', kind: 'w', slot: '1000', delta: -0.5, floor: 0, ttlMs: 60_000 }])
    expect(live.reserve([window('budget', 1, 0.6, 1_000, 0)])).toEqual({ ok: true })
    const document = JSON.parse((await store.get('budget'))!) as Record<string, number>
    expect(Object.keys(document)).toEqual(['1000'])
    expect(document['1000']).toBeCloseTo(1, 12)
  })
})
