/** The router's background work as its calls and features see it. */
export interface BackgroundWorkService {
  track(work: Promise<unknown>): void
  idle(): Promise<void>
  onClose(closer: () => unknown): void
  close(): Promise<void>
}

/**
 * Work a router does off the hot path (A/B shadow runs, judge calls, whatever features register),
 * so `router.close()` can wait for it instead of the process exiting under it.
 */
export class BackgroundWork implements BackgroundWorkService {
  private readonly pending = new Set<Promise<unknown>>()
  private readonly closers: Array<() => unknown> = []

  /** Keeps track of `work` until it settles; its failure is the work's own business. */
  track(work: Promise<unknown>): void {
    const forget = (): void => void this.pending.delete(settled)
    const settled: Promise<void> = work.then(forget, forget)
    this.pending.add(settled)
  }

  /**
   * The same work, each piece tracked here and also handed to `waitUntil`: a serverless platform
   * (a Worker's `ctx.waitUntil`) may stop an isolate once the response is sent unless told to wait.
   */
  handingTo(waitUntil: (work: Promise<unknown>) => void): BackgroundWorkService {
    return {
      track: (work) => {
        this.track(work)
        waitUntil(work)
      },
      idle: () => this.idle(),
      onClose: (closer) => this.onClose(closer),
      close: () => this.close(),
    }
  }

  /** Resolves once no tracked work is in flight (work started meanwhile is waited for too). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending])
  }

  /** Registers a clean-up step (flush telemetry, release a connection) run once by `close()`. */
  onClose(closer: () => unknown): void {
    this.closers.push(closer)
  }

  /** Waits for tracked work, then runs each clean-up step in registration order. */
  async close(): Promise<void> {
    await this.idle()
    for (const closer of this.closers.splice(0)) {
      try {
        await closer()
      } catch {
        // One feature failing to clean up must not keep the others from it.
      }
    }
  }
}
