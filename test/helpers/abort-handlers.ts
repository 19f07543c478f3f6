import { http, HttpResponse } from 'msw'
import type { SetupServer } from 'msw/node'
import { expect } from 'vitest'
import { AbortedError, type ChatChunk } from '../../src/index.js'

/** What the server saw of the client's request; `signal.aborted` once the client gave up on it. */
export interface SeenRequest {
  signal?: AbortSignal
}

/** Serves `POST url` like a model that never answers: the response comes only once the client aborts. */
export function serveUntilAborted(server: SetupServer, url: string, onRequest: () => void = () => {}): SeenRequest {
  const seen: SeenRequest = {}
  server.use(
    http.post(url, ({ request }) => {
      seen.signal = request.signal
      onRequest()
      return new Promise<Response>((resolve) => request.signal.addEventListener('abort', () => resolve(HttpResponse.json({}))))
    }),
  )
  return seen
}

/** Serves `POST url` as an SSE stream that sends one `data:` payload and then stalls. */
export function serveStalledStream(server: SetupServer, url: string, payload: unknown): SeenRequest {
  const seen: SeenRequest = {}
  server.use(
    http.post(url, ({ request }) => {
      seen.signal = request.signal
      const body = new ReadableStream<Uint8Array>({
        start(stream) {
          stream.enqueue(new TextEncoder().encode(`data: ${JSON.stringify(payload)}\n\n`))
        },
      })
      return new HttpResponse(body, { headers: { 'content-type': 'text/event-stream' } })
    }),
  )
  return seen
}

/** Iterates a stream and aborts it at its first chunk; returns the text received and what iteration threw. */
export async function abortAtFirstChunk(start: (signal: AbortSignal) => AsyncIterable<ChatChunk>): Promise<{ text: string; error: unknown }> {
  const controller = new AbortController()
  let text = ''
  try {
    for await (const chunk of start(controller.signal)) {
      text += chunk.choices[0]?.delta.content ?? ''
      controller.abort()
    }
  } catch (error) {
    return { text, error }
  }
  return { text, error: undefined }
}

/**
 * Checks that aborting a chat call cancels its pending HTTP request (served at `url`, never
 * answered) and rejects the call with `AbortedError`.
 */
export async function expectPendingCallAborted(server: SetupServer, url: string, call: (signal: AbortSignal) => Promise<unknown>): Promise<void> {
  const controller = new AbortController()
  const seen = serveUntilAborted(server, url, () => setTimeout(() => controller.abort(), 10))
  await expect(call(controller.signal)).rejects.toBeInstanceOf(AbortedError)
  expect(seen.signal?.aborted).toBe(true)
}

/**
 * Checks that aborting a stream at its first chunk (`payload`, served at `url` before the stream
 * stalls) ends iteration with `AbortedError` and cancels the HTTP stream; `firstText` is what the
 * first chunk must have carried.
 */
export async function expectStreamAbortedAtFirstChunk(
  server: SetupServer,
  url: string,
  payload: unknown,
  firstText: string,
  start: (signal: AbortSignal) => AsyncIterable<ChatChunk>,
): Promise<void> {
  const seen = serveStalledStream(server, url, payload)
  const { text, error } = await abortAtFirstChunk(start)
  expect(text).toBe(firstText)
  expect(error).toBeInstanceOf(AbortedError)
  expect(seen.signal?.aborted).toBe(true)
}
