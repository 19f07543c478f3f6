/** One event of a `text/event-stream` body. */
export interface ServerSentEvent {
  /** The `event:` field; `undefined` for unnamed events. */
  event: string | undefined
  /** The `data:` lines, joined with newlines. */
  data: string
}

/**
 * Reads a `text/event-stream` body (a `fetch` response body) as events, for adapters that talk HTTP
 * themselves. Comments and `id:` / `retry:` fields are skipped. Ends when the body ends; a body cut
 * off mid-way throws what the transport threw (undici's `terminated`), which the kit classifies
 * as a connection failure.
 */
export async function* readServerSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  let event: string | undefined
  let data: string[] = []
  let finished = false
  try {
    while (true) {
      const { value, done } = await reader.read()
      if (done) {
        finished = true
        break
      }
      buffer += decoder.decode(value, { stream: true })
      let newline: number
      while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, newline)
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1))
        if (line === '') {
          if (data.length > 0) yield { event, data: data.join('\n') }
          event = undefined
          data = []
          continue
        }
        if (line.startsWith(':')) continue
        const colon = line.indexOf(':')
        const field = colon < 0 ? line : line.slice(0, colon)
        const fieldValue = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
        if (field === 'data') data.push(fieldValue)
        else if (field === 'event') event = fieldValue
      }
    }
    if (data.length > 0) yield { event, data: data.join('\n') }
  } finally {
    // A consumer that stops early (or an abort) releases the connection.
    if (!finished) await reader.cancel().catch(() => {})
    reader.releaseLock()
  }
}
