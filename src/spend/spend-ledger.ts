import { ConfigurationError, InvalidRequestError } from '../errors/errors.js'
import type { Store } from '../spec/store.js'
import { emptyLedgerDocument, ledgerAddScript, readLedgerDocument, type LedgerDocument } from './ledger-script.js'
import type { SpendAttributes } from './spend-scope.js'
import { parseWindow, type WindowSpec } from './spend-window.js'
import type { SpendWarning } from './spend-warning.js'

/** A dimension to group spend by. */
export type SpendDimension = 'user' | 'route' | 'provider' | 'model' | { tag: string }

export interface SpendQuery {
  /** `'day'` / `'month'` (the current UTC period) or a rolling duration (`'1h'`, `'7d'`). Default `'day'`. */
  window?: WindowSpec
  /** Group by this; omitted: totals only. */
  by?: SpendDimension
}

export interface SpendGroup {
  /** The user, route, provider, `provider/model` or tag value; `(none)` for attempts without it. */
  value: string
  costUsd: number
  attempts: number
}

export interface SpendReport {
  window: string
  from: Date
  to: Date
  /** Exact cost of every attempt in the window (failed attempts that cost something included). */
  totalUsd: number
  attempts: number
  /** Attempts on models with no known price: counted, not in `totalUsd`. */
  unpricedAttempts: number
  /** `user`, `route`, `provider`, `model` or `tag:<name>`; absent without `by`. */
  by?: string
  /** Largest spend first. */
  groups: SpendGroup[]
}

const hourMs = 3_600_000
const dayMs = 86_400_000
const hourRetentionMs = 8 * dayMs
const dayRetentionMs = 400 * dayMs
/** Rolling windows up to this long are read from hourly periods, longer ones from daily periods. */
const longestHourlyWindowMs = 7 * dayMs

function dimensionName(by: SpendDimension): string {
  if (typeof by === 'string') {
    if (!['user', 'route', 'provider', 'model'].includes(by)) throw new InvalidRequestError(`router.spend: by must be 'user', 'route', 'provider', 'model' or { tag: 'name' } (got ${JSON.stringify(by)}).`)
    return by
  }
  if (!by || typeof by !== 'object' || typeof by.tag !== 'string' || by.tag === '') {
    throw new InvalidRequestError("router.spend: by must be 'user', 'route', 'provider', 'model' or { tag: 'name' }.")
  }
  return `tag:${by.tag}`
}

interface PendingPeriod {
  readonly hour: number
  readonly day: number
  costUsd: number
  attempts: number
  unpriced: number
  /** dimension → value → [costUsd, attempts]. */
  readonly groups: Map<string, Map<string, [number, number]>>
}

/** Adds one attempt's cost to its group in a pending period: the group's `[costUsd, attempts]`. */
function addTo(period: PendingPeriod, dimension: string, value: string, costUsd: number): [number, number] {
  let values = period.groups.get(dimension)
  if (!values) period.groups.set(dimension, (values = new Map()))
  let entry = values.get(value)
  if (entry) {
    entry[0] += costUsd
    entry[1] += 1
  } else values.set(value, (entry = [costUsd, 1]))
  return entry
}

/** The pending period and the provider and model groups the last attempt was added to. */
interface LastGroups {
  readonly period: PendingPeriod
  readonly provider: string
  readonly model: string
  readonly providerGroup: [number, number]
  readonly modelGroup: [number, number]
}

/** Pending attempts are written at least this often, and at once beyond `flushAfterAttempts`. */
const flushIntervalMs = 1_000
const flushAfterAttempts = 500

/**
 * Every attempt's exact cost, added up per hour and per UTC day in the router's store, with its
 * user, route, provider, model and tags: `router.spend({ window, by })` reads it back. Rolling
 * windows are read at hour (up to 7 days) or day resolution, whole periods included. Attempts are
 * added up in memory and written in one batch per second (and before every report), so the
 * ledger costs a call no store round trip; other instances see them within that second.
 */
export class SpendLedger {
  private readonly pending = new Map<number, PendingPeriod>()
  /** Most attempts go to the period, provider and model the attempt before went to: their groups are kept at hand. */
  private last: LastGroups | undefined = undefined
  private pendingAttempts = 0
  private timer: ReturnType<typeof setTimeout> | undefined
  private flushing: Promise<void> = Promise.resolve()

  constructor(
    private readonly store: Store,
    private readonly warn: SpendWarning,
    private readonly now: () => number = Date.now,
  ) {}

