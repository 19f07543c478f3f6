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

/** Where there are immediates (Node, Bun, Deno); elsewhere each event wakes a waiting client at once. */
const batchesWakes = typeof setImmediate === 'function' && typeof clearImmediate === 'function'

/** How much event text is read ahead of a client that is not reading, before the source is paused. */
const readAheadChars = 64 * 1024

/**
 * A `text/event-stream` body from an async iterable, each item made an event by `toEvent` as it
 * arrives, `last` after the final one. A failure mid-stream is turned into a last event by
 * `onError` (each dialect has its own), never into a broken connection; a client that aborts or
 * goes away cancels the source.
 *
 * The source is read as its items come, not as the client reads: a client waiting for data gets
 * its first event as soon as it is made, and after that the events the source has at hand
 * together (the events one upstream read brought, or those made while the client was busy), as a
 * network connection delivers what arrived meanwhile. (One chunk per event would cost the client
 * a stream read, and its SSE parser a buffer copy, for every event.) Reading ahead stops at
 * `readAheadChars` until the client reads again.
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

  /** Whether the client has been handed anything yet. */
  let delivered = false
  let wakeLater: ReturnType<typeof setImmediate> | undefined
  const wakeNow = () => {
    if (wakeLater !== undefined) clearImmediate(wakeLater)
    wakeLater = undefined
    const resume = wake
    wake = undefined
    resume?.()
  }
  // Once the first event is out, a waiting client is woken once the events the source has at
  // hand are made, rather than at the first of them: one upstream read (which often carries
  // several events) becomes one chunk for the client, not one chunk per event. (The source's
  // events at hand come through promise jobs, which all run before an immediate.)
  const arrived = () => {
    if (wake === undefined || wakeLater !== undefined) return
    if (delivered && batchesWakes) wakeLater = setImmediate(wakeNow)
    else wakeNow()
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
      wakeNow()
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
          delivered = true
        }
        if (ended) controller.close()
        else if (!reading) void readSource()
      },
      async cancel() {
        cancelled = true
        wakeNow()
        await iterator.return?.(undefined)
      },
    },
    // Pulled only when the client reads: what is read ahead waits in `pending`, as one chunk.
    { highWaterMark: 0 },
  )
}

export const sseHeaders = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' }
