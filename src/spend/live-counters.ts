import type { Entry } from '../stores/expiring-lru.js'
import type { InProcessView } from '../stores/memory-store.js'
import { readCounterDocument, type CounterDocument, type CounterKind } from './counter-document.js'
import { fitsAfterOf, tolerance, type CounterCheck, type CounterHandle, type ReserveOutcome } from './reserve-script.js'
import type { CounterSettlement } from './settle-script.js'

/** One entry of a counter: a window slot (its start, parsed once) or a lease (its expiry). */
interface CounterEntry {
  /** A window slot's start in ms (`NaN` for a lease id). */
  readonly start: number
  value: number
}

/** One counter held as a live object in a memory store; everyone else reads it as its JSON document. */
class LiveCounter {
  /** Slot start or lease id → entry. This process's own leases are numbered (see `InProcessView.sequence`): no id string is built for them. */
  readonly entries = new Map<string | number, CounterEntry>()
  /** The sum of every entry's value, kept while it is exact: every value a whole number. */
  total = 0
  /** Every value is a whole number (requests, tokens), so `total` is exactly what a fresh sum gives. */
  integral = true
  /** Slots were added oldest first, so those that no longer count are the first ones. */
  ordered = true
  private latestStart = -Infinity
  /** A lease counter's latest expiry while it is known (leases only added since it was worked out); `undefined` otherwise. */
  private knownLatestExpiry: number | undefined = undefined
  /** The first entry's slot start while it is known (`Infinity`: no entry); `undefined` otherwise. */
  private knownOldestStart: number | undefined = undefined

  add(slot: string, value: number): void {
    const start = Number(slot)
    if (!(start >= this.latestStart)) this.ordered = false
    else this.latestStart = start
    if (this.entries.size === 0) this.knownOldestStart = start
    this.entries.set(slot, { start, value })
    this.counted(value)
    this.knownLatestExpiry = undefined
  }

  /** A lease: its id is not a slot start, so it is not parsed as one (leases are never read in order). */
  addLease(id: string | number, expiresAt: number): void {
    this.entries.set(id, { start: Number.NaN, value: expiresAt })
    this.counted(expiresAt)
    if (this.knownLatestExpiry !== undefined && expiresAt > this.knownLatestExpiry) this.knownLatestExpiry = expiresAt
  }

  /** Takes an entry out. */
  remove(slot: string | number, entry: CounterEntry): void {
    this.entries.delete(slot)
    this.counted(-entry.value)
    this.knownLatestExpiry = undefined
    this.knownOldestStart = undefined
  }

  /**
   * Whether every slot of an ordered window counter starts at `floor` or later, so none has to go
   * and its sum is its total: what most steps find, told without walking the entries.
   */
  allCountFrom(floor: number): boolean {
    if (!this.ordered) return false
    if (this.knownOldestStart === undefined) {
      const first = this.entries.values().next()
      this.knownOldestStart = first.done ? Infinity : first.value.start
    }
    return this.knownOldestStart >= floor
  }

  /** `value` was added to the entries (or taken away, negative). */
  counted(value: number): void {
    if (this.integral && Number.isInteger(value)) this.total += value
    else this.integral = false
  }

  /** This counter, emptied and reset, for reuse. */
  cleared(): this {
    // Clearing a map builds it a new table, even an empty one.
    if (this.entries.size > 0) this.entries.clear()
    this.total = 0
    this.integral = true
    this.ordered = true
    this.latestStart = -Infinity
    this.knownLatestExpiry = -Infinity
    this.knownOldestStart = Infinity
    return this
  }

  /** The latest expiry among a lease counter's entries (`-Infinity` when it has none). */
  latestExpiry(): number {
    if (this.knownLatestExpiry !== undefined) return this.knownLatestExpiry
    let latest = -Infinity
    for (const entry of this.entries.values()) if (entry.value > latest) latest = entry.value
    return (this.knownLatestExpiry = latest)
  }

  toJSON(): CounterDocument {
    const document: CounterDocument = {}
    for (const [slot, entry] of this.entries) document[String(slot)] = entry.value
    return document
  }
}