  /** Adds one attempt; `costUsd` `null` when the model has no known price. */
  record(attributes: SpendAttributes, costUsd: number | null): void {
    const nowMs = this.now()
    const hour = Math.floor(nowMs / hourMs) * hourMs
    const last = this.last
    let period = last !== undefined && last.period.hour === hour ? last.period : this.pending.get(hour)
    if (!period) this.pending.set(hour, (period = { hour, day: Math.floor(nowMs / dayMs) * dayMs, costUsd: 0, attempts: 0, unpriced: 0, groups: new Map() }))
    const cost = costUsd ?? 0
    period.attempts += 1
    if (costUsd === null) period.unpriced += 1
    else period.costUsd += costUsd
    if (attributes.user !== undefined) addTo(period, 'user', attributes.user, cost)
    if (attributes.route !== null) addTo(period, 'route', attributes.route, cost)
    if (last !== undefined && last.period === period && last.provider === attributes.provider && last.model === attributes.model) {
      last.providerGroup[0] += cost
      last.providerGroup[1] += 1
      last.modelGroup[0] += cost
      last.modelGroup[1] += 1
    } else {
      const providerGroup = addTo(period, 'provider', attributes.provider, cost)
      this.last = { period, provider: attributes.provider, model: attributes.model, providerGroup, modelGroup: addTo(period, 'model', attributes.model, cost) }
    }
    for (const tag in attributes.tags) addTo(period, `tag:${tag}`, attributes.tags[tag]!, cost)
    this.pendingAttempts += 1
    if (this.pendingAttempts >= flushAfterAttempts) void this.flush()
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), flushIntervalMs)
      // A pending write must not keep a process alive; `router.close()` flushes it.
      this.timer.unref?.()
    }
  }

  /** Writes the attempts added up so far to the store. Never rejects: a failing store is a warning. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    const periods = [...this.pending.values()]
    this.pending.clear()
    this.last = undefined
    this.pendingAttempts = 0
    if (periods.length === 0) return this.flushing
    this.flushing = this.flushing.then(() => this.write(periods))
    return this.flushing
  }

  private async write(periods: PendingPeriod[]): Promise<void> {
    for (const period of periods) {
      const args: (string | number)[] = [2, hourRetentionMs, dayRetentionMs, period.costUsd, period.attempts, period.unpriced]
      for (const [dimension, values] of period.groups) {
        for (const [value, [costUsd, attempts]] of values) args.push(dimension, value, costUsd, attempts)
      }
      try {
        await this.store.run(ledgerAddScript, [`spend:ledger:hour:${period.hour}`, `spend:ledger:day:${period.day}`], args)
      } catch (error) {
        this.warn('ledger_store_failed', `${period.attempts} attempts' cost could not be added to the spend ledger (the ${this.store.kind} store failed: ${error instanceof Error ? error.message : String(error)}).`)
      }
    }
  }

  /**
   * The hourly periods of the last `hours` hours as stored, oldest first, after writing this
   * instance's pending attempts: with a shared store, every instance's spend.
   */
  async recentHours(hours: number): Promise<Array<{ hour: number; document: LedgerDocument }>> {
    await this.flush()
    const last = Math.floor(this.now() / hourMs) * hourMs
    const periods = Array.from({ length: hours }, (_, index) => last - (hours - 1 - index) * hourMs)
    return Promise.all(periods.map(async (hour) => ({ hour, document: await this.store.get(`spend:ledger:hour:${hour}`).then(readLedgerDocument, () => emptyLedgerDocument()) })))
  }

  async report(query: SpendQuery = {}): Promise<SpendReport> {
    if (query === null || typeof query !== 'object') throw new InvalidRequestError('router.spend takes { window?, by? }.')
    const spec = query.window ?? 'day'
    let window
    try {
      window = parseWindow(spec, 'router.spend')
    } catch (error) {
      throw new InvalidRequestError((error as ConfigurationError).message)
    }
    const dimension = query.by === undefined ? undefined : dimensionName(query.by)
    await this.flush()
    const nowMs = this.now()
    const from = window.startAt(nowMs)
    const keys: string[] = []
    if (window.kind === 'calendar' || window.durationMs > longestHourlyWindowMs) {
      for (let day = Math.floor(from / dayMs) * dayMs; day <= nowMs; day += dayMs) keys.push(`spend:ledger:day:${day}`)
    } else {
      for (let hour = Math.floor(from / hourMs) * hourMs; hour <= nowMs; hour += hourMs) keys.push(`spend:ledger:hour:${hour}`)
    }
    const documents = await Promise.all(keys.map((key) => this.store.get(key).then(readLedgerDocument, () => emptyLedgerDocument())))
    return summarise(documents, spec, new Date(from), new Date(nowMs), dimension)
  }
}

function summarise(documents: LedgerDocument[], window: string, from: Date, to: Date, dimension: string | undefined): SpendReport {
  let totalUsd = 0
  let attempts = 0
  let unpricedAttempts = 0
  const groups = new Map<string, SpendGroup>()
  for (const document of documents) {
    totalUsd += document.costUsd
    attempts += document.attempts
    unpricedAttempts += document.unpriced
    if (dimension === undefined) continue
    for (const [value, [costUsd, count]] of Object.entries(document.groups[dimension] ?? {})) {
      const group = groups.get(value) ?? { value, costUsd: 0, attempts: 0 }
      group.costUsd += costUsd
      group.attempts += count
      groups.set(value, group)
    }
  }
  const round = (usd: number) => Math.round(usd * 1e12) / 1e12
  const list = [...groups.values()].map((group) => ({ ...group, costUsd: round(group.costUsd) }))
  if (dimension !== undefined) {
    const groupedAttempts = list.reduce((sum, group) => sum + group.attempts, 0)
    if (groupedAttempts < attempts) {
      const groupedCost = list.reduce((sum, group) => sum + group.costUsd, 0)
      list.push({ value: '(none)', costUsd: round(Math.max(0, totalUsd - groupedCost)), attempts: attempts - groupedAttempts })
    }
  }
  list.sort((a, b) => b.costUsd - a.costUsd || b.attempts - a.attempts)
  return {
    window,
    from,
    to,
    totalUsd: round(totalUsd),
    attempts,
    unpricedAttempts,
    ...(dimension === undefined ? {} : { by: dimension }),
    groups: list,
  }
}
