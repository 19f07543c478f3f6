import { describe, expect, it } from 'vitest'
import { jsonCopy, type JsonSizeBounds } from '../../src/state/json-copy.js'

function copied(value: unknown): { copy: unknown; size: JsonSizeBounds } {
  const size: JsonSizeBounds = { least: 0, most: 0 }
  return { copy: jsonCopy(value, size), size }
}

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

describe('jsonCopy', () => {
  const values: Array<[string, unknown]> = [
    ['an answer with tool calls', { id: 'chatcmpl-1', message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] }, usage: { inputTokens: 3, outputTokens: 0.5 } }],
    ['members JSON drops or changes', { gone: undefined, fn: () => 1, nan: Number.NaN, infinite: -Infinity, list: [undefined, () => 2, Symbol('s'), 1], [Symbol('hidden')]: 1 }],
    ['values JSON writes through toJSON or as their fields', { when: new Date(0), point: new Point(1, 2), custom: { toJSON: () => ({ replaced: true }) }, none: { toJSON: () => undefined } }],
    ['text of every UTF-8 length and escapes', { text: 'aé€𝄞"\\\n\u0001\ud800', 'ké€y\n': ['x'] }],
    ['nothing but scalars', [null, true, false, 0, -0, 1e21, -0.0000012345678901234567, '']],
    ['a member named __proto__, as JSON.parse makes it from a provider’s answer', JSON.parse('{"__proto__":{"polluted":true},"a":1}') as unknown],
    ['deep nesting', JSON.parse('['.repeat(100) + '1' + ']'.repeat(100)) as unknown],
  ]

  for (const [name, value] of values) {
    it(`copies ${name} as a JSON round trip would, sharing no object with it, and bounds its size`, () => {
      const { copy, size } = copied(value)
      const text = JSON.stringify(value)
      expect(JSON.stringify(copy)).toBe(text)
      expect(copy).toEqual(JSON.parse(text))
      const bytes = new TextEncoder().encode(text).byteLength
      expect(size.least).toBeLessThanOrEqual(bytes)
      expect(size.most).toBeGreaterThanOrEqual(bytes)
      const originals = new Set<unknown>()
      const collect = (item: unknown) => {
        if (typeof item !== 'object' || item === null || originals.has(item)) return
        originals.add(item)
        for (const member of Object.values(item)) collect(member)
      }
      collect(value)
      const shared: unknown[] = []
      const check = (item: unknown) => {
        if (typeof item !== 'object' || item === null) return
        if (originals.has(item)) shared.push(item)
        for (const member of Object.values(item)) check(member)
      }
      check(copy)
      expect(shared).toEqual([])
    })
  }

  it('throws where JSON.stringify throws: a BigInt, a cycle', () => {
    expect(() => copied({ big: 1n })).toThrow(TypeError)
    const cycle: Record<string, unknown> = { a: 1 }
    cycle.self = cycle
    expect(() => copied(cycle)).toThrow(TypeError)
  })
})