/** What a window counter holds from `floor` on: most counters (requests, tokens) without summing every slot. */
function windowUsed(counter: LiveCounter, floor: number): number {
  if (counter.integral && counter.ordered) {
    if (counter.allCountFrom(floor)) return counter.total
    let used = counter.total
    for (const entry of counter.entries.values()) {
      if (entry.start >= floor) break
      used -= entry.value
    }
    return used
  }
  let used = 0
  for (const entry of counter.entries.values()) if (entry.start >= floor) used += entry.value
  return used
}

/** Every reservation that fits answers this one outcome. */
const fitted: ReserveOutcome = Object.freeze({ ok: true })

/** Whether an entry still counts: window slots from `floor` on, leases that expire after `floor` (now). */
function counts(kind: CounterKind, entry: CounterEntry, floor: number): boolean {
  return kind === 'w' ? entry.start >= floor : entry.value > floor
}

/**
 * `reserveScript` and `settleScript` on live counters in a memory store, with the same rules,
 * rounding and expiry, without a JSON round trip: each step is synchronous, so it is atomic.
 */
export class LiveCounters {
  private readonly found: Array<LiveCounter | undefined> = []
  /** The store entries the counters in `found` were read from, written in place once every check fits. */
  private readonly foundEntries: Array<Entry<string | object> | undefined> = []

  constructor(
    private readonly view: InProcessView,
    readonly kind: string,
  ) {}

  /** The live counter held in a store entry; a document a script wrote (a string) is read as the scripts read it, and the entry holds the live counter from then on. */
  private counterIn(entry: Entry<string | object>): LiveCounter {
    const value = entry.value
    if (value instanceof LiveCounter) return value
    const counter = new LiveCounter()
    const document = readCounterDocument(typeof value === 'string' ? value : JSON.stringify(value))
    for (const slot in document) counter.add(slot, document[slot]!)
    entry.value = counter
    return counter
  }

  /**
   * The store's entry for `key`, live or expired, while the store holds it: the one the handle holds
   * (no lookup) unless the store has let it go, else looked up (and held from then on).
   */
  private storedAt(key: string, handle: CounterHandle | undefined, storeNow: number): Entry<string | object> | undefined {
    if (handle !== undefined) {
      const held = handle.entry as Entry<string | object> | undefined
      if (held !== undefined && !held.gone) return held
    }
    const entry = this.view.entry(key, storeNow)
    if (handle !== undefined) handle.entry = entry
    return entry
  }

  /** A number for this process's next concurrency lease, unique in the store (so among every router sharing it). */
  leaseId(): number {
    return this.view.sequence()
  }

