import OpenAI from 'openai'
import { describe, expect, it } from 'vitest'
import { createRouter, fallback, mockProvider } from '../../src/index.js'

const base = 'http://switchyard.local/v1'

function setup() {
  const provider = mockProvider({ id: 'mock', models: { chat: 'Hello there', broken: { text: 'one two three', error: 'server', failAfterChunks: 1 } } })
  const router = createRouter({ providers: [provider], routes: { main: 'mock/chat' } })
  return { router, provider }
}

function post(path: string, body: unknown, headers: Record<string, string> = {}): [string, RequestInit] {
  return [`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) }]
}

const chatBody = { model: 'main', messages: [{ role: 'user', content: 'Hi' }] }
const messagesBody = { model: 'main', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] }

describe('router.fetch: bad input gets a 4xx in the dialect of the endpoint', () => {
  const openAIShape = { error: { message: expect.any(String), type: expect.any(String), code: expect.any(String) } }
  const anthropicShape = { type: 'error', error: { type: expect.any(String), message: expect.any(String) } }

  const cases: Array<[string, [string, RequestInit], number, object, string]> = [
    ['malformed JSON (OpenAI)', post('/chat/completions', '{"model": "main", '), 400, openAIShape, 'invalid_request_error'],
    ['malformed JSON (Anthropic)', post('/messages', '{"model": '), 400, anthropicShape, 'invalid_request_error'],
    ['empty body', post('/chat/completions', ''), 400, openAIShape, 'invalid_request_error'],
    ['a JSON array body', post('/messages', '[1,2]'), 400, anthropicShape, 'invalid_request_error'],
    ['missing messages (OpenAI)', post('/chat/completions', { model: 'main' }), 400, openAIShape, 'invalid_request_error'],
    ['missing max_tokens (Anthropic)', post('/messages', { model: 'main', messages: [{ role: 'user', content: 'Hi' }] }), 400, anthropicShape, 'invalid_request_error'],
    ['missing model (Anthropic)', post('/messages', { max_tokens: 5, messages: [{ role: 'user', content: 'Hi' }] }), 400, anthropicShape, 'invalid_request_error'],
    ['unknown route (OpenAI)', post('/chat/completions', { ...chatBody, model: 'no-such-route' }), 404, openAIShape, 'invalid_request_error'],
    ['unknown provider/model (Anthropic)', post('/messages', { ...messagesBody, model: 'acme/model' }), 404, anthropicShape, 'not_found_error'],
    ['unknown model of a known provider', post('/messages', { ...messagesBody, model: 'mock/nope' }), 404, anthropicShape, 'not_found_error'],
    ['GET on chat completions', [`${base}/chat/completions`, { method: 'GET' }], 405, openAIShape, 'invalid_request_error'],
    ['PUT on messages', [`${base}/messages`, { method: 'PUT', body: '{}' }], 405, anthropicShape, 'invalid_request_error'],
    ['POST on models', post('/models', {}), 405, openAIShape, 'invalid_request_error'],
    ['unknown path', [`${base}/completions`, { method: 'POST', body: '{}' }], 404, openAIShape, 'invalid_request_error'],
    ['unknown path from an Anthropic client', [`${base}/complete`, { method: 'POST', body: '{}', headers: { 'anthropic-version': '2023-06-01' } }], 404, anthropicShape, 'not_found_error'],
    ['embeddings without input', post('/embeddings', { model: 'mock/chat' }), 400, openAIShape, 'invalid_request_error'],
    ['stream that is not a boolean (OpenAI)', post('/chat/completions', { ...chatBody, stream: 'yes' }), 400, openAIShape, 'invalid_request_error'],
    ['cache_control that is not a marker (Anthropic)', post('/messages', { ...messagesBody, system: [{ type: 'text', text: 'Be brief.', cache_control: 'ephemeral' }] }), 400, anthropicShape, 'invalid_request_error'],
  ]
  for (const [name, [url, init], status, shape, type] of cases) {
    it(`${name} → ${status}`, async () => {
      const { router, provider } = setup()
      const response = await router.fetch(url, init)
      expect(response.status).toBe(status)
      expect(response.headers.get('content-type')).toBe('application/json')
      const body = await response.json()
      expect(body).toMatchObject(shape)
      expect('type' in body && body.type === 'error' ? body.error.type : body.error.type).toBe(type)
      if (status === 405) expect(response.headers.get('allow')).toBeTruthy()
      if ('error' in body && !('type' in body)) expect(body.error.param).toBe(body.error.code === 'model_not_found' ? 'model' : null)
      if (status !== 404 || !name.includes('known provider')) expect(provider.calls).toEqual([])
    })
  }

  it('never rejects on junk input', async () => {
    const { router } = setup()
    const junk: Array<[RequestInfo | URL, RequestInit?]> = [
      ['not a url at all'],
      ['/v1/chat/completions', { method: 'POST', body: 'null' }],
      [`${base}/messages`, { method: 'POST', body: JSON.stringify({ ...messagesBody, messages: [{ role: 'user', content: [null] }] }) }],
      [`${base}/messages`, { method: 'POST', body: JSON.stringify({ ...messagesBody, system: 42 }) }],
      [`${base}/chat/completions`, { method: 'POST', body: JSON.stringify({ ...chatBody, messages: 'hi' }) }],
      [`${base}/chat/completions`, { method: 'POST', body: JSON.stringify({ ...chatBody, provider_options: 'x', store: true }) }],
      [`${base}/models/${encodeURIComponent('%E0%A4%A')}`, { method: 'GET' }],
      [`${base}/models/%E0%A4%A`, { method: 'GET' }],
      // A body that looks like an internal failure record is still just a bad request.
      [`${base}/chat/completions`, { method: 'POST', body: JSON.stringify({ status: 99, code: 'x', retryable: true, message: 'm' }) }],
    ]
    for (const [input, init] of junk) {
      const response = await router.fetch(input, init)
      expect(response.status).toBeGreaterThanOrEqual(400)
      expect(response.status).toBeLessThan(500)
    }
  })
})

describe('router.fetch: wire format', () => {
  it('accepts a Request object, a bare path and any base path prefix', async () => {
    const { router } = setup()
    const fromRequest = await router.fetch(new Request(`${base}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(chatBody) }))
    expect((await fromRequest.json()).choices[0].message.content).toBe('Hello there')
    const fromPath = await router.fetch('/v1/models')
    expect((await fromPath.json()).data.map((model: { id: string }) => model.id)).toEqual(['main', 'mock/chat', 'mock/broken'])
    const prefixed = await router.fetch(...post('/../api/gateway/v1/messages', messagesBody))
    expect((await prefixed.json()).content[0].text).toBe('Hello there')
  })

  it('reports the answering model and cost in headers', async () => {
    const { router } = setup()
    const response = await router.fetch(...post('/chat/completions', chatBody))
    expect(response.headers.get('x-switchyard-model')).toBe('mock/chat')
    expect(response.headers.get('x-switchyard-cost-usd')).toBe('unknown')
  })

  it('streams OpenAI SSE: data lines ending with [DONE]', async () => {
    const { router } = setup()
    const response = await router.fetch(...post('/chat/completions', { ...chatBody, stream: true }))
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const text = await response.text()
    const events = text.split('\n\n').filter(Boolean)
    expect(events.every((event) => event.startsWith('data: '))).toBe(true)
    expect(events.at(-1)).toBe('data: [DONE]')
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event.slice('data: '.length)))
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('Hello there')
  })

  it('streams Anthropic SSE: each event named after its type', async () => {
    const { router } = setup()
    const response = await router.fetch(...post('/messages', { ...messagesBody, stream: true }))
    const events = (await response.text()).split('\n\n').filter(Boolean)
    for (const event of events) {
      const [nameLine, dataLine] = event.split('\n')
      expect(nameLine!.slice('event: '.length)).toBe(JSON.parse(dataLine!.slice('data: '.length)).type)
    }
    expect(events[0]).toMatch(/^event: message_start\n/)
    expect(events.at(-1)).toMatch(/^event: message_stop\n/)
  })

  it('a mid-stream failure ends each dialect with its own error event, without [DONE] or message_stop', async () => {
    const { router } = setup()
    const openAIText = await (await router.fetch(...post('/chat/completions', { ...chatBody, model: 'mock/broken', stream: true }))).text()
    const openAILast = openAIText.split('\n\n').filter(Boolean).at(-1)!
    expect(JSON.parse(openAILast.slice('data: '.length))).toMatchObject({ error: { type: 'server_error', code: 'stream_interrupted' } })
    const anthropicText = await (await router.fetch(...post('/messages', { ...messagesBody, model: 'mock/broken', stream: true }))).text()
    const anthropicLast = anthropicText.split('\n\n').filter(Boolean).at(-1)!
    expect(anthropicLast.split('\n')[0]).toBe('event: error')
    expect(JSON.parse(anthropicLast.split('\n')[1]!.slice('data: '.length))).toMatchObject({ type: 'error', error: { type: 'api_error' } })
    expect(anthropicText).not.toContain('message_stop')
  })

  it('a stream that fails before its first token answers with the failure status as JSON, in each dialect, not as an event stream', async () => {
    const provider = mockProvider({ id: 'mock', models: { down: { text: 'never sent', error: 'server' } } })
    const router = createRouter({ providers: [provider] })
    for (const [path, body, shape] of [
      ['/chat/completions', { ...chatBody, model: 'mock/down', stream: true }, { error: { type: 'server_error' } }],
      ['/messages', { ...messagesBody, model: 'mock/down', stream: true }, { type: 'error', error: { type: 'api_error' } }],
      ['/responses', { model: 'mock/down', input: 'Hi', stream: true }, { error: { type: 'server_error' } }],
    ] as const) {
      const response = await router.fetch(...post(path, body))
      expect(response.status).toBe(502)
      expect(response.headers.get('content-type')).toBe('application/json')
      expect(response.headers.get('x-should-retry')).toBe('false')
      expect(await response.json()).toMatchObject(shape)
    }
    expect(provider.calls.length).toBeGreaterThanOrEqual(3)
  })

  it('a rate limit carries retry-after, retry-after-ms and x-should-retry: false (the router already retried)', async () => {
    const provider = mockProvider({ id: 'mock', models: { limited: { error: 'rate_limit', retryAfterMs: 1500 } } })
    const router = createRouter({ providers: [provider], routes: { limited: fallback(['mock/limited'], { retries: 0 }) } })
    const response = await router.fetch(...post('/chat/completions', { ...chatBody, model: 'limited' }))
    expect(response.status).toBe(429)
    expect(response.headers.get('retry-after')).toBe('2')
    expect(response.headers.get('retry-after-ms')).toBe('1500')
    expect(response.headers.get('x-should-retry')).toBe('false')
    expect((await response.json()).error).toMatchObject({ type: 'rate_limit_error', message: expect.stringContaining('scripted rate_limit') })
  })
})

