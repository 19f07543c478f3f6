import { describe, expect, it } from 'vitest'
import { http, HttpResponse } from 'msw'
import {
  AbortedError,
  anthropic,
  AuthenticationError,
  ConfigurationError,
  ContextLengthExceededError,
  createRouter,
  fallback,
  InvalidRequestError,
  mockProvider,
  ProviderError,
  RateLimitError,
  StreamInterruptedError,
  SwitchyardError,
  TimeoutError,
  type ModelRequest,
  type StreamEvent,
} from '../../../src/index.js'
import { serveUntilAborted } from '../../helpers/abort-handlers.js'
import { expectKeyHidden, expectTypedError } from '../../helpers/call-errors.js'
import { useMswServer } from '../../helpers/msw.js'
import { recordedChunks } from '../../helpers/recordings.js'
import { collect } from '../../helpers/streams.js'
import { anthropicSse, errorBody, messagesUrl, serveMessages, streamEvents, testApiKey } from './anthropic-handlers.js'

const server = useMswServer()

const request: ModelRequest = { model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'Hi' }] }

function adapter() {
  return anthropic({ apiKey: testApiKey })
}

async function chatFailure(): Promise<SwitchyardError> {
  const error = await adapter()
    .chat(request, { signal: new AbortController().signal })
    .then(
      () => undefined,
      (caught: unknown) => caught,
    )
  expect(error).toBeInstanceOf(SwitchyardError)
  return error as SwitchyardError
}

interface Expectation {
  status: number
  type: string
  headers?: Record<string, string>
  errorClass: new (...args: any[]) => SwitchyardError
  code: string
  retryable: boolean
  retryAfterMs?: number
}

const cases: Array<[string, Expectation]> = [
  ['400 invalid request', { status: 400, type: 'invalid_request_error', errorClass: InvalidRequestError, code: 'invalid_request', retryable: false }],
  ['401 authentication', { status: 401, type: 'authentication_error', errorClass: AuthenticationError, code: 'authentication_failed', retryable: false }],
  ['404 unknown model', { status: 404, type: 'not_found_error', errorClass: InvalidRequestError, code: 'invalid_request', retryable: false }],
  ['408 request timeout', { status: 408, type: 'timeout_error', errorClass: TimeoutError, code: 'timeout', retryable: true }],
  ['413 request too large', { status: 413, type: 'request_too_large', errorClass: ContextLengthExceededError, code: 'context_length_exceeded', retryable: false }],
  [
    '429 with retry-after',
    { status: 429, type: 'rate_limit_error', headers: { 'retry-after': '7' }, errorClass: RateLimitError, code: 'rate_limited', retryable: true, retryAfterMs: 7000 },
  ],
  ['500 api error', { status: 500, type: 'api_error', errorClass: ProviderError, code: 'provider_error', retryable: true }],
  ['503 unavailable', { status: 503, type: 'api_error', errorClass: ProviderError, code: 'provider_error', retryable: true }],
  ['529 overloaded', { status: 529, type: 'overloaded_error', errorClass: ProviderError, code: 'provider_error', retryable: true }],
]

describe('anthropic errors: HTTP status mapping', () => {
  it.each(cases)('%s', async (_name, expected) => {
    const requests = serveMessages(server, () =>
      HttpResponse.json(errorBody(expected.type, 'something went wrong'), { status: expected.status, headers: expected.headers }),
    )
    const error = await chatFailure()
    // Exact class: a 500 must not come back as a subclass such as RateLimitError.
    expectTypedError(error, { ...expected, provider: 'anthropic', model: 'claude-haiku-4-5', message: 'something went wrong' })
    // The SDK's own retries are off: the router decides.
    expect(requests).toHaveLength(1)
  })

  it('maps a streamed call that fails with 529 before streaming', async () => {
    serveMessages(server, () => HttpResponse.json(errorBody('overloaded_error', 'Overloaded'), { status: 529 }))
    const error = await collect(adapter().stream(request, { signal: new AbortController().signal })).catch((caught: unknown) => caught)
    expect((error as SwitchyardError).constructor).toBe(ProviderError)
    expect((error as SwitchyardError).status).toBe(529)
    expect((error as SwitchyardError).retryable).toBe(true)
  })

  it('never puts an API key echoed by the provider into the error', async () => {
    serveMessages(server, () =>
      HttpResponse.json(errorBody('authentication_error', `invalid x-api-key: ${testApiKey} (also sk-ant-api03-AbCdEfGhIjKlMnOp)`), { status: 401 }),
    )
    const error = await chatFailure()
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(error.message).toContain('invalid x-api-key')
    expect(error.message).not.toContain('sk-ant-api03-AbCdEfGhIjKlMnOp')
    expectKeyHidden(testApiKey, error)
  })
})

