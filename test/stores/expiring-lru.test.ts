import { afterEach, describe, expect, it, vi } from 'vitest'
import { ExpiringLru } from '../../src/stores/expiring-lru.js'

describe('ExpiringLru (the memory store underneath)', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('pushes out the least recently read or written key; has() does not count as a use', () => {
    const lru = new ExpiringLru(2)
    lru.set('a', '1')
    lru.set('b', '2')
    expect(lru.has('a')).toBe(true)
    lru.set('c', '3')
    expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual([undefined, '2', '3'])
    lru.get('b')
    lru.set('d', '4')
    expect([lru.get('b'), lru.get('c'), lru.get('d')]).toEqual(['2', undefined, '4'])
    expect(lru.size).toBe(2)
  })

  it('expires keys by their own ttl, and keepTtl keeps a live key’s expiry when its value changes', () => {
    vi.useFakeTimers({ toFake: ['performance'] })
    const lru = new ExpiringLru(10)
    lru.set('short', 'x', 100)
    lru.set('forever', 'y')
    vi.advanceTimersByTime(60)
    expect(lru.remainingTtl('short')).toBe(40)
    lru.set('short', 'x2', 500, true)
    expect(lru.remainingTtl('short')).toBe(40)
    expect(lru.remainingTtl('forever')).toBeUndefined()
    vi.advanceTimersByTime(40)
    expect(lru.get('short')).toBeUndefined()
    expect(lru.has('short')).toBe(false)
    expect(lru.get('forever')).toBe('y')
    // Once expired, keepTtl has nothing to keep: the new ttl applies.
    lru.set('short', 'x3', 500, true)
    expect(lru.remainingTtl('short')).toBe(500)
    // A plain set replaces the expiry.
    lru.set('short', 'x4')
    expect(lru.remainingTtl('short')).toBeUndefined()
  })

  it('a held entry is used in place: touch moves it only once it has left the most recent quarter of keys, and it is marked gone once the store lets it go', () => {
    const lru = new ExpiringLru(8)
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) lru.set(key, key)
    const held = lru.entryAt('h')!
    // 'h' was put last: used again, it stays where it is, with its new value and expiry.
    lru.touch('h', held, 'h2', Infinity)
    lru.set('i', 'i')
    expect(lru.get('a')).toBeUndefined()
    expect(lru.entryAt('h')?.value).toBe('h2')
    // 'b' was put eight keys ago (beyond a quarter of 8): touched, it is moved last, so 'c' goes next.
    const first = lru.entryAt('b')!
    lru.touch('b', first, 'b2', Infinity)
    lru.set('j', 'j')
    expect([lru.entryAt('b')?.value, lru.entryAt('c')?.value]).toEqual(['b2', undefined])
    expect(first.gone).toBe(false)
    lru.delete('b')
    expect(first.gone).toBe(true)
    const pushed = lru.entryAt('d')!
    lru.set('k', 'k')
    expect(pushed.gone).toBe(false)
    lru.set('l', 'l')
    expect(pushed.gone).toBe(true)
    expect(lru.entryAt('d')?.value).toBeUndefined()
  })

  it('an entry read after it expired is dropped and marked gone', () => {
    vi.useFakeTimers({ toFake: ['performance'] })
    const lru = new ExpiringLru(4)
    lru.set('short', 'x', 100)
    const held = lru.entryAt('short')!
    vi.advanceTimersByTime(100)
    expect(lru.entryAt('short')?.value).toBeUndefined()
    expect(held.gone).toBe(true)
  })
})
