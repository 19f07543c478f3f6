import { AbortedError, TimeoutError, type SwitchyardError } from '../errors/errors.js'
import { streamText } from '../internal/answer-text.js'
import type { AttemptSignal } from './attempt-signal.js'
import type { AttemptRecorder } from './attempt-recorder.js'
import type { Attempt, ModelResponse } from '../spec/response.js'
import type { StreamEvent } from '../spec/stream-event.js'
import { StreamIdleWatch, type IdleWatched } from './stream-idle-watch.js'
import type { Usage } from '../spec/usage.js'
import type { Candidate, StreamAttemptResult } from '../spec/strategy.js'
import { returnThis } from '../internal/return-this.js'

/** What `LiveStreamAttempt.take` gives while the event it was asked for has not come yet. */
export const pendingEvent: unique symbol = Symbol('pending event')

/** Bounds on a stream after its first token (`createRouter({ streams })`). */
export interface StreamLimits {
  /** The longest wait for the next event while the stream is being read, in ms. */
  idleTimeoutMs: number
  /** The longest a whole stream may take from the attempt's start, in ms; none when undefined. */
  deadlineMs?: number
  /** The router's one timer for the idle timeouts of all its streams; without it, the stream watches itself. */
  idleWatch?: StreamIdleWatch
}

/**
 * A stream attempt that produced its first token. The router drains `events()`; `settle()` closes
 * the attempt's record once the stream ends, fails or is abandoned.
 */
export class LiveStreamAttempt implements StreamAttemptResult, IdleWatched {
  readonly operation = 'stream'
  private isSettled = false
  /** `settled`, made when first asked for: most streams are never asked. */
  private settledPromise: Promise<Attempt> | undefined
  private resolveSettled: ((attempt: Attempt) => void) | undefined
  /** Every event received so far: `events()`, `eventAt()` and `text()` all read from here. */
  private readonly received: StreamEvent[]
  private finished = false
  /** A provider read is under way; it is shared by every reader. */
  private reading = false
  /** The pending read as a promise of the event it receives (`undefined` at the end), made for readers that wait on one (`eventAt`, `text()`). */
  private pulling: Promise<StreamEvent | undefined> | undefined
  /** The router's own reader of the pending read, when it waits (`take`). */
  private onEvent: ((event: StreamEvent | undefined) => void) | undefined
  private onError: ((error: unknown) => void) | undefined
  /** Set when the stream went quiet too long or ran past its deadline; every later read fails with it. */
  private limitError: TimeoutError | undefined
  private deadlineTimer: ReturnType<typeof setTimeout> | undefined
  /** Watches the idle timeout, when there is one. */
  private readonly idleWatch: StreamIdleWatch | undefined
  /** When the pending provider read started, for the idle watch; `undefined` while none is pending. */
  readStartedAt: number | undefined
  private readonly onAbort: (() => void) | undefined

  constructor(
    readonly candidate: Candidate,
    readonly attempt: Attempt,
    buffered: StreamEvent[],
    private readonly iterator: AsyncIterator<StreamEvent>,
    private readonly attemptSignal: AttemptSignal,
    private readonly recorder: AttemptRecorder,
    private readonly limits: StreamLimits = { idleTimeoutMs: 0 },
  ) {
    this.received = buffered
    if (limits.deadlineMs !== undefined) {
      const remaining = Math.max(0, limits.deadlineMs - (performance.now() - recorder.startedAt))
      this.deadlineTimer = setTimeout(() => this.stop(`did not finish within its ${limits.deadlineMs} ms deadline`), remaining)
    }
    if (limits.idleTimeoutMs > 0) this.idleWatch = limits.idleWatch ?? new StreamIdleWatch(limits.idleTimeoutMs)
    // One abort listener for the whole stream rather than one per read (each event is a read).
    if (attemptSignal.canAbort) {
      const signal = attemptSignal.signal
      this.onAbort = () => this.interrupt(signal.reason)
      signal.addEventListener('abort', this.onAbort, { once: true })
    }
  }