describe('anthropic errors: configuration', () => {
  it('fails at createRouter without a key, naming ANTHROPIC_API_KEY', () => {
    const saved = process.env.ANTHROPIC_API_KEY
    delete process.env.ANTHROPIC_API_KEY
    try {
      expect(() => createRouter({ providers: [anthropic()] })).toThrow(ConfigurationError)
      expect(() => createRouter({ providers: [anthropic()] })).toThrow(/ANTHROPIC_API_KEY/)
    } finally {
      if (saved !== undefined) process.env.ANTHROPIC_API_KEY = saved
    }
  })

  it('reads the key from ANTHROPIC_API_KEY and sends custom headers', async () => {
    const saved = process.env.ANTHROPIC_API_KEY
    process.env.ANTHROPIC_API_KEY = 'from-the-environment-key'
    try {
      const requests = serveMessages(server, () => HttpResponse.json(errorBody('api_error', 'x'), { status: 500 }))
      const fromEnv = anthropic({ headers: { 'x-team': 'search' } })
      fromEnv.validate!()
      await fromEnv.chat(request, { signal: new AbortController().signal }).catch(() => undefined)
      expect(requests[0]!.headers.get('authorization')).toBe('Bearer from-the-environment-key')
      expect(requests[0]!.headers.get('x-team')).toBe('search')
    } finally {
      if (saved === undefined) delete process.env.ANTHROPIC_API_KEY
      else process.env.ANTHROPIC_API_KEY = saved
    }
  })

  it('uses a ready client as given, with no key needed', async () => {
    const calls: Array<{ body: any; options: any }> = []
    const client = {
      messages: {
        async create(body: any, options: any) {
          calls.push({ body, options })
          return { id: 'msg_c', model: 'claude-haiku-4-5', content: [{ type: 'text', text: 'from client' }], stop_reason: 'end_turn', usage: { input_tokens: 1, output_tokens: 2 } }
        },
      },
    }
    const withClient = anthropic({ client })
    expect(() => withClient.validate!()).not.toThrow()
    const response = await withClient.chat(request, { signal: new AbortController().signal })
    expect(response.message.content).toBe('from client')
    expect(calls[0]!.options.maxRetries).toBe(0)
    expect(calls[0]!.options.signal).toBeInstanceOf(AbortSignal)
  })
})

describe('anthropic errors: abort', () => {
  it('aborts the SDK request when the caller aborts, and rejects with AbortedError', async () => {
    let entered!: () => void
    const handlerEntered = new Promise<void>((resolve) => (entered = resolve))
    const seen = serveUntilAborted(server, messagesUrl, () => entered())
    const controller = new AbortController()
    const call = createRouter({ providers: [adapter()] }).chat({ ...request, model: 'anthropic/claude-haiku-4-5' }, { signal: controller.signal })
    await handlerEntered
    controller.abort()
    await expect(call).rejects.toBeInstanceOf(AbortedError)
    await expect.poll(() => seen.signal?.aborted).toBe(true)
  })

  it('maps the SDK abort to AbortedError when the adapter is called directly', async () => {
    let entered!: () => void
    const handlerEntered = new Promise<void>((resolve) => (entered = resolve))
    serveUntilAborted(server, messagesUrl, () => entered())
    const controller = new AbortController()
    const call = adapter().chat(request, { signal: controller.signal })
    await handlerEntered
    controller.abort()
    const error = await call.catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(AbortedError)
    expect((error as AbortedError).provider).toBe('anthropic')
  })
})

describe('anthropic errors: stream abort', () => {
  it('aborts a stream after its first token and rejects with AbortedError', async () => {
    let serverSawAbort = false
    server.use(
      http.post(messagesUrl, ({ request: incoming }) => {
        const encoder = new TextEncoder()
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            for (const payload of recordedChunks('anthropic', 'anthropic-text').slice(0, 4)) {
              controller.enqueue(encoder.encode(`event: ${payload.type}\ndata: ${JSON.stringify(payload)}\n\n`))
            }
            // Then nothing more until the client goes away.
            incoming.signal.addEventListener('abort', () => {
              serverSawAbort = true
            })
          },
        })
        return new Response(body, { headers: { 'content-type': 'text/event-stream' } })
      }),
    )
    const controller = new AbortController()
    const iterator = adapter().stream(request, { signal: controller.signal })[Symbol.asyncIterator]()
    let event = await iterator.next()
    while (!event.done && event.value.type !== 'text-delta') event = await iterator.next()
    expect(event.value).toEqual({ type: 'text-delta', text: 'Hello' })
    const pending = iterator.next()
    controller.abort()
    await expect(pending).rejects.toBeInstanceOf(AbortedError)
    await expect.poll(() => serverSawAbort).toBe(true)
  })
})

