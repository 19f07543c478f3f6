/**
 * The value of one budget or rate-limit counter in the store: a JSON object. For a window counter,
 * slot start (ms) → amount added in that slot; for a lease counter (concurrency), lease id → the
 * time (ms) the lease expires by itself, so a crashed process cannot hold a slot for ever.
 */
export type CounterDocument = Record<string, number>

/** `w`: a windowed sum (budgets, rpm, tpm); `c`: leases (concurrency). */
export type CounterKind = 'w' | 'c'

/** Reads a counter document; anything that is not one counts as empty (a foreign or corrupt value). */
export function readCounterDocument(raw: string | undefined): CounterDocument {
  if (raw === undefined) return {}
  try {
    const parsed: unknown = JSON.parse(raw)
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {}
    const document: CounterDocument = {}
    for (const [slot, value] of Object.entries(parsed)) {
      const amount = Number(value)
      if (Number.isFinite(amount)) document[slot] = amount
    }
    return document
  } catch {
    return {}
  }
}

/** Lua helper shared by the scripts: the same reading rule as `readCounterDocument`. */
export const luaReadCounterDocument = `
local function readDocument(key)
  local raw = redis.call('GET', key)
  if not raw then return {} end
  local ok, decoded = pcall(cjson.decode, raw)
  if not ok or type(decoded) ~= 'table' then return {} end
  local document = {}
  for slot, value in pairs(decoded) do
    local amount = tonumber(value)
    if amount then document[tostring(slot)] = amount end
  end
  return document
end
local function isEmpty(document)
  return next(document) == nil
end
`
