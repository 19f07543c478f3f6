import { describe, expect, it } from 'vitest'
import { ConfigurationError } from '../../src/errors/errors.js'
import { memoryStore } from '../../src/stores/memory-store.js'
import { storeContract } from './store-contract.js'

let counter = 0
const unique = () => `key-${++counter}`

describe('memoryStore', () => {
  storeContract(() => memoryStore(), unique)

  it('is bounded: beyond maxEntries the least recently used key goes', async () => {
    const store = memoryStore({ maxEntries: 3 })
    await store.set('a', '1')
    await store.set('b', '2')
    await store.set('c', '3')
    expect(await store.get('a')).toBe('1') // a is now the most recently used
    await store.set('d', '4')
    expect(store.size).toBe(3)
    expect(await store.get('b')).toBeUndefined()
    expect(await store.get('a')).toBe('1')
    expect(await store.get('d')).toBe('4')
  })

  it('keeps separate stores separate (no global state)', async () => {
    const first = memoryStore()
    const second = memoryStore()
    await first.set('shared-name', 'first')
    expect(await second.get('shared-name')).toBeUndefined()
  })

  it('rejects a bad maxEntries with a configuration error', () => {
    expect(() => memoryStore({ maxEntries: 0 })).toThrow(ConfigurationError)
    expect(() => memoryStore({ maxEntries: 1.5 })).toThrow(/maxEntries must be a positive integer/)
  })

  it('refuses to increment a value that is not a number', async () => {
    const store = memoryStore()
    await store.set('text', 'hello')
    await expect(store.increment('text', 1)).rejects.toThrow(TypeError)
  })
})
