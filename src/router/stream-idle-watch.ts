/** What the idle watch reads of a stream it watches, and how it ends one. */
export interface IdleWatched {
  /** When the stream's pending provider read started (`performance.now()`); `undefined` while none is pending. */
  readonly readStartedAt: number | undefined
  /** The pending read has waited the whole idle timeout: the stream ends. */
  idled(): void
}

/**
 * One timer for all of a router's streams rather than one per stream (a timer costs more than a
 * chunk). A stream is watched from its first read: the timer fires when the oldest pending read
 * may have waited the idle timeout, ends each stream whose pending read has, and waits for what is
 * left of the period for the others; a stream with no read pending then lapses until its next
 * read. The timer holds the process open only while some stream is watched, as a stream's own
 * timer would.
 */
export class StreamIdleWatch {
  private readonly streams = new Set<IdleWatched>()
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(readonly idleMs: number) {}

  /** Called at every read (cheap when the stream is watched already). */
  watch(stream: IdleWatched): void {
    const watched = this.streams.size
    this.streams.add(stream)
    if (this.streams.size === watched) return
    // A timer already armed fires no later than this read could time out: the read starts now,
    // and the timer was armed for at most the timeout from an earlier moment.
    if (this.timer === undefined) this.timer = setTimeout(this.check, this.idleMs)
    else if (watched === 0) this.timer.ref?.()
  }

  unwatch(stream: IdleWatched): void {
    if (this.streams.delete(stream) && this.streams.size === 0) this.timer?.unref?.()
  }

  private readonly check = () => {
    this.timer = undefined
    const now = performance.now()
    let soonest = this.idleMs
    for (const stream of this.streams) {
      const startedAt = stream.readStartedAt
      if (startedAt !== undefined && now - startedAt < this.idleMs) {
        soonest = Math.min(soonest, this.idleMs - (now - startedAt))
        continue
      }
      this.streams.delete(stream)
      if (startedAt !== undefined) stream.idled()
    }
    if (this.streams.size > 0) this.timer = setTimeout(this.check, soonest)
  }
}
