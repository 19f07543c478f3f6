import type { Store } from '../spec/store.js'
import { MemoryStore } from '../stores/memory-store.js'
import type { CounterHold, PlannedCounter } from './counter-plan.js'
import { LiveCounters } from './live-counters.js'
import { reserveArguments, reserveScript, type CounterCheck, type ReserveOutcome } from './reserve-script.js'
import { settleArguments, settleScript, type CounterSettlement } from './settle-script.js'

/**
 * Where budgets and rate limits keep their counters: the two atomic steps they need, reserving
 * across several counters all or nothing, and settling. In the built-in memory store they run on
 * live objects, synchronously (one step of this process is atomic by itself, and a call that needs
 * no store round trip should not wait a tick for one); in any other store (Redis) they run as the
 * store's scripts, atomic across every process that shares it. Both keep the same counters, read
 * by the same rules: a memory store's live counter reads as the JSON document the scripts keep.
 */
export interface Counters {
  /** The store's kind, for warnings. */
  readonly kind: string
  /** A value at once in memory, a promise otherwise; throws or rejects when the store fails. */
  reserve(checks: readonly CounterCheck[]): ReserveOutcome | Promise<ReserveOutcome>
  settle(settlements: readonly CounterSettlement[]): void | Promise<unknown>
}

class ScriptedCounters implements Counters {
  readonly kind: string

  constructor(private readonly store: Store) {
    this.kind = store.kind
  }

  reserve(checks: readonly CounterCheck[]): Promise<ReserveOutcome> {
    const { keys, args } = reserveArguments(checks)
    return this.store.run(reserveScript, keys, args)
  }

  settle(settlements: readonly CounterSettlement[]): Promise<unknown> {
    const { keys, args } = settleArguments(settlements)
    return this.store.run(settleScript, keys, args)
  }
}

/** What settles a held counter: its concurrency lease freed, tokens or cost corrected to the actual figure; `undefined` for nothing to do. */
function settledDelta(counter: PlannedCounter, hold: CounterHold, actualTokens: number | undefined, costUsd: number | null | undefined): number | undefined {
  if (counter.role === 'concurrency') return 0
  if (counter.role === 'budget') return costUsd !== undefined && costUsd !== null && costUsd !== hold.usd ? costUsd - hold.usd : undefined
  if (counter.role === 'tpm') return actualTokens !== undefined && actualTokens !== hold.tokens ? actualTokens - hold.tokens : undefined
  return undefined
}

/**
 * Ends what an attempt holds in its counters in one step: leases freed, token counts set to
 * `actualTokens` and budget reservations to `costUsd` when known, in the slots the attempt was
 * reserved in. At once on a memory store (one counter after another, no settlement built); a
 * promise while a store's script runs; nothing when nothing is to settle. Throws or rejects when
 * the store fails.
 */
export function settleHeld(counters: Counters, hold: CounterHold, actualTokens: number | undefined, costUsd: number | null | undefined, nowMs: number): void | Promise<unknown> {
  const planned = hold.plan.counters
  const atMs = hold.atMs
  if (counters instanceof LiveCounters) {
    let storeNow: number | undefined
    for (let index = 0; index < planned.length; index += 1) {
      const counter = planned[index]!
      const delta = settledDelta(counter, hold, actualTokens, costUsd)
      if (delta === undefined) continue
      storeNow ??= counters.storeClock()
      if (counter.kind === 'c') counters.settleOne(counter.key, 'c', hold.lease!, 0, nowMs, 0, storeNow, counter)
      else {
        const slot = counter.window!.slotAt(atMs)
        counters.settleOne(counter.key, 'w', slot.name, delta, slot.countsFrom(atMs), slot.ttl(atMs), storeNow, counter)
      }
    }
    return
  }
  const settlements: CounterSettlement[] = []
  for (const counter of planned) {
    const delta = settledDelta(counter, hold, actualTokens, costUsd)
    if (delta === undefined) continue
    if (counter.kind === 'c') settlements.push({ key: counter.key, kind: 'c', slot: hold.lease!, delta: 0, floor: nowMs, ttlMs: 0 })
    else {
      const slot = counter.window!.slotAt(atMs)
      settlements.push({ key: counter.key, kind: 'w', slot: slot.name, delta, floor: slot.countsFrom(atMs), ttlMs: slot.ttl(atMs) })
    }
  }
  if (settlements.length > 0) return counters.settle(settlements)
}

export function countersIn(store: Store): Counters {
  return store instanceof MemoryStore ? new LiveCounters(store.inProcess, store.kind) : new ScriptedCounters(store)
}