  /** Ends a stream that broke a limit: the provider stream is aborted and the pending read fails. */
  private stop(reason: string): void {
    if (this.finished || this.isSettled || this.limitError) return
    const { provider, model, id } = this.candidate
    this.limitError = new TimeoutError(`${id}: the stream ${reason}.`, { provider, model, retryable: true })
    this.attemptSignal.abort(this.limitError)
    void this.iterator.return?.().catch(() => {})
    this.interrupt(this.limitError)
  }

  /**
   * Starts one provider read, shared by every reader: it fails with a `TimeoutError` when nothing
   * comes within the idle timeout or the deadline, and with the abort reason when the attempt is
   * aborted, whether or not the adapter listens to its signal. Throws when a limit broke or the
   * attempt was aborted already.
   */
  private read(): void {
    if (this.limitError) throw this.limitError
    if (this.attemptSignal.canAbort && this.attemptSignal.aborted) throw this.attemptSignal.signal.reason
    this.reading = true
    if (this.idleWatch) {
      this.readStartedAt = performance.now()
      this.idleWatch.watch(this)
    }
    // The handlers are made once per stream, not per read: every event is a read.
    this.iterator.next().then(this.readFulfilled, this.interrupt)
  }

  // The settling functions of `pulling`, kept so that the read's end (or `interrupt`) settles it.
  private resolveRead: ((event: StreamEvent | undefined) => void) | undefined
  private rejectRead: ((error: unknown) => void) | undefined
  private readonly startPulling = (resolve: (event: StreamEvent | undefined) => void, reject: (error: unknown) => void) => {
    this.resolveRead = resolve
    this.rejectRead = reject
  }

  /** Takes in one event the provider sent (none at the end). A hook watching the stream (a cost cap) may throw to stop it. */
  private readonly readFulfilled = (next: IteratorResult<StreamEvent>) => {
    // Cut short already: the late answer is dropped.
    if (!this.reading) return
    const { resolveRead, onEvent } = this
    if (next.done) {
      this.finished = true
      this.readEnded()
      resolveRead?.(undefined)
      return onEvent?.(undefined)
    }
    try {
      this.recorder.progress(next.value, next.value.type === 'finish' ? next.value.usage : undefined)
    } catch (error) {
      return this.interrupt(error)
    }
    this.received.push(next.value)
    // Ended before the readers hear of it: the router's reader may start the next read at once.
    this.readEnded()
    resolveRead?.(next.value)
    onEvent?.(next.value)
  }

  /** Fails the pending read (the provider failed, a limit broke, the attempt was aborted); a limit's own error wins. */
  private readonly interrupt = (error: unknown) => {
    if (!this.reading) return
    const { rejectRead, onError } = this
    this.readEnded()
    const failure = this.limitError ?? error
    rejectRead?.(failure)
    onError?.(failure)
  }

  private readEnded(): void {
    this.reading = false
    this.pulling = this.resolveRead = this.rejectRead = this.onEvent = this.onError = this.readStartedAt = undefined
  }

  /** The idle watch's verdict: the pending read waited the whole idle timeout. */
  idled(): void {
    if (this.readStartedAt !== undefined) this.stop(`sent nothing for ${this.limits.idleTimeoutMs} ms`)
  }

  /** Resolves with the attempt's record once the stream ended, failed or was abandoned. */
  get settled(): Promise<Attempt> {
    return (this.settledPromise ??= this.isSettled ? Promise.resolve(this.attempt) : new Promise((resolve) => (this.resolveSettled = resolve)))
  }

  /** The signal the provider stream runs under. */
  get signal(): AbortSignal {
    return this.attemptSignal.signal
  }

