import { AbortedError } from '../errors/errors.js'

// Marks, not state: which signals stand for "no signal given". Each is made for one call.
const neverAborted = new WeakSet<AbortSignal>()

/**
 * The signal of a call made without one. It can never fire, so attempts skip listening to it.
 * One per call, made when the call starts, never at import or shared between calls: Cloudflare's
 * workerd refuses `new AbortController()` in a module's top level, and ties every signal to the
 * request that made it, failing any other request that touches it.
 */
export function neverAbortedSignal(): AbortSignal {
  const signal = new AbortController().signal
  neverAborted.add(signal)
  return signal
}

/** Whether `signal` is a call's stand-in for "no signal given". */
export function isNeverAbortedSignal(signal: AbortSignal): boolean {
  return neverAborted.has(signal)
}

/** `signal`, or `undefined` for a never-aborted one, which nothing needs to listen to. */
export function listenableSignal(signal: AbortSignal | undefined): AbortSignal | undefined {
  return signal !== undefined && neverAborted.has(signal) ? undefined : signal
}

/**
 * Options that carry a `signal` (an adapter's `CallOptions`, a defined provider's call) and may say,
 * with `signalCanFire: false`, that it is the call's never-firing stand-in, made only when read:
 * code that would merely listen to it can skip reading it, and so never makes it.
 */
export interface SignalCarrier {
  readonly signal: AbortSignal
  readonly signalCanFire?: boolean
}

/** The carrier's signal when something can abort it; `undefined` (without making a stand-in) otherwise. */
export function listenableSignalOf(carrier: SignalCarrier): AbortSignal | undefined {
  return carrier.signalCanFire === false ? undefined : listenableSignal(carrier.signal)
}

/** Rejects as soon as `signal` fires, even if `promise` ignores the signal. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (neverAborted.has(signal)) return promise
  if (signal.aborted) {
    promise.catch(() => {})
    return Promise.reject(signal.reason)
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => {})
      reject(signal.reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedError('The call was aborted by its AbortSignal.', { cause: signal.reason })
}

/** Resolves after `ms`, or rejects when `signal` fires. */
export function sleep(ms: number, callerSignal?: AbortSignal): Promise<void> {
  const signal = listenableSignal(callerSignal)
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * A signal that fires when either one does, with that one's reason. `AbortSignal.any` would do,
 * but Vercel's edge runtime does not have it.
 */
export function eitherSignal(first: AbortSignal, second: AbortSignal): AbortSignal {
  if (first.aborted) return first
  if (second.aborted) return second
  const controller = new AbortController()
  const onFirst = () => settle(first)
  const onSecond = () => settle(second)
  function settle(source: AbortSignal) {
    first.removeEventListener('abort', onFirst)
    second.removeEventListener('abort', onSecond)
    controller.abort(source.reason)
  }
  first.addEventListener('abort', onFirst, { once: true })
  second.addEventListener('abort', onSecond, { once: true })
  return controller.signal
}
