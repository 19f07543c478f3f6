import type { StoreScript, StoreView } from '../spec/store.js'

/**
 * One period of the spend ledger, as stored: totals, and per dimension (`user`, `route`,
 * `provider`, `model`, `tag:<name>`) each value's `[costUsd, attempts]`.
 */
export interface LedgerDocument {
  costUsd: number
  attempts: number
  /** Attempts whose cost is unknown (no price for the model): counted, not priced. */
  unpriced: number
  groups: Record<string, Record<string, [number, number]>>
}

/** Beyond this many values in one dimension of one period, new values are added up as `(other)`. */
export const maxValuesPerDimension = 10_000
export const otherValue = '(other)'

export function emptyLedgerDocument(): LedgerDocument {
  return { costUsd: 0, attempts: 0, unpriced: 0, groups: {} }
}

/** Reads a stored period; anything malformed reads as empty. */
export function readLedgerDocument(raw: string | undefined): LedgerDocument {
  if (raw === undefined) return emptyLedgerDocument()
  try {
    const parsed = JSON.parse(raw) as Partial<LedgerDocument>
    if (!parsed || typeof parsed !== 'object' || typeof parsed.costUsd !== 'number') return emptyLedgerDocument()
    const groups: LedgerDocument['groups'] = {}
    for (const [dimension, values] of Object.entries(parsed.groups ?? {})) {
      if (!values || typeof values !== 'object' || Array.isArray(values)) continue
      groups[dimension] = {}
      for (const [value, pair] of Object.entries(values)) {
        if (Array.isArray(pair) && typeof pair[0] === 'number' && typeof pair[1] === 'number') groups[dimension][value] = [pair[0], pair[1]]
      }
    }
    return { costUsd: parsed.costUsd, attempts: Number(parsed.attempts) || 0, unpriced: Number(parsed.unpriced) || 0, groups }
  } catch {
    return emptyLedgerDocument()
  }
}

// ARGV: keyCount, each key's ttlMs, then costUsd, attempts, unpriced, then per group: dimension, value, costUsd, attempts.
function addLocally(view: StoreView, keys: readonly string[], args: readonly (string | number)[]): number {
  const keyCount = Number(args[0])
  const base = 1 + keyCount
  const [cost, attempts, unpriced] = [Number(args[base]), Number(args[base + 1]), Number(args[base + 2])]
  keys.forEach((key, index) => {
    const document = readLedgerDocument(view.get(key))
    document.costUsd += cost
    document.attempts += attempts
    document.unpriced += unpriced
    for (let position = base + 3; position + 3 < args.length; position += 4) {
      const dimension = String(args[position])
      let value = String(args[position + 1])
      const values = (document.groups[dimension] ??= {})
      if (values[value] === undefined && Object.keys(values).length >= maxValuesPerDimension) value = otherValue
      const entry = (values[value] ??= [0, 0])
      entry[0] += Number(args[position + 2])
      entry[1] += Number(args[position + 3])
    }
    view.set(key, JSON.stringify(document), Number(args[1 + index]))
  })
  return keyCount
}

const lua = `
local keyCount = tonumber(ARGV[1])
local base = 2 + keyCount
local cost = tonumber(ARGV[base])
local attempts = tonumber(ARGV[base + 1])
local unpriced = tonumber(ARGV[base + 2])
for index = 1, keyCount do
  local document = nil
  local raw = redis.call('GET', KEYS[index])
  if raw then
    local ok, decoded = pcall(cjson.decode, raw)
    if ok and type(decoded) == 'table' and type(decoded.costUsd) == 'number' then document = decoded end
  end
  if not document then document = { costUsd = 0, attempts = 0, unpriced = 0, groups = {} } end
  if type(document.groups) ~= 'table' then document.groups = {} end
  document.costUsd = document.costUsd + cost
  document.attempts = (tonumber(document.attempts) or 0) + attempts
  document.unpriced = (tonumber(document.unpriced) or 0) + unpriced
  local position = base + 3
  while ARGV[position + 3] do
    local dimension = ARGV[position]
    local value = ARGV[position + 1]
    local values = document.groups[dimension]
    if type(values) ~= 'table' then values = {}; document.groups[dimension] = values end
    if values[value] == nil then
      local size = 0
      for _ in pairs(values) do size = size + 1 end
      if size >= ${maxValuesPerDimension} then value = '${otherValue}' end
    end
    local entry = values[value]
    if type(entry) ~= 'table' then entry = {0, 0}; values[value] = entry end
    entry[1] = entry[1] + tonumber(ARGV[position + 2])
    entry[2] = entry[2] + tonumber(ARGV[position + 3])
    position = position + 4
  end
  -- cjson writes an empty Lua table as {}, which reads back fine as an empty object.
  redis.call('SET', KEYS[index], cjson.encode(document), 'PX', tonumber(ARGV[1 + index]))
end
return keyCount
`

/** Adds a batch of attempts' costs, grouped, to several ledger periods (an hour and a day) at once. */
export const ledgerAddScript: StoreScript<number> = {
  name: 'switchyard-spend-ledger-add-v1',
  lua,
  local: addLocally,
  parse: (reply) => Number(reply),
}
