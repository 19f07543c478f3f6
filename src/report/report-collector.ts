import type { AttemptInfo, CallInfo, CallObserver, CallOutcome } from '../router/call-hooks.js'
import type { Attempt } from '../spec/response.js'
import type { ExperimentReport } from '../state/experiment-store.js'
import { LogHistogram } from './log-histogram.js'
import { isSpendRefusal } from './spend-refusal.js'
import type { ModelFigures, RouterReport, SpendRow } from './report-types.js'

/** Distinct names kept per breakdown; the rest are summed under `(other)`, so memory stays bounded. */
const maxRows = 200
const otherRow = '(other)'
const directRoute = '(direct)'
const intervalMs = 60_000
/** A day of one-minute intervals. */
const maxIntervals = 1_440

interface SpendTotals {
  costUsd: number
  count: number
  unpricedAttempts: number
}

interface ModelTotals {
  attempts: number
  errors: number
  cancelled: number
  latency: LogHistogram
  firstToken: LogHistogram
}

function rowOf<Value>(rows: Map<string, Value>, name: string, create: () => Value): Value {
  let row = rows.get(name)
  if (row === undefined) {
    const key = rows.size >= maxRows ? otherRow : name
    row = rows.get(key)
    if (row === undefined) {
      row = create()
      rows.set(key, row)
    }
  }
  return row
}

const newSpend = (): SpendTotals => ({ costUsd: 0, count: 0, unpricedAttempts: 0 })
const newModelTotals = (): ModelTotals => ({ attempts: 0, errors: 0, cancelled: 0, latency: new LogHistogram(), firstToken: new LogHistogram() })

/** Sums of many small floats drift in the last digits; 12 decimals is far below a cent. */
function roundUsd(value: number): number {
  return Math.round(value * 1e12) / 1e12
}

function spendRows(rows: Map<string, SpendTotals>): SpendRow[] {
  return [...rows]
    .map(([name, totals]) => ({ name, costUsd: roundUsd(totals.costUsd), count: totals.count, unpricedAttempts: totals.unpricedAttempts }))
    .sort((left, right) => right.costUsd - left.costUsd || right.count - left.count || left.name.localeCompare(right.name))
}

/** Whether an attempt before the answer failed (a loop, not `some` with a closure: this runs on every call). */
function fellBack(attempts: readonly Attempt[]): boolean {
  for (const attempt of attempts) if (attempt.outcome === 'error') return true
  return false
}

function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null
}

/**
 * Collects what `router.report()` shows, from the router's call observations: spend by model,
 * route, tag, call kind and minute; latency and time-to-first-token percentiles; error, fallback
 * and cache-hit rates. Fixed-size structures only, so a router that runs for months uses the same
 * memory as one that ran for a minute.
 */
export class ReportCollector implements CallObserver {
  private readonly since = new Date()
  private succeeded = 0
  private failed = 0
  private aborted = 0
  private fellBack = 0
  private cacheHits = 0
  private cacheableCalls = 0
  private sideCalls = 0
  private totalUsd = 0
  private unpricedAttempts = 0
  private readonly byModel = new Map<string, SpendTotals>()
  private readonly byRoute = new Map<string, SpendTotals>()
  private readonly byTag = new Map<string, SpendTotals>()
  private readonly byKind = new Map<string, SpendTotals>()
  private readonly intervals = new Map<number, { costUsd: number; calls: number }>()
  private readonly models = new Map<string, ModelTotals>()
  private readonly callLatency = new LogHistogram()
  private readonly callFirstToken = new LogHistogram()

  constructor(private readonly experiments: () => ExperimentReport[]) {}

  /** Side calls (judges, shadow runs) have no call start or end of their own: their first attempt counts them. */
  attemptStart(attempt: AttemptInfo, attemptId: number): void {
    const { call } = attempt
    if (call.kind === 'call' || attemptId !== 1) return
    this.sideCalls += 1
    rowOf(this.byKind, call.kind, newSpend).count += 1
  }

