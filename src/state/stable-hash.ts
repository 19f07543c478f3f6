/**
 * Stable hashing for store keys: the same value gives the same key in every process, whatever the
 * order of its object keys, and nothing of the value (message content, ids) is readable in the key.
 */

/**
 * The strings sorted in place as `Array.prototype.sort()` orders them (by UTF-16 code units): an
 * insertion sort, since an object has a handful of keys and the built-in sort is a lot of code to
 * run cold for that, once per object of every request hashed.
 */
export function sortStrings(strings: string[]): string[] {
  for (let index = 1; index < strings.length; index++) {
    const item = strings[index]!
    let at = index - 1
    while (at >= 0 && strings[at]! > item) {
      strings[at + 1] = strings[at]!
      at -= 1
    }
    strings[at + 1] = item
  }
  return strings
}

/** JSON with object keys sorted and `undefined` members dropped, so equal values serialize equally. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return value === undefined ? 'null' : JSON.stringify(value)
  }
  if (Array.isArray(value)) {
    let text = '['
    for (let index = 0; index < value.length; index++) {
      if (index > 0) text += ','
      text += stableJson(value[index])
    }
    return `${text}]`
  }
  const keys = sortStrings(Object.keys(value))
  let text = '{'
  let first = true
  for (const key of keys) {
    const member = (value as Record<string, unknown>)[key]
    if (member === undefined || typeof member === 'function') continue
    if (!first) text += ','
    first = false
    text += `${JSON.stringify(key)}:${stableJson(member)}`
  }
  return `${text}}`
}

type NodeHash = (text: string) => string

/**
 * Node's synchronous SHA-256 when the runtime has it (no import: edge runtimes lack `node:crypto`).
 * Looked up on the first hash, not at import: loading `node:crypto` costs milliseconds of a cold start.
 */
function loadNodeSha256(): NodeHash | null {
  const load = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process?.getBuiltinModule
  const crypto = load?.('node:crypto') as
    | { hash?: (algorithm: string, text: string, encoding: 'hex') => string; createHash?: (algorithm: string) => { update(text: string): { digest(encoding: 'hex'): string } } }
    | undefined
  // The one-shot `hash` (Node 20.12+, 21.7+) makes no Hash object: about half the time for a short text.
  const hash = crypto?.hash
  if (hash) return (text) => hash('sha256', text, 'hex')
  const createHash = crypto?.createHash
  return createHash ? (text) => createHash('sha256').update(text).digest('hex') : null
}

// The runtime's hash function, the same for every router: found once, on first use.
let nodeSha256: NodeHash | null | undefined

function hex(buffer: ArrayBuffer): string {
  let text = ''
  for (const byte of new Uint8Array(buffer)) text += byte.toString(16).padStart(2, '0')
  return text
}

/** SHA-256 of the text, hex: synchronous on Node, through Web Crypto elsewhere. */
export function sha256Hex(text: string): string | Promise<string> {
  nodeSha256 ??= loadNodeSha256()
  if (nodeSha256) return nodeSha256(text)
  return globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)).then(hex)
}
