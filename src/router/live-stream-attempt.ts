import { AbortedError, type SwitchyardError } from '../errors/errors.js'
import { streamText } from '../internal/answer-text.js'
import type { AttemptSignal } from './attempt-signal.js'
import type { AttemptRecorder } from './attempt-recorder.js'
import type { Attempt, ModelResponse } from '../spec/response.js'
import type { StreamEvent } from '../spec/stream-event.js'
import type { Usage } from '../spec/usage.js'
import type { Candidate, StreamAttemptResult } from '../spec/strategy.js'

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

  constructor(
    readonly candidate: Candidate,
    readonly attempt: Attempt,
    buffered: StreamEvent[],
    private readonly iterator: AsyncIterator<StreamEvent>,
    private readonly attemptSignal: AttemptSignal,
    private readonly recorder: AttemptRecorder,
  ) {
    this.received = buffered
    this.settled = new Promise((resolve) => (this.resolveSettled = resolve))
  }

  /** The signal the provider stream runs under. */
  get signal(): AbortSignal {
    return this.attemptSignal.signal
  }

  async *events(): AsyncGenerator<StreamEvent> {
    let index = 0
    while (true) {
      if (index < this.received.length) yield this.received[index++]!
      else if (this.finished) return
      else await this.pull()
    }
  }

  /** Reads the stream to its end; the events stay buffered for `events()`. */
  async text(): Promise<string> {
    while (!this.finished) await this.pull()
    return streamText(this.received)
  }

  // One provider read at a time, shared by every reader (the router's consumer and `text()`).
  private pull(): Promise<void> {
    this.pulling ??= this.attemptSignal.guard(this.iterator.next()).then(
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
