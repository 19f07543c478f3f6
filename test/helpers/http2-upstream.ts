import http2 from 'node:http2'
import type { AddressInfo } from 'node:net'

/** A request as the local HTTP/2 server received it. */
export interface Http2Request {
  method: string
  path: string
  headers: Record<string, string | string[] | undefined>
  body: string
  /** Aborted when the client reset or closed the stream before the answer ended. */
  signal: AbortSignal
}

export type Http2Responder = (request: Http2Request) => Response | Promise<Response>

export interface Http2Upstream {
  /** `http://127.0.0.1:<port>`: HTTP/2 without TLS (prior knowledge), which `http2.connect` speaks. */
  url: string
  /** Answers every request from now on with `respond` (no responder: 501, so a test fails loudly). */
  answer(respond: Http2Responder | undefined): void
  close(): Promise<void>
}

/**
 * A local cleartext HTTP/2 server on a free port of 127.0.0.1, for SDKs whose default transport is
 * HTTP/2 (the AWS SDK's Bedrock runtime client), which msw does not intercept. Answers are web
 * `Response`s; a body that errors mid-way resets the stream, as a broken connection would.
 */
export async function startHttp2Upstream(): Promise<Http2Upstream> {
  let responder: Http2Responder | undefined
  const server = http2.createServer()
  const sessions = new Set<http2.ServerHttp2Session>()
  server.on('session', (session) => {
    sessions.add(session)
    session.on('close', () => sessions.delete(session))
  })
  server.on('stream', (stream: http2.ServerHttp2Stream, headers) => {
    const chunks: Buffer[] = []
    const controller = new AbortController()
    let finished = false
    // A stream this server resets (a broken answer) or the client cancels reports it as an error; expected here.
    stream.on('error', () => {})
    stream.on('close', () => {
      if (!finished) controller.abort()
    })
    stream.on('data', (chunk: Buffer) => chunks.push(chunk))
    stream.on('end', async () => {
      const request: Http2Request = {
        method: String(headers[':method']),
        path: String(headers[':path']),
        headers: headers as Http2Request['headers'],
        body: Buffer.concat(chunks).toString('utf8'),
        signal: controller.signal,
      }
      const response = responder ? await responder(request) : new Response('no responder installed', { status: 501 })
      if (stream.destroyed) return
      const outgoing: http2.OutgoingHttpHeaders = { ':status': response.status }
      response.headers.forEach((value, name) => (outgoing[name] = value))
      stream.respond(outgoing)
      if (!response.body) {
        finished = true
        stream.end()
        return
      }
      const reader = response.body.getReader()
      try {
        while (true) {
          const { done, value } = await reader.read()
          if (done) break
          if (stream.destroyed) return
          stream.write(value)
        }
        finished = true
        stream.end()
      } catch {
        if (!stream.destroyed) stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR)
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    answer(respond) {
      responder = respond
    },
    close() {
      for (const session of sessions) session.destroy()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
