import type { StoreScript, StoreView } from '../spec/store.js'
import { luaReadCounterDocument, readCounterDocument, type CounterDocument, type CounterKind } from './counter-document.js'

/**
 * Corrects one counter once an attempt has ended. Window counters: `delta` (exact − reserved,
 * may be negative) is added to the slot the reservation went to, never taking it below 0. Lease
 * counters: the lease `slot` is released.
 */
export interface CounterSettlement {
  readonly key: string
  readonly kind: CounterKind
  readonly slot: string | number
  readonly delta: number
  /** Window: the first slot start that still counts; lease: now. */
  readonly floor: number
  /** Window: how long the key lives from now. Unused for leases. */
  readonly ttlMs: number
}

const fieldsPerSettlement = 5

export function settleArguments(settlements: readonly CounterSettlement[]): { keys: string[]; args: (string | number)[] } {
  const args: (string | number)[] = [settlements.length]
  for (const item of settlements) args.push(item.kind, item.slot, item.delta, item.floor, Math.ceil(item.ttlMs))
  return { keys: settlements.map((item) => item.key), args }
}

function settleLocally(view: StoreView, keys: readonly string[], args: readonly (string | number)[]): number {
  const count = Number(args[0])
  for (let index = 0; index < count; index += 1) {
    const base = 1 + index * fieldsPerSettlement
    const kind = args[base] as CounterKind
    const slot = String(args[base + 1])
    const delta = Number(args[base + 2])
    const floor = Number(args[base + 3])
    const key = keys[index]!
    const raw = view.get(key)
    if (raw === undefined) continue
    const live: CounterDocument = {}
    for (const [entry, value] of Object.entries(readCounterDocument(raw))) {
      if (kind === 'w' ? Number(entry) >= floor || entry === slot : value > floor) live[entry] = value
    }
    if (kind === 'w') {
      if (live[slot] !== undefined) live[slot] = Math.max(0, live[slot] + delta)
      view.set(key, JSON.stringify(live), Math.max(1, Math.ceil(Number(args[base + 4]))))
    } else {
      delete live[slot]
      const latest = Math.max(0, ...Object.values(live))
      if (latest <= floor) view.delete(key)
      else view.set(key, JSON.stringify(live), Math.ceil(latest - floor))
    }
  }
  return count
}

const lua = `${luaReadCounterDocument}
local count = tonumber(ARGV[1])
for index = 1, count do
  local base = 1 + (index - 1) * ${fieldsPerSettlement}
  local kind = ARGV[base + 1]
  local slot = ARGV[base + 2]
  local delta = tonumber(ARGV[base + 3])
  local floor = tonumber(ARGV[base + 4])
  local key = KEYS[index]
  if redis.call('EXISTS', key) == 1 then
    local live = {}
    for entry, value in pairs(readDocument(key)) do
      if kind == 'w' then
        if entry == slot or (tonumber(entry) and tonumber(entry) >= floor) then live[entry] = value end
      elseif value > floor then
        live[entry] = value
      end
    end
    if kind == 'w' then
      if live[slot] then live[slot] = math.max(0, live[slot] + delta) end
      redis.call('SET', key, cjson.encode(live), 'PX', math.max(1, math.ceil(tonumber(ARGV[base + 5]))))
    else
      live[slot] = nil
      local latest = 0
      for _, value in pairs(live) do if value > latest then latest = value end end
      if latest <= floor then redis.call('DEL', key)
      else redis.call('SET', key, cjson.encode(live), 'PX', math.ceil(latest - floor)) end
    end
  end
end
return count
`

/** Settles reservations made with `reserveScript`: exact cost or tokens in place of the estimate, leases released. */
export const settleScript: StoreScript<number> = {
  name: 'switchyard-spend-settle-v1',
  lua,
  local: settleLocally,
  parse: (reply) => Number(reply),
}
