/**
 * The router as a local OpenAI- and Anthropic-compatible HTTP endpoint, on Node's own `http`. It
 * listens on 127.0.0.1 only and answers only clients that present its token (any process on the
 * machine could otherwise spend your provider keys):
 *
 *   SWITCHYARD_TOKEN=$(openssl rand -hex 24) npx tsx examples/node-server.ts   # PORT to change 8787
 *   curl localhost:8787/v1/chat/completions -H "authorization: Bearer $SWITCHYARD_TOKEN" \
 *        -H 'content-type: application/json' -d '{"model":"default","messages":[{"role":"user","content":"Hi"}]}'
 *   new OpenAI({ baseURL: 'http://localhost:8787/v1', apiKey: process.env.SWITCHYARD_TOKEN })
 *   new Anthropic({ baseURL: 'http://localhost:8787', apiKey: process.env.SWITCHYARD_TOKEN })
 *
 * Without SWITCHYARD_TOKEN it makes up a token and prints it.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable, pipeline } from 'node:stream'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'
import { pathToFileURL } from 'node:url'
import type { Router } from '../src/index.js'
import { router } from './serverless-route.js'

/** The token a client sent: OpenAI's SDK sends `authorization: Bearer …`, Anthropic's `x-api-key`. */
function presentedToken(incoming: IncomingMessage): string {
  const bearer = /^Bearer\s+(.+)$/i.exec(incoming.headers.authorization ?? '')?.[1]
  const apiKey = incoming.headers['x-api-key']
  return bearer ?? (typeof apiKey === 'string' ? apiKey : '')
}

// Digests have one length, so the comparison takes the same time whatever was sent.
const digest = (text: string) => createHash('sha256').update(text).digest()

/** A `node:http` request listener that hands every request bearing `token` to `router.fetch`. */
export function nodeHandler(target: Router, token: string) {
  if (token.length < 16) throw new Error('nodeHandler needs a token of at least 16 characters.')
  const expected = digest(token)
  return async (incoming: IncomingMessage, outgoing: ServerResponse) => {
    if (!timingSafeEqual(digest(presentedToken(incoming)), expected)) {
      outgoing.writeHead(401, { 'content-type': 'application/json' })
      return void outgoing.end(JSON.stringify({ error: { message: 'A valid token is required (authorization: Bearer <token> or x-api-key).', type: 'authentication_error', code: 'invalid_token' } }))
    }
    // Cancels the routed call (and its provider request) when the client goes away.
    const abort = new AbortController()
    outgoing.on('close', () => abort.abort())
    const hasBody = incoming.method !== 'GET' && incoming.method !== 'HEAD'
    const response = await target
      .fetch(`http://localhost${incoming.url}`, {
        method: incoming.method,
        headers: incoming.headers as Record<string, string>,
        body: hasBody ? (Readable.toWeb(incoming) as ReadableStream) : undefined,
        signal: abort.signal,
        // Node's fetch requires this for a streamed request body.
        ...(hasBody ? { duplex: 'half' } : {}),
      } as RequestInit)
      .catch(() => new Response(null, { status: 499 }))
    outgoing.writeHead(response.status, Object.fromEntries(response.headers))
    if (!response.body) return void outgoing.end()
    // pipeline, not pipe: a client leaving mid-stream fails the body with an AbortError, which
    // must end here rather than as an unhandled 'error' event that takes the server down.
    pipeline(Readable.fromWeb(response.body as NodeReadableStream), outgoing, () => {})
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.env.PORT ?? 8787)
  const token = process.env.SWITCHYARD_TOKEN ?? randomBytes(24).toString('hex')
  if (!process.env.SWITCHYARD_TOKEN) console.log(`No SWITCHYARD_TOKEN set; clients must send this one: ${token}`)
  const server = createServer(nodeHandler(router, token))
  server.listen(port, '127.0.0.1', () => {
    const address = server.address() as AddressInfo
    console.log(`Switchyard listening on http://${address.address}:${address.port}/v1`)
  })
}
