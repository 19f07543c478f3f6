/**
 * The router as a local OpenAI- and Anthropic-compatible HTTP endpoint, on Node's own `http`:
 *
 *   npx tsx examples/node-server.ts            # listens on http://localhost:8787 (PORT to change it)
 *   curl localhost:8787/v1/chat/completions -d '{"model":"default","messages":[{"role":"user","content":"Hi"}]}'
 *   new OpenAI({ baseURL: 'http://localhost:8787/v1', apiKey: 'unused' })
 *   new Anthropic({ baseURL: 'http://localhost:8787', apiKey: 'unused' })
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { Readable, pipeline } from 'node:stream'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'
import { pathToFileURL } from 'node:url'
import type { Router } from '../src/index.js'
import { router } from './serverless-route.js'

/** A `node:http` request listener that hands every request to `router.fetch`. */
export function nodeHandler(target: Router) {
  return async (incoming: IncomingMessage, outgoing: ServerResponse) => {
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
  createServer(nodeHandler(router)).listen(port, () => console.log(`Switchyard listening on http://localhost:${port}/v1`))
}
