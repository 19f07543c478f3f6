import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { AuthenticationError, ConfigurationError, createRouter, fallback, mockProvider, ProviderError, RateLimitError, type RouterEvent } from '../../src/index.js'
import { acme } from '../../examples/fetch-provider.js'
import { minimal } from '../../examples/minimal-provider.js'

/** What the local OpenAI-like host received. */
interface Received {
  path: string
  authorization: string | undefined
  body: Record<string, any>
  at: number
}

type Behaviour = (body: Record<string, any>, response: ServerResponse, request: IncomingMessage) => void

const key = 'sk-acme-test-key-0123456789'
const completion = {
  id: 'chatcmpl-acme-1',
  object: 'chat.completion',
  created: 1,
  model: 'acme-large-2025',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from Acme.' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 12, completion_tokens: 4, total_tokens: 16, prompt_tokens_details: { cached_tokens: 2 } },
}
const sse = (chunks: unknown[]) => chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('') + 'data: [DONE]\n\n'
const chunk = (delta: Record<string, unknown>, finishReason: string | null = null, usage?: unknown) => ({
  id: 'chatcmpl-acme-2',
  object: 'chat.completion.chunk',
  model: 'acme-large-2025',
  choices: [{ index: 0, delta, finish_reason: finishReason }],
  ...(usage ? { usage } : {}),
})

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body))
}
function eventStream(response: ServerResponse, body: string): void {
  response.writeHead(200, { 'content-type': 'text/event-stream' }).end(body)
}
const answer: Behaviour = (body, response) =>
  body.stream
    ? eventStream(
        response,
        sse([
          chunk({ role: 'assistant', content: 'Hello' }),
          chunk({ content: ' from' }),
          chunk({ content: ' Acme.' }),
          chunk({}, 'stop'),
          { ...chunk({}), choices: [], usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 } },
        ]),
      )
    : json(response, 200, completion)

