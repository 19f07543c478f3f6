import { describe, expect, it } from 'vitest'
import {
  AuthenticationError,
  ContentFilteredError,
  ContextLengthExceededError,
  createRouter,
  fallback,
  InvalidRequestError,
  mockProvider,
  openai,
  ProviderError,
  RateLimitError,
  StreamInterruptedError,
  SwitchyardError,
  TimeoutError,
  type RouterEvent,
} from '../../../src/index.js'
import { expectKeyHidden, expectTypedError, failedCall, onceRequest, onceRouter, type CallMode } from '../../helpers/call-errors.js'
import { useMswServer } from '../../helpers/msw.js'
import { chunk, errorResponse, serveChatCompletions, testApiKey } from '../../helpers/openai-handlers.js'
import { sseResponse } from '../../helpers/recordings.js'
import { collect } from '../../helpers/streams.js'

const server = useMswServer()

function router(events: RouterEvent[] = []) {
  return onceRouter(openai({ apiKey: testApiKey }), 'openai/gpt-4o', events)
}

const request = onceRequest

function failure(respond: () => Response, mode: CallMode = 'chat', events: RouterEvent[] = []): Promise<SwitchyardError> {
  serveChatCompletions(server, respond)
  return failedCall(router(events), request, mode)
}

interface Expectation {
  status: number
  headers?: Record<string, string>
  type?: string
  code?: string | null
  message?: string
  errorClass: new (...args: any[]) => SwitchyardError
  errorCode: string
  retryable: boolean
  retryAfterMs?: number
}

const cases: Array<[string, Expectation]> = [
  ['400 invalid request', { status: 400, errorClass: InvalidRequestError, errorCode: 'invalid_request', retryable: false }],
  [
    '400 context_length_exceeded',
    { status: 400, code: 'context_length_exceeded', message: "This model's maximum context length is 128000 tokens.", errorClass: ContextLengthExceededError, errorCode: 'context_length_exceeded', retryable: false },
  ],
  [
    '400 content policy',
    { status: 400, code: 'content_policy_violation', message: 'Your request was rejected as a result of our safety system.', errorClass: ContentFilteredError, errorCode: 'content_filtered', retryable: false },
  ],
  ['401 authentication', { status: 401, type: 'invalid_request_error', code: 'invalid_api_key', errorClass: AuthenticationError, errorCode: 'authentication_failed', retryable: false }],
  ['403 permission', { status: 403, errorClass: AuthenticationError, errorCode: 'authentication_failed', retryable: false }],
  ['404 model not found', { status: 404, code: 'model_not_found', errorClass: InvalidRequestError, errorCode: 'invalid_request', retryable: false }],
  ['408 request timeout', { status: 408, errorClass: TimeoutError, errorCode: 'timeout', retryable: true }],
  ['413 payload too large', { status: 413, errorClass: ContextLengthExceededError, errorCode: 'context_length_exceeded', retryable: false }],
  [
    '429 with retry-after in seconds',
    { status: 429, headers: { 'retry-after': '2' }, type: 'requests', errorClass: RateLimitError, errorCode: 'rate_limited', retryable: true, retryAfterMs: 2000 },
  ],
  [
    '429 with retry-after-ms',
    { status: 429, headers: { 'retry-after-ms': '1500', 'retry-after': '2' }, type: 'tokens', errorClass: RateLimitError, errorCode: 'rate_limited', retryable: true, retryAfterMs: 1500 },
  ],
  ['500 server error', { status: 500, type: 'server_error', errorClass: ProviderError, errorCode: 'provider_error', retryable: true }],
  ['503 unavailable', { status: 503, type: 'server_error', errorClass: ProviderError, errorCode: 'provider_error', retryable: true }],
  ['529 overloaded', { status: 529, type: 'overloaded_error', errorClass: ProviderError, errorCode: 'provider_error', retryable: true }],
]