describe('anthropic errors: streams that fail mid-way', () => {
  const overloadedEvent = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }
  const textStart = recordedChunks('anthropic', 'anthropic-text').slice(0, 4) // message_start, block start, ping, "Hello"

  it('turns an error event into a retryable overloaded ProviderError', async () => {
    serveMessages(server, () => anthropicSse([...textStart, overloadedEvent]))
    const received: StreamEvent[] = []
    const error = await (async () => {
      for await (const event of adapter().stream(request, { signal: new AbortController().signal })) received.push(event)
    })().catch((caught: unknown) => caught)
    expect(received.filter((event) => event.type === 'text-delta')).toEqual([{ type: 'text-delta', text: 'Hello' }])
    expect((error as SwitchyardError).constructor).toBe(ProviderError)
    expect((error as SwitchyardError).status).toBe(529)
    expect((error as SwitchyardError).retryable).toBe(true)
    expect((error as SwitchyardError).message).toContain('Overloaded')
  })

  it('masks the key in an error event, in the message and in the kept cause', async () => {
    serveMessages(server, () => anthropicSse([...textStart, { type: 'error', error: { type: 'overloaded_error', message: `Overloaded (key ${testApiKey})` } }]))
    const error = await collect(adapter().stream(request, { signal: new AbortController().signal })).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ProviderError)
    expect((error as ProviderError).message).toContain('Overloaded (key [redacted])')
    expectKeyHidden(testApiKey, error as ProviderError)
  })

  it('maps a rate_limit_error event to RateLimitError', async () => {
    serveMessages(server, () => anthropicSse([...textStart, { type: 'error', error: { type: 'rate_limit_error', message: 'Slow down' } }]))
    const error = await collect(adapter().stream(request, { signal: new AbortController().signal })).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(RateLimitError)
  })

  it('gives the router a StreamInterruptedError with the partial text after the first token', async () => {
    serveMessages(server, () => anthropicSse([...textStart, overloadedEvent]))
    const router = createRouter({ providers: [adapter()] })
    const chunks: string[] = []
    const error = await (async () => {
      for await (const chunk of router.stream({ ...request, model: 'anthropic/claude-haiku-4-5' })) chunks.push(chunk.choices[0]?.delta.content ?? '')
    })().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(StreamInterruptedError)
    expect((error as StreamInterruptedError).partialText).toBe('Hello')
    expect(((error as StreamInterruptedError).cause as SwitchyardError).status).toBe(529)
    expect(chunks.join('')).toBe('Hello')
  })

  it('falls back invisibly when the stream errors before its first token', async () => {
    serveMessages(server, () => anthropicSse([recordedChunks('anthropic', 'anthropic-text')[0], overloadedEvent]))
    const router = createRouter({
      providers: [adapter(), mockProvider({ id: 'backup', models: { m: 'backup answer' } })],
      routes: { main: fallback(['anthropic/claude-haiku-4-5', 'backup/m'], { retries: 0 }) },
    })
    const stream = router.stream({ model: 'main', messages: request.messages })
    const text: string[] = []
    for await (const chunk of stream) text.push(chunk.choices[0]?.delta.content ?? '')
    expect(text.join('')).toBe('backup answer')
    const result = await stream.finalResult()
    expect(result.route.provider).toBe('backup')
    expect(result.route.attempts[0]!.error!.status).toBe(529)
  })

  it('turns a broken connection into a typed error', async () => {
    serveMessages(server, () => anthropicSse(recordedChunks('anthropic', 'anthropic-text'), 4))
    const error = await collect(adapter().stream(request, { signal: new AbortController().signal })).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ProviderError)
    expect((error as ProviderError).retryable).toBe(true)
  })

  it('treats a stream that closes without message_stop as incomplete', async () => {
    serveMessages(server, () => anthropicSse(recordedChunks('anthropic', 'anthropic-text').slice(0, 5)))
    const error = await collect(adapter().stream(request, { signal: new AbortController().signal })).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ProviderError)
    expect((error as ProviderError).retryable).toBe(true)
    expect((error as ProviderError).message).toContain('message_stop')
  })

  it('finishes a complete stream normally', async () => {
    serveMessages(server, () => anthropicSse(streamEvents({ blocks: [], stopReason: 'end_turn' })))
    const events = await collect(adapter().stream(request, { signal: new AbortController().signal }))
    expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' })
  })
})
