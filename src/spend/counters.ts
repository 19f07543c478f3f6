import type { Store } from '../spec/store.js'
import { MemoryStore } from '../stores/memory-store.js'
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

/**
 * Reserves `checks` and goes on with `reserved` — in the same step when the counters answer at once,
 * after the store otherwise; a store that fails (throws or rejects) goes to `failed` instead.
 */
export function reserveThen<Result>(
  counters: Counters,
  checks: readonly CounterCheck[],
  reserved: (outcome: ReserveOutcome) => Result,
  failed: (error: unknown) => Result,
): Result | Promise<Result> {
  let outcome: ReserveOutcome | Promise<ReserveOutcome>
  try {
    outcome = counters.reserve(checks)
  } catch (error) {
    return failed(error)
  }
  return outcome instanceof Promise ? outcome.then(reserved, failed) : reserved(outcome)
}

export function countersIn(store: Store): Counters {
  return store instanceof MemoryStore ? new LiveCounters(store.inProcess, store.kind) : new ScriptedCounters(store)
}
