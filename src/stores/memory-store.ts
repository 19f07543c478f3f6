import { ConfigurationError } from '../errors/errors.js'
import type { Store, StoreScript, StoreView, StoreWriteOptions } from '../spec/store.js'
import { ExpiringLru, type Entry } from './expiring-lru.js'

export interface MemoryStoreOptions {
  /**
   * Most keys kept; the least recently used go first beyond it, so a server that sees millions of
   * distinct model ids or cache keys stays bounded. Default 10 000.
   */
  maxEntries?: number
}

/**
 * Synchronous access to a memory store for the router's own in-process features: values as they
 * are held, a string or an object a feature keeps live (a spend counter), so a step that runs on
 * every call needs no JSON round trip and no promise. Not part of the store contract: every other
 * reader (`get`, `run` scripts) sees a live object as its JSON, and a feature using this view must
 * work with `run` scripts on any other store.
 */
export interface InProcessView {
  get(key: string): string | object | undefined
  set(key: string, value: string | object, ttlMs?: number, now?: number): void
  /**
   * The key's live entry itself, without making the key more recently used: its value and expiry
   * (store clock) may be changed in place; `touch` makes it the most recently used, as `set` would.
   * `now` is the store's clock (`clock()`), read once for a step of several reads and writes.
   */
  entry(key: string, now: number): Entry<string | object> | undefined
  /** As `set` for a key whose live `entry` is held (no lookup, no eviction): value, expiry `ttlMs` from `now`, most recently used. */
  touch(key: string, entry: Entry<string | object>, value: string | object, ttlMs: number, now: number): void
  /** A number never handed out before by this store: an id unique among everyone sharing it (a concurrency lease's). */
  sequence(): number
  delete(key: string): void
  /** The store's clock (monotonic ms) that expiry is reckoned by. */
  clock(): number
}

/** A live object is read by everyone else as its JSON (its `toJSON()` decides what that is). */
function asText(value: string | object | undefined): string | undefined {
  return value === undefined || typeof value === 'string' ? value : JSON.stringify(value)
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
  private readonly entries: ExpiringLru<string | object>
  private sequenceNumber = 0
  private readonly view: StoreView
  /** @internal See {@link InProcessView}. */
  readonly inProcess: InProcessView

  constructor(options: MemoryStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? 10_000
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new ConfigurationError(`memoryStore: maxEntries must be a positive integer, got ${String(options.maxEntries)}.`)
    }
    this.entries = new ExpiringLru(maxEntries)
    this.view = {
      get: (key) => asText(this.entries.get(key)),
      set: (key, value, ttlMs) => this.write(key, value, ttlMs),
      delete: (key) => {
        this.entries.delete(key)
      },
      ttl: (key) => this.entries.remainingTtl(key),
    }
    this.inProcess = {
      get: (key) => this.entries.get(key),
      set: (key, value, ttlMs, now) => this.write(key, value, ttlMs, now),
      entry: (key, now) => this.entries.entryAt(key, now),
      touch: (key, entry, value, ttlMs, now) => this.entries.touch(key, entry, value, now + ttlMs),
      sequence: () => (this.sequenceNumber += 1),
      delete: (key) => this.entries.delete(key),
      clock: () => performance.now(),
    }
  }

  /** Keys held now (expired ones may still count until they are touched). */
  get size(): number {
    return this.entries.size
  }

  async get(key: string): Promise<string | undefined> {
    return asText(this.entries.get(key))
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
    const current = asText(this.entries.get(key))
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

  private write(key: string, value: string | object, ttlMs: number | undefined, now?: number): void {
    const ttl = positiveTtl(ttlMs)
    this.entries.set(key, value, ttl, false, now)
  }
}

/** An in-process store: the router's default. See {@link MemoryStoreOptions}. */
export function memoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  return new MemoryStore(options)
}
