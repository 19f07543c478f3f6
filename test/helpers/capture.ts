import { http } from 'msw'
import type { SetupServer } from 'msw/node'

/** What the server saw of one request the real SDK sent. */
export interface CapturedRequest {
  url: string
  headers: Headers
  body: Record<string, any>
  /** The signal msw saw for the request: aborted when the client gave up on it. */
  signal: AbortSignal
  /** Kept so that `signal` keeps following the client's (see `WireCall.request` in provider-wire). */
  request?: Request
}

/** Builds the answer to the request with this index (0 for the first). */
export type Responder = (body: Record<string, any>, call: number) => Response | Promise<Response>

/**
 * Serves `POST url` with `respond` and records every request, body parsed, so tests can assert on
 * the exact wire format an SDK sent. The returned array fills as requests arrive.
 */
export function serveAndCapture(server: SetupServer, url: string, respond: Responder): CapturedRequest[] {
  const captured: CapturedRequest[] = []
  server.use(
    http.post(url, async ({ request }) => {
      const body = (await request.json()) as Record<string, any>
      captured.push({ url: request.url, headers: request.headers, body, signal: request.signal, request })
      return respond(body, captured.length - 1)
    }),
  )
  return captured
}
