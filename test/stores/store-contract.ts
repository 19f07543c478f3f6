import { expect, it } from 'vitest'
import type { Store, StoreScript } from '../../src/spec/store.js'

/** Takes up to `limit` tokens: one atomic read-modify-write over two keys, as budgets use it. */
export const takeTokensScript: StoreScript<{ taken: boolean; used: number }> = {
  name: 'test:take-tokens',
  lua: `local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local want = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
if used + want > limit then
  redis.call('INCR', KEYS[2])
  return {0, tostring(used)}
end
used = used + want
redis.call('SET', KEYS[1], tostring(used), 'PX', ARGV[3])
return {1, tostring(used)}`,
  local(view, keys, args) {
    const used = Number(view.get(keys[0]!) ?? '0')
    const want = Number(args[0])
    const limit = Number(args[1])
    if (used + want > limit) {
      view.set(keys[1]!, String(Number(view.get(keys[1]!) ?? '0') + 1))
      return { taken: false, used }
    }
    view.set(keys[0]!, String(used + want), Number(args[2]))
    return { taken: true, used: used + want }
  },
  parse(reply) {
    if (!Array.isArray(reply) || reply.length !== 2) throw new TypeError('bad reply')
    return { taken: Number(reply[0]) === 1, used: Number(reply[1]) }
  },
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The behaviour every `Store` must have, run against each implementation. */
export function storeContract(make: () => Store, unique: () => string): void {
  it('gets what it set, and undefined for an absent key', async () => {
    const store = make()
    const key = unique()
    expect(await store.get(key)).toBeUndefined()
    await store.set(key, '{"a":1}')
    expect(await store.get(key)).toBe('{"a":1}')
    await store.set(key, 'second')
    expect(await store.get(key)).toBe('second')
  })

  it('deletes', async () => {
    const store = make()
    const key = unique()
    await store.set(key, 'x')
    await store.delete(key)
    expect(await store.get(key)).toBeUndefined()
    await store.delete(key)
  })

  it('expires a key set with ttlMs, and keeps one set without', async () => {
    const store = make()
    const expiring = unique()
    const lasting = unique()
    await store.set(expiring, 'soon gone', { ttlMs: 60 })
    await store.set(lasting, 'stays')
    expect(await store.get(expiring)).toBe('soon gone')
    await sleep(150)
    expect(await store.get(expiring)).toBeUndefined()
    expect(await store.get(lasting)).toBe('stays')
  })

  it('setIfAbsent sets only the first time, and again once the key expired', async () => {
    const store = make()
    const key = unique()
    expect(await store.setIfAbsent(key, 'first', { ttlMs: 80 })).toBe(true)
    expect(await store.setIfAbsent(key, 'second', { ttlMs: 80 })).toBe(false)
    expect(await store.get(key)).toBe('first')
    await sleep(160)
    expect(await store.setIfAbsent(key, 'third')).toBe(true)
    expect(await store.get(key)).toBe('third')
  })

  it('increments atomically from 0, by fractions and negatives', async () => {
    const store = make()
    const key = unique()
    expect(await store.increment(key, 1)).toBe(1)
    expect(await store.increment(key, 0.25)).toBeCloseTo(1.25, 10)
    expect(await store.increment(key, -2)).toBeCloseTo(-0.75, 10)
    const parallel = await Promise.all(Array.from({ length: 20 }, () => store.increment(key, 1)))
    expect(Math.max(...parallel)).toBeCloseTo(19.25, 10)
    expect(new Set(parallel.map((value) => value.toFixed(6))).size).toBe(20)
  })

  it('gives an incremented key a ttl only when the increment creates it', async () => {
    const store = make()
    const key = unique()
    await store.increment(key, 5, { ttlMs: 100 })
    await sleep(50)
    // A later increment with a long ttl does not extend the first one's window.
    expect(await store.increment(key, 1, { ttlMs: 60_000 })).toBe(6)
    await sleep(120)
    expect(await store.get(key)).toBeUndefined()
    expect(await store.increment(key, 2)).toBe(2)
  })

  it('runs a script atomically over several keys', async () => {
    const store = make()
    const used = unique()
    const refused = unique()
    const results = await Promise.all(Array.from({ length: 8 }, () => store.run(takeTokensScript, [used, refused], [3, 10, 60_000])))
    expect(results.filter((result) => result.taken)).toHaveLength(3)
    expect(results.filter((result) => result.taken).map((result) => result.used).sort((a, b) => a - b)).toEqual([3, 6, 9])
    expect(await store.get(used)).toBe('9')
    expect(await store.get(refused)).toBe('5')
  })

  it('a script sets ttls that expire', async () => {
    const store = make()
    const used = unique()
    const refused = unique()
    await store.run(takeTokensScript, [used, refused], [1, 10, 60])
    expect(await store.get(used)).toBe('1')
    await sleep(150)
    expect(await store.get(used)).toBeUndefined()
  })
}
