import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import {
  AbortedError,
  AuthenticationError,
  ContextLengthExceededError,
  createRouter,
  fallback,
  google,
  InvalidRequestError,
  ProviderError,
  RateLimitError,
  StreamInterruptedError,
  type ChatChunk,
} from '../../../src/index.js'
import { expectPendingCallAborted } from '../../helpers/abort-handlers.js'
import { attemptError, expectTypedError } from '../../helpers/call-errors.js'
import { useMswServer } from '../../helpers/msw.js'
import { collect } from '../../helpers/streams.js'
import { sseResponse } from '../../helpers/recordings.js'
import { geminiBaseURL, geminiResponse, googleError, serveGemini, testGoogleKey } from './google-handlers.js'

const server = useMswServer()
const flash = 'gemini-2.5-flash'
const messages = [{ role: 'user' as const, content: 'Hello' }]

// No router retries, so the request count shows the SDK's own retries are off.
function router() {
  return createRouter({ providers: [google({ apiKey: testGoogleKey })], routes: { once: fallback([`google/${flash}`], { retries: 0 }) } })
}

describe('google adapter: errors from the real SDK mapped to typed errors', () => {
  const cases = [
    { status: 400, name: 'INVALID_ARGUMENT', message: 'Invalid JSON payload received.', type: InvalidRequestError, code: 'invalid_request', retryable: false },
    { status: 400, name: 'INVALID_ARGUMENT', message: 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).', type: ContextLengthExceededError, code: 'context_length_exceeded', retryable: false },
    { status: 401, name: 'UNAUTHENTICATED', message: 'Request had invalid authentication credentials.', type: AuthenticationError, code: 'authentication_failed', retryable: false },
    { status: 403, name: 'PERMISSION_DENIED', message: 'Method doesn\'t allow unregistered callers.', type: AuthenticationError, code: 'authentication_failed', retryable: false },
    { status: 404, name: 'NOT_FOUND', message: 'models/gemini-9 is not found for API version v1beta.', type: InvalidRequestError, code: 'invalid_request', retryable: false },
    { status: 429, name: 'RESOURCE_EXHAUSTED', message: 'Resource has been exhausted.', type: RateLimitError, code: 'rate_limited', retryable: true },
    { status: 500, name: 'INTERNAL', message: 'An internal error has occurred.', type: ProviderError, code: 'provider_error', retryable: true },
    { status: 503, name: 'UNAVAILABLE', message: 'The model is overloaded. Please try again later.', type: ProviderError, code: 'provider_error', retryable: true },
  ]
  for (const { status, name, message, type, code, retryable } of cases) {
    it(`maps HTTP ${status} ${name} to ${type.name} (${retryable ? '' : 'not '}retryable), one request only`, async () => {
      const captured = serveGemini(server, flash, 'generateContent', () => googleError(status, name, message))
      const error = await attemptError(router().chat({ model: 'once', messages }))
      expectTypedError(error, { errorClass: type, code, status, retryable, provider: 'google', model: flash, message })
      expect(error.message).toBe(`google/${flash}: ${message} (HTTP ${status})`)
      expect(captured).toHaveLength(1)
    })
  }

  it('maps the 400 Gemini sends for a bad key (ErrorInfo reason API_KEY_INVALID) to AuthenticationError', async () => {
    serveGemini(server, flash, 'generateContent', () =>
      googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' },
      ]),
    )
    const error = await attemptError(router().chat({ model: 'once', messages }))
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(error).toMatchObject({ status: 400, retryable: false, provider: 'google', model: flash })
    expect(error.message).toBe(`google/${flash}: API key not valid. Please pass a valid API key. (HTTP 400)`)
  })

  it('maps an error of a stream request, and an error chunk inside an SSE stream', async () => {
    serveGemini(server, flash, 'streamGenerateContent', () => googleError(503, 'UNAVAILABLE', 'Overloaded.'))
    const before = await attemptError((async () => { for await (const _ of router().stream({ model: 'once', messages })) void _ })())
    expect(before).toBeInstanceOf(ProviderError)
    expect(before).toMatchObject({ status: 503, retryable: true })

    server.resetHandlers()
    serveGemini(server, flash, 'streamGenerateContent', () => {
      const body = `data: ${JSON.stringify(geminiResponse([{ text: 'Hi' }], { finishReason: undefined as unknown as string }))}\n\n` +
        `data: ${JSON.stringify({ error: { code: 429, message: 'Quota exceeded.', status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '20s' }] } })}\n\n`
      return new HttpResponse(body, { headers: { 'content-type': 'text/event-stream' } })
    })
    const chunks: ChatChunk[] = []
    const during = await attemptError((async () => { for await (const chunk of router().stream({ model: 'once', messages })) chunks.push(chunk) })())
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content).join('')).toBe('Hi')
    // After the first token the router reports an interrupted stream whose cause is the typed error.
    expect(during).toBeInstanceOf(StreamInterruptedError)
    expect(during.partialText).toBe('Hi')
    expect(during.cause).toBeInstanceOf(RateLimitError)
    expect(during.cause).toMatchObject({ status: 429, retryAfterMs: 20_000 })
  })

  it('reports a connection broken mid-stream as an interrupted stream keeping the partial text', async () => {
    serveGemini(server, flash, 'streamGenerateContent', () =>
      sseResponse([geminiResponse([{ text: 'Part' }]), geminiResponse([{ text: 'ial' }]), geminiResponse([{ text: ' never' }])], { breakAfter: 2 }),
    )
    const error = await attemptError(collect(router().stream({ model: 'once', messages })))
    expect(error).toBeInstanceOf(StreamInterruptedError)
    // The break discards what the socket had not yet delivered, so the second chunk may or may not have arrived.
    expect(['Part', 'Partial']).toContain(error.partialText)
    expect(error.cause).toBeInstanceOf(ProviderError)
    expect(error.cause.retryable).toBe(true)
  })

  it('treats a stream that closes without a finish reason as a retryable failure, not a complete answer', async () => {
    const cut = geminiResponse([{ text: 'Hel' }])
    delete (cut.candidates[0] as { finishReason?: string }).finishReason
    serveGemini(server, flash, 'streamGenerateContent', () => sseResponse([cut]))
    const error = await attemptError(collect(google({ apiKey: testGoogleKey }).stream({ model: flash, messages }, { signal: new AbortController().signal })))
    expect(error).toBeInstanceOf(ProviderError)
    expect(error).toMatchObject({ provider: 'google', model: flash, retryable: true })
    expect(error.message).toContain('the answer is incomplete')
  })

  it('masks the API key in messages, JSON and cause, including a key= query parameter in an echoed URL', async () => {
    const echoed = `API key ${testGoogleKey} not valid for https://generativelanguage.googleapis.com/v1beta/models/${flash}:generateContent?alt=sse&key=${testGoogleKey}&x=1`
    serveGemini(server, flash, 'generateContent', () => googleError(400, 'INVALID_ARGUMENT', echoed))
    const error = await attemptError(router().chat({ model: 'once', messages }))
    expect(error).toBeInstanceOf(InvalidRequestError)
    expect(error.message).toContain('key=[redacted]&x=1')
    for (const text of [error.message, JSON.stringify(error), String(error.cause?.message), String(error.stack)]) {
      expect(text).not.toContain(testGoogleKey)
      expect(text).not.toContain('AIzaSy')
    }
  })

  it('maps a connection failure to a retryable ProviderError', async () => {
    server.use(http.post(`${geminiBaseURL}/${flash}\\:generateContent`, () => HttpResponse.error()))
    const error = await attemptError(router().chat({ model: 'once', messages }))
    expect(error.constructor).toBe(ProviderError)
    expect(error.retryable).toBe(true)
  })

  it('passes the AbortSignal to the SDK: aborting a pending call rejects with AbortedError and cancels the request', async () => {
    await expectPendingCallAborted(server, `${geminiBaseURL}/${flash}\\:generateContent`, (signal) => router().chat({ model: 'once', messages }, { signal }))
  })

  it('aborts a stream mid-way: iteration rejects with AbortedError and the connection is closed', async () => {
    let requestSignal: AbortSignal | undefined
    server.use(
      http.post(`${geminiBaseURL}/${flash}\\:streamGenerateContent`, ({ request }) => {
        requestSignal = request.signal
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode(`data: ${JSON.stringify(geminiResponse([{ text: 'first' }]))}\n\n`))
            request.signal.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')))
          },
        })
        return new HttpResponse(stream, { headers: { 'content-type': 'text/event-stream' } })
      }),
    )
    const controller = new AbortController()
    const received: string[] = []
    const error = await attemptError(
      (async () => {
        for await (const chunk of router().stream({ model: 'once', messages }, { signal: controller.signal })) {
          received.push(chunk.choices[0]?.delta.content ?? '')
          controller.abort()
        }
      })(),
    )
    expect(received.join('')).toBe('first')
    expect(error).toBeInstanceOf(AbortedError)
    expect(requestSignal?.aborted).toBe(true)
  })

  it('adapter used directly: an aborted signal rejects with AbortedError, not a provider error', async () => {
    serveGemini(server, flash, 'generateContent', () => HttpResponse.json(geminiResponse([{ text: 'late' }])))
    const controller = new AbortController()
    controller.abort()
    const error = await attemptError(google({ apiKey: testGoogleKey }).chat({ model: flash, messages }, { signal: controller.signal }))
    expect(error).toBeInstanceOf(AbortedError)
  })
})
