import { abortable } from '../../internal/abortable.js'
import { AnthropicStreamErrorEvent, StreamConnectionLost } from './anthropic-errors.js'

function isProviderOrAbortError(error: unknown): boolean {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as { name?: string; status?: unknown; type?: unknown }
  return (
    typeof shape.status === 'number' ||
    typeof shape.type === 'string' ||
    shape.name === 'APIUserAbortError' ||
    shape.name === 'AbortError' ||
    error instanceof AnthropicStreamErrorEvent
  )
}

/**
 * Passes the SDK's stream events through, marking a failure to read the next one (that is not an
 * API error or an abort) as a lost connection: worth another try, unlike a bug in our own code.
 * Each read also ends when `signal` fires, even where the transport (a custom `fetch`) would not
 * cancel a response body that is already streaming.
 */
export async function* guardStreamTransport<Event>(events: AsyncIterable<Event>, signal: AbortSignal): AsyncGenerator<Event> {
  const iterator = events[Symbol.asyncIterator]()
  let finished = false
  try {
    while (true) {
      let next: IteratorResult<Event>
      try {
        next = await abortable(iterator.next(), signal)
      } catch (error) {
        if (signal.aborted) throw error
        finished = true
        if (isProviderOrAbortError(error)) throw error
        throw new StreamConnectionLost(`the connection broke mid-stream: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
      }
      if (next.done) {
        finished = true
        return
      }
      yield next.value
    }
  } finally {
    // Stopping early (the consumer left, or an abort) releases the SDK's connection. Not awaited:
    // after an abort a read may still be pending, and return() would wait for it.
    if (!finished) void iterator.return?.()?.catch(() => {})
  }
}
