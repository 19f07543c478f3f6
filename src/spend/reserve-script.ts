import type { StoreScript, StoreView } from '../spec/store.js'
import { luaReadCounterDocument, readCounterDocument, type CounterDocument, type CounterKind } from './counter-document.js'

/**
 * Where a memory store's counter was last found, kept by whoever plans the checks (a planned
 * counter is its own handle): the memory store's live counters look the key up again only once the
 * store has let it go. Stores that run the scripts ignore it.
 */
export interface CounterHandle {
  entry?: unknown
}

/**
 * One counter a reservation must fit in. Window counters (`w`): `amount` is added to `slot` when
 * the slots from `floor` on plus `amount` stay within `limit`. Lease counters (`c`): a lease
 * `slot` expiring at `expiresAt` is added when fewer than `limit` unexpired leases (expiry > `floor`,
 * the current time) are held.
 */
export interface CounterCheck {
  readonly key: string
  readonly kind: CounterKind
  readonly limit: number
  readonly amount: number
  /** Window: the first slot start that still counts. Lease: now. */
  readonly floor: number
  /** Window: the slot start to add to. Lease: the lease id (a number for a lease taken in a memory store, see `LiveCounters.leaseId`). */
  readonly slot: string | number
  /** Window: how long the key lives. Lease: when this lease expires (ms since the epoch). */
  readonly ttlOrExpiry: number
  readonly handle?: CounterHandle
}

export type ReserveOutcome =
  | { readonly ok: true }
  | {
      readonly ok: false
      /** Index of the first check that did not fit. */
      readonly index: number
      /** What that counter holds now (sum, or number of leases). */
      readonly used: number
      /**
       * Window: the slot start whose expiry makes room for the amount; lease: the earliest lease
       * expiry; -1 when the amount alone exceeds the limit, so it never fits.
       */
      readonly fitsAfter: number
    }

/** Both implementations compare with this tolerance, so float sums of cents never refuse a call that fits exactly. */
export const tolerance = 1e-9
const fieldsPerCheck = 6

export function reserveArguments(checks: readonly CounterCheck[]): { keys: string[]; args: (string | number)[] } {
  const args: (string | number)[] = [checks.length]
  for (const check of checks) args.push(check.kind, check.limit, check.amount, check.floor, check.slot, Math.ceil(check.ttlOrExpiry))
  return { keys: checks.map((check) => check.key), args }
}

function liveEntries(document: CounterDocument, kind: CounterKind, floor: number): CounterDocument {
  const live: CounterDocument = {}
  for (const [slot, value] of Object.entries(document)) {
    if (kind === 'w' ? Number(slot) >= floor : value > floor) live[slot] = value
  }
  return live
}

function usedOf(live: CounterDocument, kind: CounterKind): number {
  let used = 0
  for (const value of Object.values(live)) used += kind === 'w' ? value : 1
  return used
}

export function fitsAfterOf(live: CounterDocument, kind: CounterKind, used: number, amount: number, limit: number): number {
  if (amount > limit + tolerance) return -1
  if (kind === 'c') return Math.min(...Object.values(live))
  let freed = 0
  for (const slot of Object.keys(live).map(Number).sort((a, b) => a - b)) {
    freed += live[String(slot)]!
    if (used - freed + amount <= limit + tolerance) return slot
  }
  return -1
}