  /**
   * The event at `index` (events count from the first): at once when it was received already, else
   * a promise of it; `undefined` after the last.
   */
  eventAt(index: number): StreamEvent | undefined | Promise<StreamEvent | undefined> {
    if (index < this.received.length) return this.received[index]
    if (this.finished) return undefined
    // One provider read at a time, shared by every reader (the router's and `text()`); it
    // receives the event at `received.length`, which is `index` for a reader in step.
    if (!this.reading) {
      try {
        this.read()
      } catch (error) {
        return Promise.reject(error)
      }
    }
    const pulling = (this.pulling ??= new Promise(this.startPulling))
    return index === this.received.length ? pulling : pulling.then(() => this.eventAt(index))
  }

  /**
   * The router's own reader, in step with the stream: the event at `index` at once when it was
   * received already (`undefined` after the last), else `pendingEvent`, and the event goes to
   * `onEvent` (or the failure to `onError`) when it comes, never before this returns. No promise
   * of its own per event, as `eventAt` would need. Throws when reading cannot go on.
   */
  take(index: number, onEvent: (event: StreamEvent | undefined) => void, onError: (error: unknown) => void): StreamEvent | undefined | typeof pendingEvent {
    if (index < this.received.length) return this.received[index]
    if (this.finished) return undefined
    if (!this.reading) this.read()
    this.onEvent = onEvent
    this.onError = onError
    return pendingEvent
  }

  /** Every event, from the first: those already received at once, then each as the provider sends it. */
  events(): AsyncIterableIterator<StreamEvent> {
    // A plain iterator, not an async generator: a generator adds its own queue and ticks to every event.
    let index = 0
    const result = (event: StreamEvent | undefined): IteratorResult<StreamEvent> => {
      if (event === undefined) return { value: undefined, done: true }
      index += 1
      return { value: event, done: false }
    }
    return {
      next: () => {
        const event = this.eventAt(index)
        return event instanceof Promise ? event.then(result) : Promise.resolve(result(event))
      },
      [Symbol.asyncIterator]: returnThis,
    }
  }

  /** Reads the stream to its end; the events stay buffered for `events()`. */
  async text(): Promise<string> {
    while (!this.finished) await this.eventAt(this.received.length)
    return streamText(this.received)
  }

  /**
   * Records the stream's end: its usage on success (`usageKnown: false` when the stream ended
   * without reporting usage: its cost is unknown, not 0), its error on failure.
   */
  settle(outcome: { usage: Usage; usageKnown?: boolean; response?: ModelResponse } | { error: SwitchyardError; aborted?: boolean }): void {
    if (this.isSettled) return
    this.isSettled = true
    if (this.deadlineTimer !== undefined) clearTimeout(this.deadlineTimer)
    this.idleWatch?.unwatch(this)
    if (this.onAbort) this.attemptSignal.signal.removeEventListener('abort', this.onAbort)
    this.attemptSignal.release()
    if ('usage' in outcome) {
      // A strategy's own `events()` may have ended without reading this stream to its end.
      if (!this.finished) void this.iterator.return?.().catch(() => {})
      this.recorder.success(outcome.usage, outcome.usageKnown ?? true, outcome.response)
    } else {
      // The provider stream may still be open (a hook stopped it, or the consumer failed): close it.
      void this.iterator.return?.().catch(() => {})
      this.recorder.failure(outcome.error, outcome.aborted ?? false, this.reportedUsage())
    }
    this.resolveSettled?.(this.attempt)
  }

  cancel(): void {
    if (this.isSettled) return
    this.attemptSignal.abort(new Error('cancelled by strategy'))
    this.settle({ error: new AbortedError('The attempt was cancelled by the strategy.', this.details()), aborted: true })
  }

  /** The usage the provider reported before the stream was abandoned, when it got that far. */
  private reportedUsage(): Usage | undefined {
    for (const event of this.received) if (event.type === 'finish') return event.usage
    return undefined
  }

  private details() {
    return { provider: this.candidate.provider, model: this.candidate.model }
  }
}
