import { describe, expect, it } from 'vitest'
import { sortStrings, stableJson } from '../../src/state/stable-hash.js'

describe('stable hashing', () => {
  it('sorts keys exactly as Array.prototype.sort does (UTF-16 code units), whatever the input order', () => {
    const pool = ['a', 'B', 'b', 'aa', 'a_b', 'Z', '', '10', '9', 'é', 'e\u0301', '𝄞', '\uffff', 'max_tokens', 'messages', 'model']
    // A fixed pseudo-random sequence, so the test is the same every run.
    let seed = 7
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648
    for (let round = 0; round < 200; round += 1) {
      const strings = pool.filter(() => next() < 0.6).sort(() => next() - 0.5)
      expect(sortStrings([...strings])).toEqual([...strings].sort())
    }
  })

  it('writes equal values equally, whatever the order of their keys, and drops undefined members', () => {
    expect(stableJson({ b: 1, a: [{ y: 'x', z: null }], c: undefined })).toBe('{"a":[{"y":"x","z":null}],"b":1}')
    expect(stableJson({ a: [{ z: null, y: 'x' }], b: 1 })).toBe(stableJson({ b: 1, a: [{ y: 'x', z: null }] }))
  })
})
