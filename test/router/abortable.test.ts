import { describe, expect, it } from 'vitest'
import { eitherSignal, isNeverAbortedSignal, listenableSignal, neverAbortedSignal } from '../../src/internal/abortable.js'

describe('eitherSignal', () => {
  it('fires when the first fires, with its reason', () => {
    const first = new AbortController()
    const second = new AbortController()
    const either = eitherSignal(first.signal, second.signal)
    expect(either.aborted).toBe(false)
    first.abort('first reason')
    expect(either.aborted).toBe(true)
    expect(either.reason).toBe('first reason')
  })

  it('fires when the second fires, with its reason, and ignores a later first', () => {
    const first = new AbortController()
    const second = new AbortController()
    const either = eitherSignal(first.signal, second.signal)
    second.abort('second reason')
    first.abort('first reason')
    expect(either.reason).toBe('second reason')
  })

  it('is already aborted when one of the two is', () => {
    const aborted = AbortSignal.abort('gone')
    expect(eitherSignal(new AbortController().signal, aborted).reason).toBe('gone')
  })
})

describe('neverAbortedSignal', () => {
  it('is a new signal for each call, so no request shares another one\'s signal (workerd forbids it)', () => {
    const one = neverAbortedSignal()
    const two = neverAbortedSignal()
    expect(one).not.toBe(two)
    expect(isNeverAbortedSignal(one) && isNeverAbortedSignal(two)).toBe(true)
    expect(listenableSignal(one)).toBeUndefined()
    const real = new AbortController().signal
    expect(isNeverAbortedSignal(real)).toBe(false)
    expect(listenableSignal(real)).toBe(real)
  })
})
