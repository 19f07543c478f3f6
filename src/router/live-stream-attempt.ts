import { AbortedError, TimeoutError, type SwitchyardError } from '../errors/errors.js'
import { streamText } from '../internal/answer-text.js'
import type { AttemptSignal } from './attempt-signal.js'
import type { AttemptRecorder } from './attempt-recorder.js'
import type { Attempt, ModelResponse } from '../spec/response.js'
import type { StreamEvent } from '../spec/stream-event.js'
import type { Usage } from '../spec/usage.js'
import type { Candidate, StreamAttemptResult } from '../spec/strategy.js'

/** Bounds on a stream after its first token (`createRouter({ streams })`). */
export interface StreamLimits {
  /** The longest wait for the next event while the stream is being read, in ms. */
  idleTimeoutMs: number
  /** The longest a whole stream may take from the attempt's start, in ms; none when undefined. */
  deadlineMs?: number
}

/**
 * A stream attempt that produced its first token. The router drains `events()`; `settle()` closes
 * the attempt's record once the stream ends, fails or is abandoned.
 */
export class LiveStreamAttempt implements StreamAttemptResult {
  readonly operation = 'stream'
  readonly settled: Promise<Attempt>
  private isSettled = false
  private resolveSettled!: (attempt: Attempt) => void
  /** Every event received so far: `events()` and `text()` both read from here. */
  private readonly received: StreamEvent[]
  private finished = false
  private pulling: Promise<void> | undefined
  /** Set when the stream went quiet too long or ran past its deadline; every later read fails with it. */
  private limitError: TimeoutError | undefined
  private deadlineTimer: ReturnType<typeof setTimeout> | undefined
  private idleTimer: ReturnType<typeof setTimeout> | undefined
  /** When the pending provider read started; `undefined` while none is pending. */
  private readStartedAt: number | undefined
  private stopWaiting: ((error: TimeoutError) => void) | undefined

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
    this.settled = new Promise((resolve) => (this.resolveSettled = resolve))
    if (limits.deadlineMs !== undefined) {
      const remaining = Math.max(0, limits.deadlineMs - (performance.now() - recorder.startedAt))
      this.deadlineTimer = setTimeout(() => this.stop(`did not finish within its ${limits.deadlineMs} ms deadline`), remaining)
    }
  }

  /** Ends a stream that broke a limit: the provider stream is aborted and the pending read fails. */
  private stop(reason: string): void {
    if (this.finished || this.isSettled || this.limitError) return
    const { provider, model, id } = this.candidate
    this.limitError = new TimeoutError(`${id}: the stream ${reason}.`, { provider, model, retryable: true })
    this.attemptSignal.abort(this.limitError)
    void this.iterator.return?.().catch(() => {})
    this.stopWaiting?.(this.limitError)
  }

  /** The provider's next event, or a `TimeoutError` when none comes within the idle timeout or the deadline. */
  private nextWithinLimits(): Promise<IteratorResult<StreamEvent>> {
    if (this.limitError) return Promise.reject(this.limitError)
    const next = this.attemptSignal.guard(this.iterator.next())
    if (this.limits.idleTimeoutMs <= 0 && this.deadlineTimer === undefined) return next
    this.readStartedAt = performance.now()
    this.watchIdle()
    return new Promise((resolve, reject) => {
      this.stopWaiting = (error) => {
        next.catch(() => {})
        reject(error)
      }
      next.then(
        (value) => {
          this.stopWaiting = undefined
          this.readStartedAt = undefined
          resolve(value)
        },
        (error: unknown) => {
          this.stopWaiting = undefined
          this.readStartedAt = undefined
          reject(this.limitError ?? error)
        },
      )
    })
  }

  /**
   * One idle timer per stream rather than one per read (a timer is dear next to a chunk): it
   * fires at most once per idle period, ends the stream when the pending read has waited that
   * long, and otherwise waits for what is left of the period; with no read pending it lapses.
   */
  private watchIdle(): void {
    const idleMs = this.limits.idleTimeoutMs
    if (idleMs <= 0 || this.idleTimer !== undefined) return
    const check = () => {
      this.idleTimer = undefined
      if (this.readStartedAt === undefined || this.isSettled) return
      const waited = performance.now() - this.readStartedAt
      if (waited >= idleMs) return this.stop(`sent nothing for ${idleMs} ms`)
      this.idleTimer = setTimeout(check, idleMs - waited)
    }
    this.idleTimer = setTimeout(check, idleMs)
  }

  /** The signal the provider stream runs under. */
  get signal(): AbortSignal {
    return this.attemptSignal.signal
  }

  /** Every event, from the first: those already received at once, then each as the provider sends it. */
  events(): AsyncIterableIterator<StreamEvent> {
    // A plain iterator, not an async generator: a generator adds its own queue and ticks to every event.
    let index = 0
    const next = (): Promise<IteratorResult<StreamEvent>> => {
      if (index < this.received.length) return Promise.resolve({ value: this.received[index++]!, done: false })
      if (this.finished) return Promise.resolve({ value: undefined, done: true })
      return this.pull().then(next)
    }
    return {
      next,
      [Symbol.asyncIterator]() {
        return this
      },
    }
  }

  /** Reads the stream to its end; the events stay buffered for `events()`. */
  async text(): Promise<string> {
    while (!this.finished) await this.pull()
    return streamText(this.received)
  }

  // One provider read at a time, shared by every reader (the router's consumer and `text()`).
  private pull(): Promise<void> {
    this.pulling ??= this.nextWithinLimits().then(
      (next) => {
        this.pulling = undefined
        if (next.done) this.finished = true
        else {
          // A hook watching the stream (a cost cap) may throw here to stop it.
          this.recorder.progress(next.value, next.value.type === 'finish' ? next.value.usage : undefined)
          this.received.push(next.value)
        }
      },
      (error: unknown) => {
        this.pulling = undefined
        throw error
      },
    )
    return this.pulling
  }

  /**
   * Records the stream's end: its usage on success (`usageKnown: false` when the stream ended
   * without reporting usage: its cost is unknown, not 0), its error on failure.
   */
  settle(outcome: { usage: Usage; usageKnown?: boolean; response?: ModelResponse } | { error: SwitchyardError; aborted?: boolean }): void {
    if (this.isSettled) return
    this.isSettled = true
    clearTimeout(this.deadlineTimer)
    clearTimeout(this.idleTimer)
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
    this.resolveSettled(this.attempt)
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
