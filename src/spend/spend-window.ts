import { ConfigurationError } from '../errors/errors.js'

/**
 * A budget's or a ledger query's period: a UTC calendar period (`'day'`, `'month'`) or a rolling
 * duration (`'1h'`, `'7d'`, `'30m'`, `'90s'`, `'2w'`).
 */
export type WindowSpec = 'day' | 'month' | (string & {})

/**
 * One slot of a window, as it stands while the slot lasts: where amounts added during it go, and
 * what counts at each instant of it. Made once per slot (a second of a rate limit's minute, a
 * budget's day), so reading it costs an attempt no object and no date arithmetic.
 */
export class WindowSlot {
  /** The slot's start as counters name it. */
  readonly name: string

  constructor(
    /** Start of the slot (ms since the epoch): amounts added from here until `endMs` go to it. */
    readonly startMs: number,
    readonly endMs: number,
    /** Calendar windows: the period's id for store keys (`2026-11-30`), so each period has its own counter; `'rolling'` otherwise. */
    readonly periodId: string,
    // What counts and how long a counter lives, as the larger of a fixed instant or duration and
    // one that follows the clock: a calendar period counts from its start and lives to its end
    // (and a day beyond, for late settlements); a rolling window counts a fixed span back from now
    // and lives a fixed time.
    private readonly floorMs: number,
    private readonly lagMs: number,
    private readonly ttlMs: number,
    private readonly keepUntilMs: number,
  ) {
    this.name = String(startMs)
  }

  /** At `nowMs`, slots that start before this no longer count. */
  countsFrom(nowMs: number): number {
    return Math.max(this.floorMs, nowMs - this.lagMs)
  }

  /** How long a counter written at `nowMs` must live in the store (late settlements included). */
  ttl(nowMs: number): number {
    return Math.max(this.ttlMs, this.keepUntilMs - nowMs)
  }
}

/** A parsed window. Rolling windows count in 1/60 slots, so they may count up to one slot too much, never too little. */
export class SpendWindow {
  /** The slot last asked about: most instants asked about fall in the same slot as the one before. */
  private current: WindowSlot | undefined

  constructor(
    readonly spec: string,
    readonly kind: 'calendar' | 'rolling',
    /** Rolling windows: the length; calendar windows: the length of the longest period. */
    readonly durationMs: number,
    /** Rolling windows: the slot length; calendar windows: a whole period. */
    readonly slotMs: number,
    private readonly slotFor: (nowMs: number) => WindowSlot,
    /** When amounts added at `slotStartMs` stop counting. */
    readonly expiresAt: (slotStartMs: number) => number,
    /** Start of the window that ends at `nowMs` (for reports). */
    readonly startAt: (nowMs: number) => number,
  ) {}

  /** The slot an amount added at `nowMs` goes to. */
  slotAt(nowMs: number): WindowSlot {
    const current = this.current
    if (current !== undefined && nowMs >= current.startMs && nowMs < current.endMs) return current
    return (this.current = this.slotFor(nowMs))
  }
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
  const startOf = spec === 'day' ? startOfUtcDay : startOfUtcMonth
  const endOf = spec === 'day' ? (ms: number) => startOfUtcDay(ms) + dayMs : startOfNextUtcMonth
  const idLength = spec === 'day' ? 10 : 7
  const period = (nowMs: number) => {
    const start = startOf(nowMs)
    const end = endOf(nowMs)
    return new WindowSlot(start, end, new Date(start).toISOString().slice(0, idLength), start, Infinity, -Infinity, end + lateSettlementMs)
  }
  const length = spec === 'day' ? dayMs : 31 * dayMs
  return new SpendWindow(spec, 'calendar', length, length, period, endOf, startOf)
}

function rollingWindow(spec: string, durationMs: number): SpendWindow {
  // Whole milliseconds, and at least 1 ms, so slot starts are exact integers in Lua and in JS.
  const slotMs = Math.max(1, Math.ceil(durationMs / slotsPerRollingWindow))
  const slot = (nowMs: number) => {
    const startMs = Math.floor(nowMs / slotMs) * slotMs
    // A slot counts while any part of it lies within the last `durationMs`.
    return new WindowSlot(startMs, startMs + slotMs, 'rolling', -Infinity, durationMs + slotMs - 1, durationMs + 2 * slotMs, -Infinity)
  }
  return new SpendWindow(
    spec,
    'rolling',
    durationMs,
    slotMs,
    slot,
    (slotStartMs) => slotStartMs + slotMs + durationMs,
    (nowMs) => nowMs - durationMs,
  )
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
