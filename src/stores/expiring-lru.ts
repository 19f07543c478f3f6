/** A key's value and expiry, as held: a caller that holds it may change them in place (`touch`). */
export interface Entry<Value> {
  value: Value
  /** `performance.now()` at which the entry expires; `Infinity` for none. */
  expiresAt: number
  /** The store's count of inserts and moves when this entry was last inserted or moved last. */
  movedAt: number
  /** Taken out of the store (deleted, expired and dropped, pushed out): a holder must look its key up again. */
  gone: boolean
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
  /** Inserts and moves so far: an entry's `movedAt` tells how many keys were put after it since. */
  private moves = 0
  /** A held entry put last fewer than this many moves ago is among the most recent quarter of keys (see `touch`). */
  private readonly recentMoves: number

  constructor(private readonly maxEntries: number) {
    this.recentMoves = Math.floor(maxEntries / 4)
  }

  /** Keys held now (expired ones count until they are touched or pushed out). */
  get size(): number {
    return this.entries.size
  }

  /** The value, making the key the most recently used. */
  get(key: string): Value | undefined {
    const entry = this.live(key)
    if (!entry) return undefined
    this.entries.delete(key)
    entry.movedAt = this.moves += 1
    this.entries.set(key, entry)
    return entry.value
  }

  /**
   * The live entry itself, without making the key more recently used: its value and expiry may be
   * changed in place, and `touch` makes it the most recently used. `now` (`performance.now()`, by
   * default read here) lets a step of several reads and writes read the clock once.
   */
  entryAt(key: string, now?: number): Entry<Value> | undefined {
    return this.live(key, now)
  }

  /**
   * Uses an entry `entryAt` gave, still held at `key` (not `gone`), with a new value and expiry:
   * `set` without looking the key up again, and no eviction, as no key is added. It is made the
   * most recently used unless it is among the most recent quarter of keys already (fewer than
   * `maxEntries / 4` keys put after it): such a key cannot be the next one pushed out, and is moved
   * once it is no longer that recent, so a key used on every call (a spend counter) is moved now
   * and then rather than on every use.
   */
  touch(key: string, entry: Entry<Value>, value: Value, expiresAt: number): void {
    entry.value = value
    entry.expiresAt = expiresAt
    if (this.moves - entry.movedAt < this.recentMoves) return
    this.entries.delete(key)
    entry.movedAt = this.moves += 1
    this.entries.set(key, entry)
  }

  /** Whether a live value is held, without making it more recently used. */
  has(key: string): boolean {
    return this.live(key) !== undefined
  }

  /**
   * Sets the value, expiring after `ttlMs` (never without one). With `keepTtl`, a live key keeps
   * the expiry it had, as Redis' INCRBYFLOAT does. `now`: as for `entryAt`.
   */
  set(key: string, value: Value, ttlMs?: number, keepTtl = false, now?: number): void {
    const previous = keepTtl ? this.live(key, now) : undefined
    const expiresAt = previous ? previous.expiresAt : ttlMs !== undefined ? (now ?? performance.now()) + ttlMs : Infinity
    const entry = this.entries.get(key)
    const movedAt = (this.moves += 1)
    if (entry) {
      // The entry is reused (a counter written on every call allocates nothing here), moved last.
      this.entries.delete(key)
      entry.value = value
      entry.expiresAt = expiresAt
      entry.movedAt = movedAt
      this.entries.set(key, entry)
    } else this.entries.set(key, { value, expiresAt, movedAt, gone: false })
    if (this.entries.size > this.maxEntries) {
      const [oldest, oldestEntry] = this.entries.entries().next().value as [string, Entry<Value>]
      oldestEntry.gone = true
      this.entries.delete(oldest)
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key)
    if (!entry) return
    entry.gone = true
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
      entry.gone = true
      this.entries.delete(key)
      return undefined
    }
    return entry
  }
}
