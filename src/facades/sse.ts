/** What `fetch` rejects with when its request's signal aborts. */
export function abortError(signal: AbortSignal): unknown {
  return signal.reason instanceof Error && signal.reason.name === 'AbortError' ? signal.reason : new DOMException('This operation was aborted', 'AbortError')
}

/** One server-sent event: an optional event name and a JSON (or literal) data line. */
export interface ServerSentEvent {
  event?: string
  data: string
}

const encoder = new TextEncoder()

function eventText(event: ServerSentEvent): string {
  return event.event ? `event: ${event.event}\ndata: ${event.data}\n\n` : `data: ${event.data}\n\n`
}

/** How much event text is read ahead of a client that is not reading, before the source is paused. */
const readAheadChars = 64 * 1024

/**
 * A `text/event-stream` body from an async iterable, each item made an event by `toEvent` as it
 * arrives, `last` after the final one. A failure mid-stream is turned into a last event by
 * `onError` (each dialect has its own), never into a broken connection; a client that aborts or
 * goes away cancels the source.
 *
 * The source is read as its items come, not as the client reads: a client waiting for data gets
 * each event as soon as it is made, and the events made while it was busy reach it together in
 * one chunk, as a network connection delivers what arrived meanwhile. (One chunk per event would
 * cost the client a stream read, and its SSE parser a buffer copy, for every event.) Reading
 * ahead stops at `readAheadChars` until the client reads again.
 */
export function sseBody<Item>(
  source: AsyncIterable<Item>,
  toEvent: (item: Item) => ServerSentEvent,
  onError: (error: unknown) => ServerSentEvent[],
  signal: AbortSignal | undefined,
  last?: ServerSentEvent,
): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]()
  /** Event text made and not yet handed to the client. */
  let pending = ''
  /** The source has ended (its last events, if any, are in `pending`). */
  let ended = false
  /** What the client's read fails with, once its signal aborted the call. */
  let aborted: unknown
  let cancelled = false
  let reading = false
  /** Resumes a client read that is waiting for events. */
  let wake: (() => void) | undefined

  const arrived = () => {
    const resume = wake
    wake = undefined
    resume?.()
  }

  async function readSource(): Promise<void> {
    reading = true
    try {
      while (!cancelled && pending.length < readAheadChars) {
        const next = await iterator.next()
        if (cancelled) return
        if (next.done) {
          if (last) pending += eventText(last)
          ended = true
          return
        }
        pending += eventText(toEvent(next.value))
        arrived()
      }
    } catch (error) {
      // The client aborted: its body read fails with the abort, as a network body would.
      if (signal?.aborted) aborted = abortError(signal)
      else for (const event of onError(error)) pending += eventText(event)
      ended = true
    } finally {
      reading = false
      arrived()
    }
  }

  return new ReadableStream<Uint8Array>(
    {
      start() {
        void readSource()
      },
      async pull(controller) {
        if (pending === '' && !ended && aborted === undefined) {
          if (!reading) void readSource()
          await new Promise<void>((resolve) => (wake = resolve))
        }
        if (cancelled) return
        if (aborted !== undefined) return controller.error(aborted)
        if (pending !== '') {
          controller.enqueue(encoder.encode(pending))
          pending = ''
        }
        if (ended) controller.close()
        else if (!reading) void readSource()
      },
      async cancel() {
        cancelled = true
        arrived()
        await iterator.return?.(undefined)
      },
    },
    // Pulled only when the client reads: what is read ahead waits in `pending`, as one chunk.
    { highWaterMark: 0 },
  )
}

export const sseHeaders = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' }
