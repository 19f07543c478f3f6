import { describe, expect, it } from 'vitest'
import { withLazySignal } from '../../src/internal/lazy-signal-options.js'

describe('withLazySignal', () => {
  it('reads the source signal only when the signal is read', () => {
    let reads = 0
    const controller = new AbortController()
    const source = {
      get signal() {
        reads += 1
        return controller.signal
      },
    }
    const options = withLazySignal({ quota: undefined }, source)
    expect(reads).toBe(0)
    expect(options.signal).toBe(controller.signal)
    expect(reads).toBe(1)
  })

  it('keeps the signal in a copy, as an adapter wrapping another may make one', () => {
    const controller = new AbortController()
    const copy = { ...withLazySignal({ signalCanFire: false }, { signal: controller.signal }), extra: true }
    expect(copy.signal).toBe(controller.signal)
    expect(copy.signalCanFire).toBe(false)
    expect(Object.keys(copy)).toEqual(['signalCanFire', 'signal', 'extra'])
  })

  it('gives each object its own source', () => {
    const first = new AbortController()
    const second = new AbortController()
    const a = withLazySignal({}, { signal: first.signal })
    const b = withLazySignal({}, { signal: second.signal })
    expect(a.signal).toBe(first.signal)
    expect(b.signal).toBe(second.signal)
  })
})