describe('router.fetch: what a hostile client can send', () => {
  it('refuses a text/plain body (a cross-site form post needs no preflight) with 415, before any provider call', async () => {
    const { router, provider } = setup()
    for (const contentType of ['text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const response = await router.fetch(`${base}/chat/completions`, { method: 'POST', headers: { 'content-type': contentType }, body: JSON.stringify(chatBody) })
      expect(response.status).toBe(415)
      expect((await response.json()).error.code).toBe('unsupported_media_type')
    }
    // A body sent as a bare string gets text/plain from the Fetch API itself.
    expect((await router.fetch(`${base}/messages`, { method: 'POST', body: JSON.stringify(messagesBody) })).status).toBe(415)
    expect(provider.calls).toEqual([])
    const charset = await router.fetch(...post('/chat/completions', chatBody, { 'content-type': 'application/json; charset=utf-8' }))
    expect(charset.status).toBe(200)
  })

  it('answers 413 to a body over the configured limit, declared or streamed, and calls no provider', async () => {
    const provider = mockProvider({ id: 'mock', models: { chat: 'Hello there' } })
    const router = createRouter({ providers: [provider], routes: { main: 'mock/chat' }, http: { maxBodyBytes: 1_000 } })
    const big = { ...chatBody, messages: [{ role: 'user', content: 'x'.repeat(2_000) }] }
    const declared = await router.fetch(...post('/chat/completions', big))
    expect(declared.status).toBe(413)
    expect((await declared.json()).error.code).toBe('request_too_large')
    // A streamed body has no content-length: the limit is enforced while reading.
    const bytes = new TextEncoder().encode(JSON.stringify(big))
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < bytes.length; offset += 100) controller.enqueue(bytes.slice(offset, offset + 100))
        controller.close()
      },
    })
    const anthropicBig = await router.fetch(`${base}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: streamed, duplex: 'half' } as RequestInit)
    expect(anthropicBig.status).toBe(413)
    expect((await anthropicBig.json()).error.type).toBe('request_too_large')
    expect(provider.calls).toEqual([])
    expect((await router.fetch(...post('/chat/completions', chatBody))).status).toBe(200)
  })

  it('has a default body limit of 10 MiB', async () => {
    const { router, provider } = setup()
    const body = JSON.stringify({ ...chatBody, messages: [{ role: 'user', content: 'x'.repeat(10 * 1024 * 1024) }] })
    const response = await router.fetch(`${base}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    expect(response.status).toBe(413)
    expect(provider.calls).toEqual([])
  })

  it('rejects an http option that is not a positive integer at createRouter()', () => {
    expect(() => createRouter({ providers: [mockProvider({ models: { a: 'x' } })], http: { maxBodyBytes: -1 } })).toThrow(/http\.maxBodyBytes must be a positive integer/)
  })
})

