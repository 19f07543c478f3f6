/**
 * The router as a local OpenAI- and Anthropic-compatible HTTP endpoint, on Node's own `http`:
 *
 *   npx tsx examples/node-server.ts            # listens on http://localhost:8787
 *   curl localhost:8787/v1/chat/completions -d '{"model":"default","messages":[{"role":"user","content":"Hi"}]}'
 *   new OpenAI({ baseURL: 'http://localhost:8787/v1', apiKey: 'unused' })
 *   new Anthropic({ baseURL: 'http://localhost:8787', apiKey: 'unused' })
 */
import { createServer } from 'node:http'
import { Readable } from 'node:stream'
import { router } from './serverless-route.js'

const port = Number(process.env.PORT ?? 8787)

createServer(async (incoming, outgoing) => {
  // Cancels the routed call (and its provider request) when the client goes away.
  const abort = new AbortController()
  outgoing.on('close', () => abort.abort())
  const hasBody = incoming.method !== 'GET' && incoming.method !== 'HEAD'
  const response = await router.fetch(`http://localhost:${port}${incoming.url}`, {
    method: incoming.method,
    headers: incoming.headers as Record<string, string>,
    body: hasBody ? (Readable.toWeb(incoming) as ReadableStream) : undefined,
    signal: abort.signal,
    // Node's fetch requires this for a streamed request body.
    ...(hasBody ? { duplex: 'half' } : {}),
  } as RequestInit).catch(() => new Response(null, { status: 499 }))
  outgoing.writeHead(response.status, Object.fromEntries(response.headers))
  if (response.body) Readable.fromWeb(response.body as import('node:stream/web').ReadableStream).pipe(outgoing)
  else outgoing.end()
}).listen(port, () => console.log(`Switchyard listening on http://localhost:${port}/v1`))
