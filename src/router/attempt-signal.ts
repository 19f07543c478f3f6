import { abortable, listenableSignal } from '../internal/abortable.js'

/**
 * One attempt's abort wiring: the caller's signal, the strategy's signal and the timeout. Every
 * attempt that needs a signal gets its own controller (SDKs add a listener to the signal they are
 * given and never remove it, so a shared signal would collect one listener per call); it is made
 * when first needed, since a chat attempt nothing can abort never needs one.
 */
export class AttemptSignal {
  private ownController: AbortController | undefined
  timedOut = false
  private timer: ReturnType<typeof setTimeout> | undefined
  // At most two sources (the caller's and the strategy's), so no array is allocated per attempt.
  private unlinkCaller: (() => void) | undefined
  private unlinkStrategy: (() => void) | undefined
  /** Whether anything (a caller or strategy signal, a timeout) can abort the attempt. */
  readonly canAbort: boolean

  constructor(callerSignal: AbortSignal | undefined, strategySignal: AbortSignal | undefined, timeoutMs: number | undefined) {
    this.unlinkCaller = this.link(callerSignal)
    this.unlinkStrategy = this.link(strategySignal)
    if (timeoutMs !== undefined && timeoutMs > 0) {
      this.timer = setTimeout(() => {
        this.timedOut = true
        this.abort(new Error('timeout'))
      }, timeoutMs)
    }
    this.canAbort = this.unlinkCaller !== undefined || this.unlinkStrategy !== undefined || this.timer !== undefined
  }

  /** Forwards `source`'s abort to this attempt; returns how to stop forwarding. */
  private link(signal: AbortSignal | undefined): (() => void) | undefined {
    const source = listenableSignal(signal)
    if (!source) return undefined
    const onAbort = () => this.abort(source.reason)
    if (source.aborted) onAbort()
    source.addEventListener('abort', onAbort, { once: true })
    return () => source.removeEventListener('abort', onAbort)
  }

  private get controller(): AbortController {
    return (this.ownController ??= new AbortController())
  }

  abort(reason: unknown): void {
    this.controller.abort(reason)
  }

  /** Whether the attempt was aborted (without making a controller to ask). */
  get aborted(): boolean {
    return this.ownController?.signal.aborted ?? false
  }

  /** `promise`, rejected as soon as the attempt is aborted; as is when nothing can abort it (the hot path). */
  guard<T>(promise: Promise<T>): Promise<T> {
    return this.canAbort ? abortable(promise, this.signal) : promise
  }

  get signal(): AbortSignal {
    return this.controller.signal
  }

  stopTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
  }

  release(): void {
    this.stopTimer()
    this.unlinkCaller?.()
    this.unlinkStrategy?.()
    this.unlinkCaller = this.unlinkStrategy = undefined
  }
}
