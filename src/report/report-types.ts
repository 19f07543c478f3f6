import type { ExperimentReport } from '../state/experiment-store.js'
import type { Percentiles } from './log-histogram.js'

export type { Percentiles }

/** Spend under one name (a model, a route, a tag). */
export interface SpendRow {
  name: string
  /** USD at list prices; attempts without a known price are counted in `unpricedAttempts` instead. */
  costUsd: number
  /** Attempts (for models) or calls (for routes, tags and call kinds) that spent it. */
  count: number
  /** Attempts that used tokens but have no known price, so their cost is missing from `costUsd`. */
  unpricedAttempts: number
}

export interface SpendPoint {
  /** Start of the interval, ISO 8601. */
  start: string
  costUsd: number
  calls: number
}

export interface ModelFigures {
  /** `provider/model`. */
  model: string
  attempts: number
  errors: number
  /** Attempts the strategy cancelled (race losers) or the caller aborted. */
  cancelled: number
  /** errors / attempts. */
  errorRate: number
  /** Latency of its successful attempts, ms. */
  latencyMs: Percentiles | null
  /** Time to first token of its streamed attempts, ms. */
  timeToFirstTokenMs: Percentiles | null
}

/** What `router.report()` returns: the figures this router instance has seen since it was created. */
export interface RouterReport {
  /** ISO 8601 times: when the router started collecting and when this report was made. */
  since: string
  generatedAt: string
  calls: {
    /** Calls made by the application (judge and A/B shadow runs are counted in `sideCalls`). */
    total: number
    succeeded: number
    failed: number
    /** Calls the caller aborted; neither succeeded nor failed. */
    aborted: number
    /** failed / (succeeded + failed); `null` before the first finished call. */
    errorRate: number | null
    /** Answered calls whose answer came after a failed attempt (a retry or a fallback step), / succeeded. */
    fallbackRate: number | null
    cacheHits: number
    /** cacheHits / chat and stream calls. */
    cacheHitRate: number | null
    /** Judge calls and A/B shadow runs, made by strategies on the application's behalf. */
    sideCalls: number
  }
  spend: {
    /**
     * Where the spend figures come from: `instance`, this router since it was created; or
     * `shared-ledger`, the spend ledger every instance on the shared store writes, for the last 24
     * hours (`router.sharedReport()` and the report page, with a shared store). From the ledger,
     * route and tag counts are attempts, `byKind` is still this instance's, and `overTime` is hourly.
     */
    source: 'instance' | 'shared-ledger'
    totalUsd: number
    unpricedAttempts: number
    byModel: SpendRow[]
    byRoute: SpendRow[]
    /** One row per `name=value` tag. */
    byTag: SpendRow[]
    /** `call`, `judge`, `shadow`. */
    byKind: SpendRow[]
    /** Spend per interval of `intervalMs`, oldest first, only intervals with activity. */
    overTime: { intervalMs: number; points: SpendPoint[] }
  }
  latency: {
    /** Whole-call latency of answered calls, every attempt and wait included, ms. */
    callMs: Percentiles | null
    /** Time to first token of answered streamed calls, ms. */
    timeToFirstTokenMs: Percentiles | null
    byModel: ModelFigures[]
  }
  /** The A/B experiments, as `router.experiments()` reports them (win rates with 95% intervals). */
  experiments: ExperimentReport[]
}
