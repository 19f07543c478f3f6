import type { Budget } from './budget-config.js'
import type { CounterKind } from './counter-document.js'
import type { Limit } from './limit-config.js'
import type { CounterCheck, CounterHandle } from './reserve-script.js'
import type { ScopeMatcher, SpendAttributes } from './spend-scope.js'
import type { SpendWindow } from './spend-window.js'

/** What a counter counts for an attempt: its requests, its tokens, a concurrency lease, or its cost (a budget). */
export type CounterRole = 'rpm' | 'tpm' | 'concurrency' | 'budget'

/** A lease outlives a crashed process by this much at most; a live call longer than this stops counting. */
const leaseMs = 15 * 60_000

/**
 * One counter an attempt is checked against, made with its plan: its key, what it counts, its
 * limit and whose it is (for a refusal's error).
 */
export class PlannedCounter implements CounterHandle {
  /** Where a memory store keeps this counter (see `CounterHandle`): the counter is its own handle. */
  entry: unknown = undefined

  constructor(
    readonly key: string,
    readonly kind: CounterKind,
    readonly role: CounterRole,
    readonly limit: number,
    /** A window counter's window; `undefined` for a lease counter. */
    readonly window: SpendWindow | undefined,
    /** The limit or budget it counts for (a budget when `role` is `budget`). */
    readonly owner: Limit | Budget,
    /** The scope's counter it counts (`user=alice`, `''` for the whole router). */
    readonly scope: string,
  ) {}
}

/**
 * The counters of every limit and budget that covers an attempt, made once and used by every
 * attempt that the same counters cover (most attempts of a router: the same provider, users and
 * tags, the same calendar period) until one of them changes.
 */
export class CounterPlan {
  /** Whether a concurrency counter is among them: an attempt takes a lease. */
  readonly leases: boolean

  constructor(
    readonly counters: readonly PlannedCounter[],
    /** Each source's scope counter for the attempts it covers (`undefined`: the source does not cover them). */
    readonly scopes: ReadonlyArray<string | undefined>,
    /** The attributes of the last attempt it was found to cover. */
    public attributes: SpendAttributes,
    /** The plan stands from this instant until `untilMs`: its keys name calendar periods. */
    readonly fromMs: number,
    readonly untilMs: number,
  ) {
    this.leases = counters.some((counter) => counter.kind === 'c')
  }

  /**
   * The checks of an attempt reserved at `nowMs`: its requests, estimated tokens, worst-case cost
   * and lease. Made afresh for each attempt: a few new objects cost less than writing into
   * long-lived ones.
   */
  checksAt(nowMs: number, tokens: number, usd: number, lease: string | number | undefined): CounterCheck[] {
    const planned = this.counters
    const checks: CounterCheck[] = []
    for (let index = 0; index < planned.length; index += 1) {
      const counter = planned[index]!
      if (counter.kind === 'c') {
        checks.push({ key: counter.key, kind: 'c', limit: counter.limit, amount: 1, floor: nowMs, slot: lease!, ttlOrExpiry: nowMs + leaseMs, handle: counter })
      } else {
        const slot = counter.window!.slotAt(nowMs)
        const amount = counter.role === 'budget' ? usd : counter.role === 'tpm' ? tokens : 1
        checks.push({ key: counter.key, kind: 'w', limit: counter.limit, amount, floor: slot.countsFrom(nowMs), slot: slot.name, ttlOrExpiry: slot.ttl(nowMs), handle: counter })
      }
    }
    return checks
  }
}

/**
 * What one admitted attempt holds in its plan's counters until it is settled: when it was
 * reserved (so its slots, floors and expiry), its lease, and what it reserved.
 */
export class CounterHold {
  constructor(
    readonly plan: CounterPlan,
    readonly atMs: number,
    /** Its concurrency lease's id, when the plan has a lease counter. */
    readonly lease: string | number | undefined,
    /** Estimated tokens reserved in tpm counters. */
    readonly tokens: number,
    /** Worst-case cost reserved in budget counters, USD. */
    readonly usd: number,
  ) {}
}

/** Where a plan's counters come from: one limit or budget. */
export interface CounterSource {
  /** Its scope's counter for an attempt's attributes; `undefined` when it does not cover them. */
  readonly counterOf: ScopeMatcher
  /** A budget's window: its counters' keys name the window's calendar period. */
  readonly window?: SpendWindow
  /** Appends its counters for scope counter `scope` at `nowMs`. */
  plan(scope: string, nowMs: number, into: PlannedCounter[]): void
}

/**
 * Whether two attempts have the same attributes (most attempts of a router: the same provider and
 * model, no user, no tags — the shared empty tags), so the same counters cover them without asking
 * every scope again.
 */
function sameAttributes(seen: SpendAttributes, attributes: SpendAttributes): boolean {
  return seen.model === attributes.model && seen.provider === attributes.provider && seen.key === attributes.key && seen.user === attributes.user && seen.route === attributes.route && seen.tags === attributes.tags
}

/** Makes the plan of a set of limits and budgets for an attempt, keeping the last one for the attempts after it. */
export class Planner {
  private last: CounterPlan | undefined

  constructor(private readonly sources: readonly CounterSource[]) {}

  /** The plan for these attributes at `nowMs`: the last one while the same counters apply; `undefined` when no counter covers them. */
  planFor(attributes: SpendAttributes, nowMs: number): CounterPlan | undefined {
    const last = this.last
    if (last !== undefined && nowMs >= last.fromMs && nowMs < last.untilMs && (sameAttributes(last.attributes, attributes) || this.covers(last, attributes))) {
      last.attributes = attributes
      return last.counters.length > 0 ? last : undefined
    }
    const sources = this.sources
    const counters: PlannedCounter[] = []
    const scopes: Array<string | undefined> = []
    let fromMs = -Infinity
    let untilMs = Infinity
    for (const source of sources) {
      const scope = source.counterOf(attributes)
      scopes.push(scope)
      if (source.window !== undefined && source.window.kind === 'calendar') {
        const period = source.window.slotAt(nowMs)
        fromMs = Math.max(fromMs, period.startMs)
        untilMs = Math.min(untilMs, period.endMs)
      }
      if (scope !== undefined) source.plan(scope, nowMs, counters)
    }
    const plan = (this.last = new CounterPlan(counters, scopes, attributes, fromMs, untilMs))
    return counters.length > 0 ? plan : undefined
  }

  private covers(plan: CounterPlan, attributes: SpendAttributes): boolean {
    const sources = this.sources
    const scopes = plan.scopes
    for (let index = 0; index < sources.length; index += 1) if (sources[index]!.counterOf(attributes) !== scopes[index]) return false
    return true
  }
}
