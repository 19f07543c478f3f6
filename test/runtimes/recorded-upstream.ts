import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { recordedChunks, recordedJson } from '../helpers/recordings.js'

/** One request the upstream received, as the provider would have seen it. */
export interface UpstreamRequest {
  provider: UpstreamProvider
  path: string
  /** The `authorization`, `x-api-key` and `x-goog-api-key` headers, as sent. */
  credentials: string
  body: Record<string, any>
}

export type UpstreamProvider = 'openai' | 'anthropic' | 'google' | 'mistral' | 'groq'

/**
 * A stand-in for api.openai.com, api.anthropic.com, Gemini's, Mistral's and Groq's APIs on
 * 127.0.0.1, answering from the recorded real traffic in `test/fixtures/recorded/`:
 * `/openai/v1/chat/completions`, `/anthropic/v1/messages`,
 * `/google/v1beta/models/<model>:generateContent` (and `:streamGenerateContent`),
 * `/mistral/v1/chat/completions` and `/groq/openai/v1/chat/completions`, streamed or not.
 * `failing` makes OpenAI or Anthropic answer 503 (overloaded), so a fallback has something to fall back from.
 */
export interface RecordedUpstream {
  url: string
  requests: UpstreamRequest[]
  failing: Set<'openai' | 'anthropic'>
  /** Milliseconds a provider waits before it answers: work that must outlive the response it serves. */
  delays: Map<UpstreamProvider, number>
  close(): Promise<void>
}

const openAIOverloaded = { error: { message: 'The engine is currently overloaded, please try again later.', type: 'server_error', param: null, code: null } }
const anthropicOverloaded = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = []
    request.on('data', (part: Buffer) => parts.push(part))
    request.on('end', () => resolve(Buffer.concat(parts).toString('utf8')))
    request.on('error', reject)
  })
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' })
  response.end(JSON.stringify(body))
}

function sendEvents(response: ServerResponse, payloads: unknown[], options: { namedEvents: boolean; done: boolean }): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  for (const payload of payloads) {
    const event = options.namedEvents ? `event: ${(payload as { type: string }).type}\n` : ''
    response.write(`${event}data: ${JSON.stringify(payload)}\n\n`)
  }
  if (options.done) response.write('data: [DONE]\n\n')
  response.end()
}

export async function startRecordedUpstream(): Promise<RecordedUpstream> {
  const requests: UpstreamRequest[] = []
  const failing = new Set<'openai' | 'anthropic'>()
  const delays = new Map<UpstreamProvider, number>()
  const pause = (provider: UpstreamProvider) => new Promise((resolve) => setTimeout(resolve, delays.get(provider) ?? 0))

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://upstream').pathname
    const text = await readBody(request)
    const body = text === '' ? {} : (JSON.parse(text) as Record<string, any>)
    const credentials = [request.headers.authorization, request.headers['x-api-key'], request.headers['x-goog-api-key']].filter(Boolean).join(' ')
    if (request.method === 'POST' && path === '/openai/v1/chat/completions') {
      requests.push({ provider: 'openai', path, credentials, body })
      await pause('openai')
      if (failing.has('openai')) return sendJson(response, 503, openAIOverloaded)
      if (body.stream) return sendEvents(response, recordedChunks('openai', 'openai-text'), { namedEvents: false, done: true })
      return sendJson(response, 200, recordedJson('openai', 'openai-text'))
    }
    if (request.method === 'POST' && path === '/anthropic/v1/messages') {
      requests.push({ provider: 'anthropic', path, credentials, body })
      await pause('anthropic')
      if (failing.has('anthropic')) return sendJson(response, 529, anthropicOverloaded)
      if (body.stream) return sendEvents(response, recordedChunks('anthropic', 'anthropic-text'), { namedEvents: true, done: false })
      return sendJson(response, 200, recordedJson('anthropic', 'anthropic-text'))
    }
    const google = /^\/google\/v1beta\/models\/[^/:]+:(generateContent|streamGenerateContent)$/.exec(path)
    if (request.method === 'POST' && google) {
      requests.push({ provider: 'google', path, credentials, body })
      if (google[1] === 'streamGenerateContent') return sendEvents(response, recordedChunks('google', 'google-text'), { namedEvents: false, done: false })
      return sendJson(response, 200, recordedJson('google', 'google-text'))
    }
    for (const [provider, route] of [['mistral', '/mistral/v1/chat/completions'], ['groq', '/groq/openai/v1/chat/completions']] as const) {
      if (request.method !== 'POST' || path !== route) continue
      requests.push({ provider, path, credentials, body })
      if (body.stream) return sendEvents(response, recordedChunks(provider, `${provider}-text`), { namedEvents: false, done: true })
      return sendJson(response, 200, recordedJson(provider, `${provider}-text`))
    }
    sendJson(response, 404, { error: { message: `The recorded upstream serves no ${request.method} ${path}` } })
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => sendJson(response, 500, { error: { message: String(error) } }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failing,
    delays,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
