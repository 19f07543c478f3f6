/**
 * Work a router does off the hot path (A/B shadow runs, judge calls, whatever features register),
 * so `router.close()` can wait for it instead of the process exiting under it.
 */
export class BackgroundWork {
  private readonly pending = new Set<Promise<unknown>>()
  private readonly closers: Array<() => unknown> = []

  /** Keeps track of `work` until it settles; its failure is the work's own business. */
  track(work: Promise<unknown>): void {
    const forget = (): void => void this.pending.delete(settled)
    const settled: Promise<void> = work.then(forget, forget)
    this.pending.add(settled)
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
