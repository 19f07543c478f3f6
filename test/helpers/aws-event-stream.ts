import { EventStreamCodec } from '@smithy/core/event-streams'
import { fromUtf8, toUtf8 } from '@smithy/core/serde'

const codec = new EventStreamCodec(toUtf8, fromUtf8)
const stringHeader = (value: string) => ({ type: 'string' as const, value })

/**
 * One AWS event-stream frame (`application/vnd.amazon.eventstream`) carrying a Converse stream
 * event: `{ contentBlockDelta: {...} }` becomes a frame whose `:event-type` header is the member's
 * name and whose payload is the member's JSON, with the prelude and message CRCs computed.
 */
export function eventFrame(event: Record<string, unknown>): Uint8Array {
  const [type, payload] = Object.entries(event)[0]!
  return codec.encode({
    headers: { ':message-type': stringHeader('event'), ':event-type': stringHeader(type), ':content-type': stringHeader('application/json') },
    body: fromUtf8(JSON.stringify(payload)),
  })
}

/** A modelled exception raised inside the stream (`throttlingException`, `modelStreamErrorException`, ...). */
export function exceptionFrame(exceptionType: string, message: string): Uint8Array {
  return codec.encode({
    headers: { ':message-type': stringHeader('exception'), ':exception-type': stringHeader(exceptionType), ':content-type': stringHeader('application/json') },
    body: fromUtf8(JSON.stringify({ message })),
  })
}

/** A `Response` streaming the events as frames; `breakAfter` fails the body after that many frames. */
export function eventStreamResponse(events: readonly Record<string, unknown>[], options: { breakAfter?: number; until?: AbortSignal; after?: Uint8Array[] } = {}): Response {
  const frames = [...events.map(eventFrame), ...(options.after ?? [])]
  let next = 0
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (options.breakAfter !== undefined && next >= options.breakAfter) {
        // A moment first, so what was sent before the break reaches the client.
        await new Promise((resolve) => setTimeout(resolve, 50))
        controller.error(new Error('connection reset'))
        return
      }
      if (next < frames.length) {
        controller.enqueue(frames[next++]!)
        return
      }
      if (options.until) {
        if (!options.until.aborted) await new Promise((resolve) => options.until!.addEventListener('abort', resolve, { once: true }))
      }
      controller.close()
    },
  })
  return new Response(stream, { headers: { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'req-local-0001' } })
}