describe('router.fetch: http.routesOnly', () => {
  function routesOnlySetup() {
    const provider = mockProvider({ id: 'mock', models: { chat: 'Hello there', other: 'Other' } })
    const router = createRouter({ providers: [provider], routes: { main: 'mock/chat' }, http: { routesOnly: true } })
    return { router, provider }
  }

  it('refuses a provider/model id or an array of ids with 403, and serves declared routes', async () => {
    const { router, provider } = routesOnlySetup()
    const direct = await router.fetch(...post('/chat/completions', { ...chatBody, model: 'mock/other' }))
    expect(direct.status).toBe(403)
    expect((await direct.json()).error.code).toBe('model_not_allowed')
    const chain = await router.fetch(...post('/messages', { ...messagesBody, model: ['mock/other', 'mock/chat'] }))
    expect(chain.status).toBe(403)
    expect((await chain.json()).error.type).toBe('permission_error')
    const embeddings = await router.fetch(...post('/embeddings', { model: 'mock/other', input: 'x' }))
    expect(embeddings.status).toBe(403)
    expect(provider.calls).toEqual([])
    const routed = await router.fetch(...post('/chat/completions', chatBody))
    expect(routed.status).toBe(200)
  })

  it('lists only the routes', async () => {
    const { router } = routesOnlySetup()
    const list = await (await router.fetch('/v1/models')).json()
    expect(list.data.map((model: { id: string }) => model.id)).toEqual(['main'])
    expect((await router.fetch('/v1/models/mock%2Fchat')).status).toBe(403)
  })

  it('without it, a client may still name ids (the default)', async () => {
    const { router } = setup()
    expect((await router.fetch(...post('/chat/completions', { ...chatBody, model: 'mock/chat' }))).status).toBe(200)
  })
})

