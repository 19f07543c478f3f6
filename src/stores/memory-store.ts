import { ConfigurationError } from '../errors/errors.js'
import type { Store, StoreScript, StoreView, StoreWriteOptions } from '../spec/store.js'
import { ExpiringLru } from './expiring-lru.js'

export interface MemoryStoreOptions {
  /**
   * Most keys kept; the least recently used go first beyond it, so a server that sees millions of
   * distinct model ids or cache keys stays bounded. Default 10 000.
   */
  maxEntries?: number
}

function positiveTtl(ttlMs: number | undefined): number | undefined {
  return ttlMs !== undefined && Number.isFinite(ttlMs) && ttlMs > 0 ? Math.ceil(ttlMs) : undefined
}

/**
 * The default store: one process's memory, bounded by an LRU with per-key expiry. Every operation
 * is synchronous underneath, so `run` scripts are atomic by construction.
 */
export class MemoryStore implements Store {
  readonly specificationVersion = 'v1' as const
  readonly kind = 'memory'
  private readonly entries: ExpiringLru
  private readonly view: StoreView

  constructor(options: MemoryStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? 10_000
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new ConfigurationError(`memoryStore: maxEntries must be a positive integer, got ${String(options.maxEntries)}.`)
    }
    this.entries = new ExpiringLru(maxEntries)
    this.view = {
      get: (key) => this.entries.get(key),
      set: (key, value, ttlMs) => this.write(key, value, ttlMs),
      delete: (key) => {
        this.entries.delete(key)
      },
      ttl: (key) => this.entries.remainingTtl(key),
    }
  }

  /** Keys held now (expired ones may still count until they are touched). */
  get size(): number {
    return this.entries.size
  }

  async get(key: string): Promise<string | undefined> {
    return this.entries.get(key)
  }

  async set(key: string, value: string, options?: StoreWriteOptions): Promise<void> {
    this.write(key, value, options?.ttlMs)
  }

  async setIfAbsent(key: string, value: string, options?: StoreWriteOptions): Promise<boolean> {
    if (this.entries.has(key)) return false
    this.write(key, value, options?.ttlMs)
    return true
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key)
  }

  async increment(key: string, by: number, options?: StoreWriteOptions): Promise<number> {
    const current = this.entries.get(key)
    if (current === undefined) {
      this.write(key, String(by), options?.ttlMs)
      return by
    }
    const parsed = Number(current)
    if (!Number.isFinite(parsed)) throw new TypeError(`memoryStore: the value at "${key}" is not a number.`)
    const next = parsed + by
    // Keep the key's remaining lifetime, as Redis' INCRBYFLOAT does.
    this.entries.set(key, String(next), undefined, true)
    return next
  }

  async run<Result>(script: StoreScript<Result>, keys: readonly string[], args: readonly (string | number)[]): Promise<Result> {
    return script.local(this.view, keys, args)
  }

  private write(key: string, value: string, ttlMs: number | undefined): void {
    const ttl = positiveTtl(ttlMs)
    this.entries.set(key, value, ttl)
  }
}

/** An in-process store: the router's default. See {@link MemoryStoreOptions}. */
export function memoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  return new MemoryStore(options)
}
