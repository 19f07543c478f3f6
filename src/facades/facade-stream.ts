import { eitherSignal } from '../internal/abortable.js'

/**
 * What a facade's `create({ stream: true })` resolves to: the dialect's events, plus the
 * `controller` the official SDKs' streams also carry (aborting it cancels the routed call).
 */
export interface FacadeStream<T> extends AsyncIterable<T> {
  readonly controller: AbortController
}

/** Joins the caller's signal (if any) with a controller of our own, so either one aborts the call. */
export function linkedController(signal: AbortSignal | undefined): { controller: AbortController; signal: AbortSignal } {
  const controller = new AbortController()
  return { controller, signal: signal ? eitherSignal(signal, controller.signal) : controller.signal }
}

/**
 * Waits for the first item before resolving, as the official SDKs do: a call that fails before
 * its first token (unknown model, every provider down) rejects here, so an HTTP endpoint can still
 * answer with a proper status instead of a broken stream.
 */
export async function startStream<T>(source: AsyncIterable<T>, controller: AbortController): Promise<FacadeStream<T>> {
  const iterator = source[Symbol.asyncIterator]()
  const first = await iterator.next()
  let consumed = false
  return {
    controller,
    async *[Symbol.asyncIterator](): AsyncGenerator<T> {
      if (consumed) throw new Error('This stream has already been consumed; make a new call for a new stream.')
      consumed = true
      try {
        if (first.done) return
        yield first.value
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value
      } finally {
        // Stops the routed call when the consumer leaves early; a no-op after a complete stream.
        await iterator.return?.(undefined)
      }
    },
  }
}
