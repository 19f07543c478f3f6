import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import {
  AuthenticationError,
  ContextLengthExceededError,
  InvalidRequestError,
  mistral,
  ProviderError,
  RateLimitError,
  StreamInterruptedError,
  SwitchyardError,
  type RouterEvent,
} from '../../../src/index.js'
import { expectPendingCallAborted, expectStreamAbortedAtFirstChunk } from '../../helpers/abort-handlers.js'
import { expectKeyHidden, expectTypedError, failedCall, onceRequest, onceRouter, type CallMode, type TypedErrorExpectation } from '../../helpers/call-errors.js'
import { useMswServer } from '../../helpers/msw.js'
import { sseResponse } from '../../helpers/recordings.js'
import { collect } from '../../helpers/streams.js'
import { mistralBaseURL, mistralChunk, mistralTestKey, serveMistral } from './mistral-handlers.js'

const server = useMswServer()
const request = onceRequest

function router(events: RouterEvent[] = []) {
  return onceRouter(mistral({ apiKey: mistralTestKey }), 'mistral/mistral-small-latest', events)
}

function failure(respond: () => Response, mode: CallMode, events: RouterEvent[] = []): Promise<SwitchyardError> {
  serveMistral(server, 'chat/completions', respond)
  return failedCall(router(events), request, mode)
}

// Bodies as the Mistral API sends them.
const mistralError = (message: string, type = 'invalid_request_error', code: string | null = null) => ({ object: 'error', message, type, param: null, code })

/** The body and headers Mistral answers with at `status`, and the typed error that must come of it. */
type Case = { body: string | Record<string, unknown>; headers?: Record<string, string> } & Omit<TypedErrorExpectation, 'provider' | 'model'>

const cases: Array<[string, Case]> = [
  ['400 invalid request', { status: 400, body: mistralError('Invalid model: mistral-nope', 'invalid_model', '1500'), errorClass: InvalidRequestError, code: 'invalid_request', retryable: false, message: 'Invalid model: mistral-nope' }],
  [
    '400 prompt too long',
    {
      status: 400,
      body: mistralError('Prompt contains 40000 tokens and 0 draft tokens, too large for model with 32768 maximum context length'),
      errorClass: ContextLengthExceededError,
      code: 'context_length_exceeded',
      retryable: false,
      message: 'too large for model',
    },
  ],
  ['401 unauthorized', { status: 401, body: { message: 'Unauthorized', request_id: 'req-1' }, errorClass: AuthenticationError, code: 'authentication_failed', retryable: false, message: 'Unauthorized' }],
  ['404 not found', { status: 404, body: mistralError('Not Found', 'not_found'), errorClass: InvalidRequestError, code: 'invalid_request', retryable: false, message: 'Not Found' }],
  ['413 payload too large', { status: 413, body: { message: 'Request Entity Too Large' }, errorClass: ContextLengthExceededError, code: 'context_length_exceeded', retryable: false, message: 'Request Entity Too Large' }],
  [
    '422 validation error (HTTPValidationError)',
    {
      status: 422,
      body: { detail: [{ type: 'missing', loc: ['body', 'messages'], msg: 'Field required', input: {} }] },
      errorClass: InvalidRequestError,
      code: 'invalid_request',
      retryable: false,
      message: 'body.messages: Field required',
    },
  ],
  [
    '422 validation error inside message',
    {
      status: 422,
      body: { object: 'error', message: { detail: [{ type: 'less_than_equal', loc: ['body', 'temperature'], msg: 'Input should be less than or equal to 1.5' }] }, type: 'invalid_request_error', param: null, code: null },
      errorClass: InvalidRequestError,
      code: 'invalid_request',
      retryable: false,
      message: 'body.temperature: Input should be less than or equal to 1.5',
    },
  ],
  [
    '429 with retry-after',
    { status: 429, body: { message: 'Requests rate limit exceeded' }, headers: { 'retry-after': '3' }, errorClass: RateLimitError, code: 'rate_limited', retryable: true, retryAfterMs: 3000, message: 'Requests rate limit exceeded' },
  ],
  ['500 server error', { status: 500, body: mistralError('Internal server error', 'internal_server_error'), errorClass: ProviderError, code: 'provider_error', retryable: true, message: 'Internal server error' }],
  ['503 unavailable (not JSON)', { status: 503, body: 'upstream connect error', errorClass: ProviderError, code: 'provider_error', retryable: true, message: 'upstream connect error' }],
]