  attemptEnd(attempt: AttemptInfo, _attemptId: number, record: Attempt): void {
    const { call, candidate } = attempt
    // Refused by a budget (nothing spent: the provider was not called) or stopped by a cost cap: not the model's failure.
    const refused = record.outcome === 'error' && isSpendRefusal(record.error?.code)
    if (refused && !record.usage) return
    const model = rowOf(this.models, candidate.id, newModelTotals)
    model.attempts += 1
    if (record.outcome === 'error') {
      if (!refused) model.errors += 1
    } else if (record.outcome === 'aborted') model.cancelled += 1
    else {
      model.latency.record(record.latencyMs)
      if (record.timeToFirstTokenMs !== undefined) model.firstToken.record(record.timeToFirstTokenMs)
    }
    if (!record.cost) return
    const cost = record.cost.total
    const modelSpend = rowOf(this.byModel, candidate.id, newSpend)
    modelSpend.count += 1
    // Each row in turn, with no list of them built on every attempt.
    const routeSpend = rowOf(this.byRoute, call.routeName ?? directRoute, newSpend)
    const kindSpend = rowOf(this.byKind, call.kind, newSpend)
    if (cost === null) {
      this.unpricedAttempts += 1
      modelSpend.unpricedAttempts += 1
      routeSpend.unpricedAttempts += 1
      kindSpend.unpricedAttempts += 1
      for (const name in call.tags) rowOf(this.byTag, `${name}=${call.tags[name]}`, newSpend).unpricedAttempts += 1
      return
    }
    this.totalUsd += cost
    modelSpend.costUsd += cost
    routeSpend.costUsd += cost
    kindSpend.costUsd += cost
    for (const name in call.tags) rowOf(this.byTag, `${name}=${call.tags[name]}`, newSpend).costUsd += cost
    this.interval().costUsd += cost
  }

  callEnd(call: CallInfo, outcome: CallOutcome): void {
    if (call.kind !== 'call') return
    rowOf(this.byKind, call.kind, newSpend).count += 1
    rowOf(this.byRoute, call.routeName ?? directRoute, newSpend).count += 1
    for (const name in call.tags) rowOf(this.byTag, `${name}=${call.tags[name]}`, newSpend).count += 1
    this.interval().calls += 1
    if (call.operation !== 'embed') this.cacheableCalls += 1
    if (!outcome.ok) {
      if (call.signal.aborted) this.aborted += 1
      else this.failed += 1
      return
    }
    this.succeeded += 1
    const { route } = outcome
    if (route.cacheHit) this.cacheHits += 1
    if (fellBack(route.attempts)) this.fellBack += 1
    this.callLatency.record(route.latencyMs)
    if (route.timeToFirstTokenMs !== undefined) this.callFirstToken.record(route.timeToFirstTokenMs)
  }

  report(): RouterReport {
    const finished = this.succeeded + this.failed
    const byModel: ModelFigures[] = [...this.models]
      .map(([model, totals]) => ({
        model,
        attempts: totals.attempts,
        errors: totals.errors,
        cancelled: totals.cancelled,
        errorRate: totals.errors / totals.attempts,
        latencyMs: totals.latency.percentiles(),
        timeToFirstTokenMs: totals.firstToken.percentiles(),
      }))
      .sort((left, right) => right.attempts - left.attempts || left.model.localeCompare(right.model))
    return {
      since: this.since.toISOString(),
      generatedAt: new Date().toISOString(),
      calls: {
        total: finished + this.aborted,
        succeeded: this.succeeded,
        failed: this.failed,
        aborted: this.aborted,
        errorRate: ratio(this.failed, finished),
        fallbackRate: ratio(this.fellBack, this.succeeded),
        cacheHits: this.cacheHits,
        cacheHitRate: ratio(this.cacheHits, this.cacheableCalls),
        sideCalls: this.sideCalls,
      },
      spend: {
        source: 'instance',
        totalUsd: roundUsd(this.totalUsd),
        unpricedAttempts: this.unpricedAttempts,
        byModel: spendRows(this.byModel),
        byRoute: spendRows(this.byRoute),
        byTag: spendRows(this.byTag),
        byKind: spendRows(this.byKind),
        overTime: {
          intervalMs,
          points: [...this.intervals]
            .sort(([left], [right]) => left - right)
            .map(([start, totals]) => ({ start: new Date(start).toISOString(), costUsd: roundUsd(totals.costUsd), calls: totals.calls })),
        },
      },
      latency: { callMs: this.callLatency.percentiles(), timeToFirstTokenMs: this.callFirstToken.percentiles(), byModel },
      experiments: this.experiments(),
    }
  }

  private interval(): { costUsd: number; calls: number } {
    const start = Math.floor(Date.now() / intervalMs) * intervalMs
    let totals = this.intervals.get(start)
    if (!totals) {
      totals = { costUsd: 0, calls: 0 }
      this.intervals.set(start, totals)
      if (this.intervals.size > maxIntervals) this.intervals.delete(Math.min(...this.intervals.keys()))
    }
    return totals
  }
}
