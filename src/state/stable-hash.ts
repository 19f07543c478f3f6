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

/** Where stable JSON goes: a string (`stableJson`) or straight into a running hash (`Sha256`). */
export interface JsonSink {
  /** Text written as is (punctuation, numbers, literals). */
  text(text: string): unknown
  /** A string, written as `JSON.stringify` writes it. */
  jsonString(text: string): unknown
}

class TextSink implements JsonSink {
  written = ''
  text(text: string): void {
    this.written += text
  }
  jsonString(text: string): void {
    this.written += JSON.stringify(text)
  }
}

/**
 * JSON with object keys sorted and `undefined` members dropped, so equal values write equally,
 * into `sink`. Only strings and the punctuation between them are written piece by piece; other
 * values as `JSON.stringify` writes them (a function or a symbol in an array as `undefined`, a
 * BigInt refused).
 */
export function writeStableJson(value: unknown, sink: JsonSink): void {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'string') sink.jsonString(value)
    else sink.text(value === undefined ? 'null' : String(JSON.stringify(value)))
    return
  }
  if (Array.isArray(value)) {
    sink.text('[')
    for (let index = 0; index < value.length; index++) {
      if (index > 0) sink.text(',')
      writeStableJson(value[index], sink)
    }
    sink.text(']')
    return
  }
  writeStableMembers(sortStrings(Object.keys(value)), (key) => (value as Record<string, unknown>)[key], sink)
}

/** An object as `writeStableJson` writes one: the members under `keys` (sorted already), `undefined` and functions left out. */
export function writeStableMembers(keys: readonly string[], memberOf: (key: string) => unknown, sink: JsonSink): void {
  sink.text('{')
  let first = true
  for (const key of keys) {
    const member = memberOf(key)
    if (member === undefined || typeof member === 'function') continue
    if (!first) sink.text(',')
    first = false
    sink.jsonString(key)
    sink.text(':')
    writeStableJson(member, sink)
  }
  sink.text('}')
}

/** `writeStableJson` as a string. */
export function stableJson(value: unknown): string {
  const sink = new TextSink()
  writeStableJson(value, sink)
  return sink.written
}