  reserve(checks: readonly CounterCheck[]): ReserveOutcome {
    // The counters found while checking, written once every check fits: one array kept for every
    // reservation (a step runs to its end before the next begins). Its length is left as it is:
    // each step sets every index it reads, and shortening it would give up its backing store.
    const found = this.found
    const foundEntries = this.foundEntries
    // The store's clock, read once for the whole step (a clock read is dear next to a counter's work).
    const storeNow = this.view.clock()
    for (let index = 0; index < checks.length; index += 1) {
      const check = checks[index]!
      // The entry is found once: the write below changes it in place. An expired one reads as absent.
      const stored = this.storedAt(check.key, check.handle, storeNow)
      const counter = stored !== undefined && stored.expiresAt > storeNow ? this.counterIn(stored) : undefined
      let used = 0
      if (counter && check.kind === 'w') used = windowUsed(counter, check.floor)
      else if (counter) for (const entry of counter.entries.values()) if (entry.value > check.floor) used += 1
      const adding = check.kind === 'w' ? check.amount : 1
      if (used + adding > check.limit + tolerance) {
        // Refused: nothing is written, but the counters read so far were used.
        for (let read = 0; read <= index; read += 1) this.view.get(checks[read]!.key)
        const live: CounterDocument = {}
        if (counter) for (const [slot, entry] of counter.entries) if (counts(check.kind, entry, check.floor)) live[slot] = entry.value
        return { ok: false, index, used, fitsAfter: fitsAfterOf(live, check.kind, used, adding, check.limit) }
      }
      found[index] = counter
      foundEntries[index] = stored
    }
    for (let index = 0; index < checks.length; index += 1) {
      const check = checks[index]!
      const stored = foundEntries[index]
      // A counter that expired starts again empty, in the object its entry holds.
      const counter = found[index] ?? (stored !== undefined && stored.value instanceof LiveCounter ? stored.value.cleared() : new LiveCounter())
      // What no longer counts goes, as the script writes back only what does.
      if (check.kind === 'w' ? !counter.allCountFrom(check.floor) : counter.entries.size > 0) {
        for (const [slot, entry] of counter.entries) {
          if (counts(check.kind, entry, check.floor)) {
            // Window slots added oldest first: the rest all count.
            if (check.kind === 'w' && counter.ordered) break
            continue
          }
          counter.remove(slot, entry)
        }
      }
      let ttlMs
      if (check.kind === 'w') {
        const entry = counter.entries.get(check.slot)
        if (entry) {
          entry.value += check.amount
          counter.counted(check.amount)
        } else counter.add(check.slot as string, check.amount)
        ttlMs = Math.max(1, Math.ceil(check.ttlOrExpiry))
      } else {
        // A lease expires at a whole millisecond, as the script receives it.
        counter.addLease(check.slot, Math.ceil(check.ttlOrExpiry))
        // The key lives as long as its latest lease.
        ttlMs = Math.max(1, Math.ceil(counter.latestExpiry() - check.floor))
      }
      if (stored !== undefined) this.view.touch(check.key, stored, counter, ttlMs, storeNow)
      else {
        this.view.set(check.key, counter, ttlMs, storeNow)
        if (check.handle !== undefined) check.handle.entry = this.view.entry(check.key, storeNow)
      }
    }
    return fitted
  }

  settle(settlements: readonly CounterSettlement[]): void {
    const storeNow = this.view.clock()
    for (const settlement of settlements) this.settleOne(settlement.key, settlement.kind, settlement.slot, settlement.delta, settlement.floor, settlement.ttlMs, storeNow, undefined)
  }

  /** The store's clock, for `settleOne`: read once for a step that settles several counters. */
  storeClock(): number {
    return this.view.clock()
  }

  /** One settlement, given by its fields: budgets and limits settle a memory store's counters without building settlement objects. */
  settleOne(key: string, kind: CounterKind, slot: string | number, delta: number, floor: number, ttlMs: number, storeNow: number, handle: CounterHandle | undefined): void {
    const stored = this.storedAt(key, handle, storeNow)
    if (stored === undefined || stored.expiresAt <= storeNow) return
    const counter = this.counterIn(stored)
    if (kind === 'c' || !counter.allCountFrom(floor)) {
      for (const [name, entry] of counter.entries) {
        if (kind === 'w' ? name === slot || entry.start >= floor : entry.value > floor) continue
        counter.remove(name, entry)
      }
    }
    if (kind === 'w') {
      const entry = counter.entries.get(slot)
      if (entry) {
        const value = Math.max(0, entry.value + delta)
        counter.counted(value - entry.value)
        entry.value = value
      }
      // Its expiry renewed in place, as the script's write does; it was the most recently used when
      // reserved, moments ago, and settling does not move it again.
      stored.expiresAt = storeNow + Math.max(1, Math.ceil(ttlMs))
    } else {
      // A lease numbered in this process reads as its digits once a script has rewritten the counter.
      const id = typeof slot === 'number' && !counter.entries.has(slot) ? String(slot) : slot
      const lease = counter.entries.get(id)
      if (lease) counter.remove(id, lease)
      const latest = counter.latestExpiry()
      if (latest > floor) stored.expiresAt = storeNow + Math.ceil(latest - floor)
      else {
        // Its last lease is gone: the key expires now, as the script deletes it (every reader finds it
        // absent). The entry stays where it is until someone reads it: a concurrency counter empties
        // after most attempts, and the next one takes the entry and its counter again, emptied.
        stored.expiresAt = storeNow
      }
    }
  }
}