describe('mistral adapter: errors from @mistralai/mistralai map to typed errors', () => {
  for (const mode of ['chat', 'stream'] as const) {
    it.each(cases)(`${mode}: %s`, async (_name, expected) => {
      const respond = () =>
        typeof expected.body === 'string'
          ? new HttpResponse(expected.body, { status: expected.status, headers: { 'content-type': 'text/plain', ...expected.headers } })
          : HttpResponse.json(expected.body, { status: expected.status, headers: expected.headers })
      const error = await failure(respond, mode)
      expectTypedError(error, { ...expected, provider: 'mistral', model: 'mistral-small-latest' })
      expect(error.message).toContain(`HTTP ${expected.status}`)
    })
  }

  it('never lets the API key out: not in the message, JSON, event or printed cause', async () => {
    const events: RouterEvent[] = []
    const error = await failure(() => HttpResponse.json({ message: `Invalid API key: ${mistralTestKey}` }, { status: 401 }), 'chat', events)
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(error.message).toContain('[redacted]')
    expectKeyHidden(mistralTestKey, error, events)
  })

  it('maps a connection failure to a retryable ProviderError', async () => {
    server.use(http.post(`${mistralBaseURL}/chat/completions`, () => HttpResponse.error()))
    let caught: unknown
    try {
      await router().chat(request)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ProviderError)
    expect((caught as ProviderError).retryable).toBe(true)
  })

  it('aborts a pending chat call: the HTTP request is cancelled and the call rejects with AbortedError', async () => {
    await expectPendingCallAborted(server, `${mistralBaseURL}/chat/completions`, (signal) => router().chat(request, { signal }))
  })

  it('aborts a stream mid-way: iteration rejects with AbortedError and the HTTP stream is cancelled', async () => {
    await expectStreamAbortedAtFirstChunk(server, `${mistralBaseURL}/chat/completions`, mistralChunk({ role: 'assistant', content: 'Hel' }), 'Hel', (signal) => router().stream(request, { signal }))
  })

  it('treats a stream that closes without a finish reason as a retryable failure, not a complete answer', async () => {
    serveMistral(server, 'chat/completions', () => sseResponse([mistralChunk({ role: 'assistant', content: 'Hel' })], { done: true }))
    const events = mistral({ apiKey: mistralTestKey }).stream({ model: 'mistral-small-latest', messages: request.messages }, { signal: new AbortController().signal })
    const error = await collect(events).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ProviderError)
    expect(error).toMatchObject({ provider: 'mistral', model: 'mistral-small-latest', retryable: true })
    expect((error as ProviderError).message).toContain('the answer is incomplete')
  })

  it('reports a stream that breaks after its first token as interrupted, with the partial text', async () => {
    const encoder = new TextEncoder()
    const payloads = [mistralChunk({ role: 'assistant', content: 'Hello' }), mistralChunk({ content: ' wor' })]
    serveMistral(server, 'chat/completions', () => {
      let sent = 0
      // One chunk per read, then a broken connection.
      const body = new ReadableStream<Uint8Array>({
        pull(stream) {
          if (sent < payloads.length) stream.enqueue(encoder.encode(`data: ${JSON.stringify(payloads[sent++])}\n\n`))
          // Broken a moment later, once the chunks before it have been read.
          else return new Promise((resolve) => setTimeout(resolve, 50)).then(() => stream.error(new Error('connection reset')))
        },
      })
      return new HttpResponse(body, { headers: { 'content-type': 'text/event-stream' } })
    })
    let caught: unknown
    try {
      for await (const _chunk of router().stream(request)) void _chunk
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(StreamInterruptedError)
    expect((caught as StreamInterruptedError).partialText).toBe('Hello wor')
  })
})
