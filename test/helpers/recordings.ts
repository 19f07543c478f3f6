import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../fixtures/recorded/', import.meta.url))

/** A recorded non-streaming response body, parsed. */
export function recordedJson<T = any>(provider: string, name: string): T {
  return JSON.parse(readFileSync(`${root}${provider}/${name}.json`, 'utf8')) as T
}

/** A recorded stream: one parsed SSE `data:` payload per line. */
export function recordedChunks<T = any>(provider: string, name: string): T[] {
  return readFileSync(`${root}${provider}/${name}.chunks.txt`, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T)
}

export interface SseOptions {
  /** Anthropic names each event after its payload's `type`. */
  namedEvents?: boolean
  /** OpenAI-compatible streams end with `data: [DONE]`. */
  done?: boolean
  /** Stop after this many payloads and break the connection (a stream that fails mid-way). */
  breakAfter?: number
}

/** A `text/event-stream` Response replaying the payloads, for msw handlers. */
export function sseResponse(payloads: unknown[], options: SseOptions = {}): Response {
  const encoder = new TextEncoder()
  const events = payloads.map((payload) => {
    const event = options.namedEvents ? `event: ${(payload as { type: string }).type}\n` : ''
    return encoder.encode(`${event}data: ${JSON.stringify(payload)}\n\n`)
  })
  let next = 0
  // Pull-based, one event per pull: erroring in `start` would discard the events queued before it,
  // so a "break after N" stream would deliver nothing at all.
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (options.breakAfter !== undefined && next >= options.breakAfter) {
        controller.error(new Error('connection reset'))
        return
      }
      if (next < events.length) {
        controller.enqueue(events[next++]!)
        return
      }
      if (options.done) controller.enqueue(encoder.encode('data: [DONE]\n\n'))
      controller.close()
    },
  })
  return new Response(stream, { headers: { 'content-type': 'text/event-stream' } })
}