function reserveLocally(view: StoreView, keys: readonly string[], args: readonly (string | number)[]): ReserveOutcome {
  const count = Number(args[0])
  const pending: Array<{ key: string; live: CounterDocument; kind: CounterKind; amount: number; floor: number; slot: string; ttlOrExpiry: number }> = []
  for (let index = 0; index < count; index += 1) {
    const base = 1 + index * fieldsPerCheck
    const [kind, limit, amount, floor, slot, ttlOrExpiry] = args.slice(base, base + 6) as [CounterKind, number, number, number, string, number]
    const key = keys[index]!
    const live = liveEntries(readCounterDocument(view.get(key)), kind, Number(floor))
    const used = usedOf(live, kind)
    const adding = kind === 'w' ? Number(amount) : 1
    if (used + adding > Number(limit) + tolerance) {
      return { ok: false, index, used, fitsAfter: fitsAfterOf(live, kind, used, adding, Number(limit)) }
    }
    pending.push({ key, live, kind, amount: Number(amount), floor: Number(floor), slot: String(slot), ttlOrExpiry: Number(ttlOrExpiry) })
  }
  for (const { key, live, kind, amount, floor, slot, ttlOrExpiry } of pending) {
    if (kind === 'w') {
      live[slot] = (live[slot] ?? 0) + amount
      view.set(key, JSON.stringify(live), Math.max(1, Math.ceil(ttlOrExpiry)))
    } else {
      live[slot] = ttlOrExpiry
      // The key lives as long as its latest lease.
      view.set(key, JSON.stringify(live), Math.max(1, Math.ceil(Math.max(...Object.values(live)) - floor)))
    }
  }
  return { ok: true }
}

const lua = `${luaReadCounterDocument}
local count = tonumber(ARGV[1])
local tolerance = 1e-9
local pending = {}
for index = 1, count do
  local base = 1 + (index - 1) * ${fieldsPerCheck}
  local kind = ARGV[base + 1]
  local limit = tonumber(ARGV[base + 2])
  local amount = tonumber(ARGV[base + 3])
  local floor = tonumber(ARGV[base + 4])
  local live = {}
  local used = 0
  for slot, value in pairs(readDocument(KEYS[index])) do
    if kind == 'w' then
      if tonumber(slot) and tonumber(slot) >= floor then live[slot] = value; used = used + value end
    elseif value > floor then
      live[slot] = value; used = used + 1
    end
  end
  local adding = amount
  if kind == 'c' then adding = 1 end
  if used + adding > limit + tolerance then
    local fitsAfter = -1
    if adding <= limit + tolerance then
      if kind == 'c' then
        for _, value in pairs(live) do
          if fitsAfter == -1 or value < fitsAfter then fitsAfter = value end
        end
      else
        local slots = {}
        for slot in pairs(live) do table.insert(slots, tonumber(slot)) end
        table.sort(slots)
        local freed = 0
        for _, slot in ipairs(slots) do
          freed = freed + live[tostring(slot)]
          if used - freed + adding <= limit + tolerance then fitsAfter = slot; break end
        end
      end
    end
    return {'over', tostring(index - 1), string.format('%.17g', used), string.format('%.17g', fitsAfter)}
  end
  pending[index] = live
end
for index = 1, count do
  local base = 1 + (index - 1) * ${fieldsPerCheck}
  local kind = ARGV[base + 1]
  local slot = ARGV[base + 5]
  local ttlOrExpiry = tonumber(ARGV[base + 6])
  local live = pending[index]
  if kind == 'w' then
    live[slot] = (live[slot] or 0) + tonumber(ARGV[base + 3])
    redis.call('SET', KEYS[index], cjson.encode(live), 'PX', math.max(1, math.ceil(ttlOrExpiry)))
  else
    live[slot] = ttlOrExpiry
    local latest = 0
    for _, value in pairs(live) do if value > latest then latest = value end end
    redis.call('SET', KEYS[index], cjson.encode(live), 'PX', math.max(1, math.ceil(latest - tonumber(ARGV[base + 4]))))
  end
end
return {'ok'}
`

function parse(reply: unknown): ReserveOutcome {
  if (!Array.isArray(reply)) throw new Error(`reserve script: unexpected reply ${JSON.stringify(reply)}`)
  if (reply[0] === 'ok') return { ok: true }
  return { ok: false, index: Number(reply[1]), used: Number(reply[2]), fitsAfter: Number(reply[3]) }
}

/**
 * Reserves amounts in several counters at once, all or nothing: a budget reservation across every
 * budget a call falls under, or one request (and its estimated tokens, and a concurrency lease)
 * across every rate limit. Atomic in Redis (one Lua script) and in memory (one synchronous step).
 */
export const reserveScript: StoreScript<ReserveOutcome> = {
  name: 'switchyard-spend-reserve-v1',
  lua,
  local: reserveLocally,
  parse,
}
