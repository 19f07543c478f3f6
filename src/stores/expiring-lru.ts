interface Entry<Value> {
  value: Value
  /** `performance.now()` at which the entry expires; `Infinity` for none. */
  expiresAt: number
}

/**
 * A bounded map (of strings, by default) with per-key expiry: beyond `maxEntries` the least recently used key
 * goes, and an expired key reads as absent (and is dropped when touched). A `Map` keeps insertion
 * order, so re-inserting a key on every read keeps its oldest entry first.
 *
 * Written here rather than imported: the memory store is created with every router, and loading a
 * general-purpose cache package took a third of the 10 ms import budget.
 */
export class ExpiringLru<Value = string> {
  private readonly entries = new Map<string, Entry<Value>>()

  constructor(private readonly maxEntries: number) {}

  /** Keys held now (expired ones count until they are touched or pushed out). */
  get size(): number {
    return this.entries.size
  }

  /** The value, making the key the most recently used. */
  get(key: string): Value | undefined {
    const entry = this.live(key)
    if (!entry) return undefined
    this.entries.delete(key)
    this.entries.set(key, entry)
    return entry.value
  }

  /**
   * The value without making the key more recently used (for a read that a write follows at once).
   * `now` (`performance.now()`, by default read here) lets a step of several reads and writes read the clock once.
   */
  peek(key: string, now?: number): Value | undefined {
    return this.live(key, now)?.value
  }

  /** Whether a live value is held, without making it more recently used. */
  has(key: string): boolean {
    return this.live(key) !== undefined
  }

  /**
   * Sets the value, expiring after `ttlMs` (never without one). With `keepTtl`, a live key keeps
   * the expiry it had, as Redis' INCRBYFLOAT does. `now`: as for `peek`.
   */
  set(key: string, value: Value, ttlMs?: number, keepTtl = false, now?: number): void {
    const previous = keepTtl ? this.live(key, now) : undefined
    const expiresAt = previous ? previous.expiresAt : ttlMs !== undefined ? (now ?? performance.now()) + ttlMs : Infinity
    const entry = this.entries.get(key)
    if (entry) {
      // The entry is reused (a counter written on every call allocates nothing here), moved last.
      this.entries.delete(key)
      entry.value = value
      entry.expiresAt = expiresAt
      this.entries.set(key, entry)
    } else this.entries.set(key, { value, expiresAt })
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string
      this.entries.delete(oldest)
    }
  }

  delete(key: string): void {
    this.entries.delete(key)
  }

  /** Milliseconds the key has left; `undefined` when it is absent or never expires. */
  remainingTtl(key: string): number | undefined {
    const entry = this.live(key)
    if (!entry || entry.expiresAt === Infinity) return undefined
    return entry.expiresAt - performance.now()
  }

  private live(key: string, now?: number): Entry<Value> | undefined {
    const entry = this.entries.get(key)
    if (!entry) return undefined
    if (entry.expiresAt <= (now ?? performance.now())) {
      this.entries.delete(key)
      return undefined
    }
    return entry
  }
}
