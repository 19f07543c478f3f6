import { ConfigurationError } from '../errors/errors.js'

/**
 * A budget's or a ledger query's period: a UTC calendar period (`'day'`, `'month'`) or a rolling
 * duration (`'1h'`, `'7d'`, `'30m'`, `'90s'`, `'2w'`).
 */
export type WindowSpec = 'day' | 'month' | (string & {})

/** Where one counter stands at an instant: which slot new amounts go to, and which slots still count. */
export interface WindowPosition {
  /** Start of the slot a new amount is added to (ms since the epoch). */
  readonly slotStartMs: number
  /** Slots that start before this no longer count. */
  readonly countsFromMs: number
  /** Calendar windows: a period id for the store key (`2026-11-30`), so each period has its own counter. */
  readonly periodId: string
  /** How long the counter must live in the store from now (late settlements included). */
  readonly ttlMs: number
}

/** A parsed window. Rolling windows count in 1/60 slots, so they may count up to one slot too much, never too little. */
export interface SpendWindow {
  readonly spec: string
  readonly kind: 'calendar' | 'rolling'
  /** Rolling windows: the length; calendar windows: the length of the current period. */
  readonly durationMs: number
  /** Rolling windows: the slot length; calendar windows: a whole period. */
  readonly slotMs: number
  position(nowMs: number): WindowPosition
  /** When amounts added at `slotStartMs` stop counting. */
  expiresAt(slotStartMs: number): number
  /** Start of the window that ends at `nowMs` (for reports). */
  startAt(nowMs: number): number
}

const unitMs: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }
const slotsPerRollingWindow = 60
const dayMs = 86_400_000
/** A settlement may arrive after its period ended (a long stream across midnight); keep the counter that long. */
const lateSettlementMs = dayMs

function startOfUtcDay(ms: number): number {
  return Math.floor(ms / dayMs) * dayMs
}

function startOfUtcMonth(ms: number): number {
  const date = new Date(ms)
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1)
}

function startOfNextUtcMonth(ms: number): number {
  const date = new Date(ms)
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1)
}

function calendarWindow(spec: 'day' | 'month'): SpendWindow {
  const periodStart = spec === 'day' ? startOfUtcDay : startOfUtcMonth
  const periodEnd = spec === 'day' ? (ms: number) => startOfUtcDay(ms) + dayMs : startOfNextUtcMonth
  // The id of the period last asked for: every call in a period asks for the same one.
  let lastStart = Number.NaN
  let lastPeriodId = ''
  const periodIdOf = (start: number) => {
    if (start !== lastStart) {
      lastPeriodId = new Date(start).toISOString().slice(0, spec === 'day' ? 10 : 7)
      lastStart = start
    }
    return lastPeriodId
  }
  return {
    spec,
    kind: 'calendar',
    durationMs: spec === 'day' ? dayMs : 31 * dayMs,
    slotMs: spec === 'day' ? dayMs : 31 * dayMs,
    position(nowMs) {
      const start = periodStart(nowMs)
      return {
        slotStartMs: start,
        countsFromMs: start,
        periodId: periodIdOf(start),
        ttlMs: periodEnd(nowMs) - nowMs + lateSettlementMs,
      }
    },
    expiresAt: (slotStartMs) => periodEnd(slotStartMs),
    startAt: periodStart,
  }
}

function rollingWindow(spec: string, durationMs: number): SpendWindow {
  // Whole milliseconds, and at least 1 ms, so slot starts are exact integers in Lua and in JS.
  const slotMs = Math.max(1, Math.ceil(durationMs / slotsPerRollingWindow))
  return {
    spec,
    kind: 'rolling',
    durationMs,
    slotMs,
    position(nowMs) {
      const slotStartMs = Math.floor(nowMs / slotMs) * slotMs
      // A slot counts while any part of it lies within the last `durationMs`.
      return { slotStartMs, countsFromMs: nowMs - durationMs - slotMs + 1, periodId: 'rolling', ttlMs: durationMs + 2 * slotMs }
    },
    expiresAt: (slotStartMs) => slotStartMs + slotMs + durationMs,
    startAt: (nowMs) => nowMs - durationMs,
  }
}

/** Milliseconds of a duration like `'1h'`, `'7d'`, `'500ms'`; `undefined` when it does not parse. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$/.exec(text.trim())
  if (!match) return undefined
  const value = Number(match[1]) * unitMs[match[2]!]!
  return Number.isFinite(value) && value >= 1 ? value : undefined
}

/** Parses a window; `where` names the configuration entry in the error. */
export function parseWindow(spec: unknown, where: string): SpendWindow {
  if (spec === 'day' || spec === 'month') return calendarWindow(spec)
  const durationMs = typeof spec === 'string' ? parseDuration(spec) : undefined
  if (durationMs === undefined) {
    throw new ConfigurationError(
      `${where}: window ${JSON.stringify(spec)} does not parse. Use 'day' or 'month' (UTC calendar periods) or a rolling duration such as '30m', '1h', '7d' (units ms, s, m, h, d, w).`,
    )
  }
  return rollingWindow(spec as string, durationMs)
}
