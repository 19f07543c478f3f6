import { AbortedError } from '../errors/errors.js'

/**
 * The signal of a call made without one. It can never fire, so attempts skip listening to it: an
 * immutable sentinel, not shared state.
 */
export const neverAbortedSignal: AbortSignal = new AbortController().signal

/**
 * `signal`, or `undefined` for the never-aborted sentinel. Listening to the sentinel would be a
 * leak: it outlives every call, so concurrent calls would pile their listeners onto it.
 */
export function listenableSignal(signal: AbortSignal | undefined): AbortSignal | undefined {
  return signal === neverAbortedSignal ? undefined : signal
}

/** Rejects as soon as `signal` fires, even if `promise` ignores the signal. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal === neverAbortedSignal) return promise
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
