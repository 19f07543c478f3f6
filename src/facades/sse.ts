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

function encode(event: ServerSentEvent): Uint8Array {
  return encoder.encode(`${event.event ? `event: ${event.event}\n` : ''}data: ${event.data}\n\n`)
}

/**
 * A `text/event-stream` body from an async iterable, each item made an event by `toEvent` as it is
 * sent (no generator in between), `last` after the final one. A failure mid-stream is turned into
 * a last event by `onError` (each dialect has its own), never into a broken connection; a client
 * that aborts or goes away cancels the source.
 */
export function sseBody<Item>(
  source: AsyncIterable<Item>,
  toEvent: (item: Item) => ServerSentEvent,
  onError: (error: unknown) => ServerSentEvent[],
  signal: AbortSignal | undefined,
  last?: ServerSentEvent,
): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await iterator.next()
        if (next.done) {
          if (last) controller.enqueue(encode(last))
          controller.close()
        } else controller.enqueue(encode(toEvent(next.value)))
      } catch (error) {
        // The client aborted: its body read fails with the abort, as a network body would.
        if (signal?.aborted) return controller.error(abortError(signal))
        for (const event of onError(error)) controller.enqueue(encode(event))
        controller.close()
      }
    },
    async cancel() {
      await iterator.return?.(undefined)
    },
  })
}

export const sseHeaders = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' }
