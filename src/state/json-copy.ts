/**
 * Bounds of the UTF-8 size of a value's JSON, gathered while copying it: every UTF-16 unit of a
 * string takes 1 to 6 bytes (`\u001f`, a lone surrogate), so the exact size is only worked out
 * (by serializing) when the limit falls between the two.
 */
export interface JsonSizeBounds {
  least: number
  most: number
}

// The longest JSON number is 25 characters (`-0.0000012345678901234567`).
const longestNumber = 25
// Past this depth a value is copied by a JSON round trip, which reports a cycle as JSON.stringify does.
const deepestCopied = 64

/** `least` and `most` for the JSON text of a value already serialized. */
function countText(text: string, size: JsonSizeBounds): void {
  size.least += text.length
  size.most += text.length * 3
}

/**
 * A copy of a value as a JSON round trip would give it (members that are `undefined` or functions
 * dropped, `NaN` and infinities as `null`, a `toJSON` method applied, a BigInt or a cycle thrown as
 * `JSON.stringify` throws them), made without the text: for plain data (what an adapter returns)
 * a walk over objects and arrays, which costs a fraction of serializing in the middle of a call.
 * Anything else (a class instance, a `Date`, a value with `toJSON`) goes through JSON itself.
 * Adds the bounds of the value's JSON size to `size`.
 */
export function jsonCopy(value: unknown, size: JsonSizeBounds, depth = 0): unknown {
  switch (typeof value) {
    case 'string':
      size.least += value.length + 2
      size.most += value.length * 6 + 2
      return value
    case 'number':
      if (!Number.isFinite(value)) {
        size.least += 4
        size.most += 4
        return null
      }
      size.least += 1
      size.most += longestNumber
      // JSON writes -0 as 0.
      return value === 0 ? 0 : value
    case 'boolean':
      size.least += 4
      size.most += 5
      return value
    case 'object':
      break
    default:
      // Not a JSON value (undefined, a function, a symbol: callers drop it), or a BigInt (which
      // JSON.stringify refuses unless a `toJSON` was given to BigInts).
      return typeof value === 'bigint' ? roundTrip(value, size) : undefined
  }
  if (value === null) {
    size.least += 4
    size.most += 4
    return null
  }
  if (depth >= deepestCopied) return roundTrip(value, size)
  if (Array.isArray(value)) {
    const copy: unknown[] = new Array(value.length)
    size.least += 2 + Math.max(value.length - 1, 0)
    size.most += 2 + Math.max(value.length - 1, 0)
    for (let index = 0; index < value.length; index++) {
      const item = jsonCopy(value[index], size, depth + 1)
      if (item === undefined) {
        size.least += 4
        size.most += 4
        copy[index] = null
      } else copy[index] = item
    }
    return copy
  }
  const prototype = Object.getPrototypeOf(value) as unknown
  if ((prototype !== Object.prototype && prototype !== null) || typeof (value as { toJSON?: unknown }).toJSON === 'function') return roundTrip(value, size)
  const copy: Record<string, unknown> = {}
  let members = 0
  // `for…in` walks a plain object without making an array of its keys; JSON writes own keys only.
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue
    const member = jsonCopy((value as Record<string, unknown>)[key], size, depth + 1)
    if (member === undefined) continue
    // A member named `__proto__` (JSON.parse makes one) is defined, not assigned: assigning it would set the copy's prototype.
    if (key === '__proto__') Object.defineProperty(copy, key, { value: member, enumerable: true, writable: true, configurable: true })
    else copy[key] = member
    members += 1
    size.least += key.length + 3
    size.most += key.length * 6 + 3
  }
  size.least += 2 + Math.max(members - 1, 0)
  size.most += 2 + Math.max(members - 1, 0)
  return copy
}

function roundTrip(value: unknown, size: JsonSizeBounds): unknown {
  const text = JSON.stringify(value) as string | undefined
  if (text === undefined) return undefined
  countText(text, size)
  return JSON.parse(text) as unknown
}