describe('router.fetch: provider_options from clients', () => {
  it('refuses provider_options by default, so a client cannot smuggle a model behind the route (400, no provider call)', async () => {
    const { router, provider } = setup()
    const smuggled = await router.fetch(...post('/chat/completions', { ...chatBody, provider_options: { mock: { model: 'expensive' } } }))
    expect(smuggled.status).toBe(400)
    expect((await smuggled.json()).error.code).toBe('provider_options_not_allowed')
    const harmless = await router.fetch(...post('/messages', { ...messagesBody, provider_options: { mock: { top_k: 3 } } }))
    expect(harmless.status).toBe(400)
    expect(provider.calls).toEqual([])
  })

  it('forwards exactly the fields http.providerOptions allows, and never a router-owned one', async () => {
    const provider = mockProvider({ id: 'mock', models: { chat: 'Hello there' } })
    const router = createRouter({ providers: [provider], routes: { main: 'mock/chat' }, http: { providerOptions: { mock: ['top_k', 'model'] } } })
    expect((await router.fetch(...post('/chat/completions', { ...chatBody, provider_options: { mock: { top_k: 3 } } }))).status).toBe(200)
    expect(provider.calls[0]!.request).toMatchObject({ provider_options: { mock: { top_k: 3 } } })
    expect((await router.fetch(...post('/chat/completions', { ...chatBody, provider_options: { mock: { seed: 1 } } }))).status).toBe(400)
    // Even when allowed, a field the router owns is refused by validation.
    const model = await router.fetch(...post('/chat/completions', { ...chatBody, provider_options: { mock: { model: 'other' } } }))
    expect(model.status).toBe(400)
    expect((await model.json()).error.message).toContain('provider_options.mock.model')
    expect(provider.calls).toHaveLength(1)
  })
})

describe('router.fetch: an official client does not multiply the router\'s retries', () => {
  it('one rate-limited call with the OpenAI SDK at its default maxRetries makes the route\'s 3 upstream attempts, not 9', async () => {
    const provider = mockProvider({ id: 'mock', models: { limited: { error: 'rate_limit', retryAfterMs: 1 } } })
    const router = createRouter({ providers: [provider], routes: { limited: fallback(['mock/limited'], { retries: 2, minRetryDelayMs: 1 }) } })
    const client = new OpenAI({ apiKey: 'unused', baseURL: base, fetch: router.fetch })
    const error = await client.chat.completions.create({ model: 'limited', messages: [{ role: 'user', content: 'Hi' }] }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(OpenAI.RateLimitError)
    expect(provider.calls).toHaveLength(3)
  })
})