describe('openai adapter: HTTP errors become typed errors', () => {
  for (const mode of ['chat', 'stream'] as const) {
    for (const [title, expected] of cases) {
      it(`${mode}: ${title}`, async () => {
        const error = await failure(
          () => errorResponse(expected.status, expected.message ?? `failure ${expected.status}`, expected.headers, expected.type, expected.code ?? null),
          mode,
        )
        expectTypedError(error, {
          errorClass: expected.errorClass,
          code: expected.errorCode,
          status: expected.status,
          retryable: expected.retryable,
          retryAfterMs: expected.retryAfterMs,
          provider: 'openai',
          model: 'gpt-4o',
          message: expected.message ?? `failure ${expected.status}`,
        })
      })
    }
  }

  it('a retry-after given as an HTTP date becomes milliseconds', async () => {
    const inThirtySeconds = new Date(Date.now() + 30_000).toUTCString()
    const error = await failure(() => errorResponse(429, 'slow down', { 'retry-after': inThirtySeconds }))
    expect(error).toBeInstanceOf(RateLimitError)
    // HTTP dates have one-second resolution.
    expect(error.retryAfterMs).toBeGreaterThan(27_000)
    expect(error.retryAfterMs).toBeLessThanOrEqual(30_000)
  })

  it('a connection failure is a retryable ProviderError', async () => {
    const { http, HttpResponse } = await import('msw')
    server.use(http.post('https://api.openai.com/v1/chat/completions', () => HttpResponse.error()))
    const error = await router()
      .chat({ model: 'once', messages: [{ role: 'user', content: 'hi' }] })
      .then(() => undefined, (caught: unknown) => caught as SwitchyardError)
    expect(error).toBeInstanceOf(ProviderError)
    expect(error!.retryable).toBe(true)
    expect(error!.status).toBeUndefined()
  })
})

describe('API keys never leak', () => {
  // OpenAI echoes (part of) a rejected key; a misbehaving proxy may echo all of it.
  const echo = () =>
    errorResponse(401, `Incorrect API key provided: ${testApiKey}. Header was "Authorization: Bearer ${testApiKey}".`, {}, 'invalid_request_error', 'invalid_api_key')

  for (const mode of ['chat', 'stream'] as const) {
    it(`${mode}: not in the message, the JSON, the inspected error or any event`, async () => {
      const events: RouterEvent[] = []
      const error = await failure(echo, mode, events)
      expect(error).toBeInstanceOf(AuthenticationError)
      expect(error.message).toContain('Incorrect API key provided')
      expect(error.message).toContain('[redacted]')
      expect(error.message).not.toContain('0123456789abcdef')
      expect(events.length).toBeGreaterThan(0)
      expectKeyHidden(testApiKey, error, events)
    })
  }

  it('a key-shaped string of another key is masked too', async () => {
    const otherKey = 'sk-proj-AbCdEfGhIjKlMnOpQrStUv'
    const error = await failure(() => errorResponse(400, `Key ${otherKey} is not valid for this project`))
    expect(error.message).not.toContain(otherKey)
    expect(JSON.stringify(error)).not.toContain(otherKey)
  })
})

describe('streams that close without a finish reason', () => {
  const signal = new AbortController().signal
  const hi = [{ role: 'user' as const, content: 'hi' }]

  for (const done of [false, true]) {
    it(`are a retryable failure, not a complete answer (${done ? 'with' : 'without'} [DONE])`, async () => {
      serveChatCompletions(server, () => sseResponse([chunk({ role: 'assistant', content: 'Hel' })], { done }))
      const error = await collect(openai({ apiKey: testApiKey }).stream({ model: 'gpt-4o', messages: hi }, { signal })).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(ProviderError)
      expect(error).toMatchObject({ provider: 'openai', model: 'gpt-4o', retryable: true })
      expect((error as ProviderError).message).toContain('the answer is incomplete')
    })
  }

  it('fall back invisibly before the first token, and end as interrupted, with the partial text, after it', async () => {
    const backup = mockProvider({ id: 'backup', models: { m: 'backup answer' } })
    const chain = createRouter({ providers: [openai({ apiKey: testApiKey }), backup], routes: { main: fallback(['openai/gpt-4o', 'backup/m'], { retries: 0 }) } })

    serveChatCompletions(server, () => sseResponse([], { done: true }))
    const stream = chain.stream({ model: 'main', messages: hi })
    expect((await collect(stream)).map((item) => item.choices[0]?.delta.content ?? '').join('')).toBe('backup answer')
    expect((await stream.finalResult()).route.attempts[0]!.error).toMatchObject({ provider: 'openai', retryable: true })

    serveChatCompletions(server, () => sseResponse([chunk({ role: 'assistant', content: 'Hel' })], { done: true }))
    const error = await collect(chain.stream({ model: 'main', messages: hi })).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(StreamInterruptedError)
    expect((error as StreamInterruptedError).partialText).toBe('Hel')
  })
})