describe('examples/fetch-provider.ts: a third-party adapter over plain fetch, against a local host', () => {
  let server: Server
  let baseURL: string
  const received: Received[] = []
  let behaviours: Behaviour[] = []

  beforeAll(async () => {
    server = createServer((request, response) => {
      let text = ''
      request.setEncoding('utf8')
      request.on('data', (part: string) => (text += part))
      request.on('end', () => {
        const body = JSON.parse(text || '{}') as Record<string, any>
        received.push({ path: request.url ?? '', authorization: request.headers.authorization, body, at: performance.now() })
        const behaviour = behaviours.shift() ?? answer
        behaviour(body, response, request)
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
  })
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })
  beforeEach(() => {
    received.length = 0
    behaviours = []
  })

  const messages = [{ role: 'user' as const, content: 'Say hello.' }]
  const provider = () => acme({ baseURL, apiKey: key })

  it('answers a chat call: text, usage and the model the host reports; sends the key and the model', async () => {
    const router = createRouter({ providers: [provider()], prices: { 'acme/large': { input: 1, output: 2, cacheRead: 0.5 } } })
    const result = await router.chat({ model: 'acme/large', messages, temperature: 0.2, max_tokens: 50 })
    expect(result.choices[0]!.message.content).toBe('Hello from Acme.')
    expect(result.choices[0]!.finish_reason).toBe('stop')
    expect(result.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 })
    // 10 uncached input at $1/M, 2 cached at $0.5/M, 4 output at $2/M.
    expect(result.cost.total).toBeCloseTo((10 * 1 + 2 * 0.5 + 4 * 2) / 1_000_000, 12)
    expect(received).toHaveLength(1)
    expect(received[0]!.path).toBe('/v1/chat/completions')
    expect(received[0]!.authorization).toBe(`Bearer ${key}`)
    expect(received[0]!.body).toMatchObject({ model: 'large', messages, temperature: 0.2, max_tokens: 50 })
    expect(received[0]!.body.stream).toBeUndefined()
  })

  it('streams: text deltas in order, usage from the last chunk', async () => {
    const router = createRouter({ providers: [provider()] })
    let text = ''
    let usage: unknown
    for await (const part of router.stream({ model: 'acme/large', messages })) {
      text += part.choices[0]?.delta.content ?? ''
      if (part.usage) usage = part.usage
    }
    expect(text).toBe('Hello from Acme.')
    expect(usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 })
    expect(received[0]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } })
  })

  it('streams tool calls: started with id and name, arguments assembled', async () => {
    behaviours = [
      (_body, response) =>
        eventStream(
          response,
          sse([
            chunk({ role: 'assistant', tool_calls: [{ index: 0, id: 'call_w', type: 'function', function: { name: 'weather', arguments: '' } }] }),
            chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
            chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
            chunk({}, 'tool_calls', { prompt_tokens: 20, completion_tokens: 8, total_tokens: 28 }),
          ]),
        ),
    ]
    const router = createRouter({ providers: [provider()] })
    const tools = [{ type: 'function' as const, function: { name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }]
    const stream = router.stream({ model: 'acme/large', messages, tools })
    for await (const _part of stream) void _part
    const result = await stream.finalResult()
    expect(result.choices[0]!.finish_reason).toBe('tool_calls')
    expect(result.choices[0]!.message.tool_calls).toEqual([{ id: 'call_w', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }])
    expect(received[0]!.body.tools).toEqual(tools)
  })

  it('a 429 is retried after the retry-after the host sent, then succeeds', async () => {
    behaviours = [(_body, response) => json(response, 429, { error: { message: 'Rate limit reached', type: 'rate_limit_error' } }, { 'retry-after': '1' })]
    const router = createRouter({ providers: [provider()], routes: { main: fallback(['acme/large'], { retries: 2 }) } })
    const result = await router.chat({ model: 'main', messages })
    expect(result.choices[0]!.message.content).toBe('Hello from Acme.')
    expect(received).toHaveLength(2)
    expect(received[1]!.at - received[0]!.at).toBeGreaterThanOrEqual(990)
    const first = result.route.attempts[0]!
    expect(first.error).toBeInstanceOf(RateLimitError)
    expect(first.error).toMatchObject({ status: 429, retryAfterMs: 1000, retryable: true, provider: 'acme', model: 'large' })
  })

  it('fallback moves to it when the first candidate fails', async () => {
    const flaky = mockProvider({ id: 'flaky', models: { m: { error: 'server' } } })
    const router = createRouter({ providers: [flaky, provider()], routes: { main: fallback(['flaky/m', 'acme/large'], { retries: 0 }) } })
    const result = await router.chat({ model: 'main', messages })
    expect(result.route.provider).toBe('acme')
    expect(result.choices[0]!.message.content).toBe('Hello from Acme.')
    expect(result.route.attempts.map((attempt) => `${attempt.provider} ${attempt.outcome}`)).toEqual(['flaky error', 'acme success'])
  })

  it('fallback moves on from it: a 503, a broken connection and a malformed 200 each hand over to the next candidate', async () => {
    const backup = mockProvider({ id: 'backup', models: { m: 'from the backup' } })
    const router = createRouter({ providers: [provider(), backup], routes: { main: fallback(['acme/large', 'backup/m'], { retries: 0 }) } })
    const failures: Behaviour[] = [
      (_body, response) => json(response, 503, { error: { message: 'overloaded' } }),
      (_body, _response, request) => request.socket.destroy(),
      (_body, response) => json(response, 200, { id: 'x', object: 'chat.completion', model: 'acme-large' }),
    ]
    for (const failure of failures) {
      behaviours = [failure]
      const result = await router.chat({ model: 'main', messages })
      expect(result.route.provider).toBe('backup')
      const error = result.route.attempts[0]!.error!
      expect(error).toBeInstanceOf(ProviderError)
      expect(error.retryable).toBe(true)
    }
  })

  it('a rejected key is an AuthenticationError with the key masked, even when the host echoes it', async () => {
    behaviours = [(_body, response) => json(response, 401, { error: { message: `Invalid key ${key} (sk-acme********6789)`, type: 'invalid_api_key' } })]
    const events: RouterEvent[] = []
    const router = createRouter({ providers: [provider()], onEvent: (event) => events.push(event) })
    const error = (await router.chat({ model: 'acme/large', messages }).catch((caught: unknown) => caught)) as AuthenticationError
    expect(error).toBeInstanceOf(AuthenticationError)
    for (const text of [error.message, JSON.stringify(error), JSON.stringify(events), String((error.cause as Error | undefined)?.message)]) {
      expect(text).not.toContain(key)
      expect(text).not.toContain('6789')
    }
  })

  it('a missing key fails at createRouter, naming the variable', () => {
    const saved = process.env.ACME_API_KEY
    delete process.env.ACME_API_KEY
    try {
      expect(() => createRouter({ providers: [acme({ baseURL })] })).toThrow(ConfigurationError)
      expect(() => createRouter({ providers: [acme({ baseURL })] })).toThrow(/ACME_API_KEY/)
    } finally {
      if (saved !== undefined) process.env.ACME_API_KEY = saved
    }
  })

  it('the minimal adapter (examples/minimal-provider.ts) answers chat and stream too', async () => {
    const router = createRouter({ providers: [minimal({ baseURL, apiKey: key })], routes: { once: fallback(['minimal/large'], { retries: 0 }) } })
    const result = await router.chat({ model: 'minimal/large', messages })
    expect(result.choices[0]!.message.content).toBe('Hello from Acme.')
    expect(result.usage.total_tokens).toBe(16)
    let text = ''
    for await (const part of router.stream({ model: 'minimal/large', messages })) text += part.choices[0]?.delta.content ?? ''
    expect(text).toBe('Hello from Acme.')
    behaviours = [(_body, response) => json(response, 429, { error: { message: 'slow down' } }, { 'retry-after': '3' })]
    const error = await router.chat({ model: 'once', messages }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).retryAfterMs).toBe(3000)
  })
})
