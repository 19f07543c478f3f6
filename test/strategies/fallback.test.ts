import { HttpResponse } from 'msw'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  AbortedError,
  AllCandidatesFailedError,
  createRouter,
  fallback,
  InvalidRequestError,
  mockProvider,
  openai,
  openaiCompatible,
  RateLimitError,
  StreamInterruptedError,
  TimeoutError,
  type ChatChunk,
  type MockErrorKind,
  type RouterEvent,
} from '../../src/index.js'
import { isNeverAbortedSignal } from '../../src/internal/abortable.js'
import { useMswServer } from '../helpers/msw.js'
import { chunk, completionResponse, errorResponse, serveChatCompletions, serveHangingChatCompletions, testApiKey } from '../helpers/openai-handlers.js'
import { recordedChunks, sseResponse } from '../helpers/recordings.js'

const server = useMswServer()
const messages = [{ role: 'user' as const, content: 'hello' }]
const compatibleBaseURL = 'https://backup.example.com/v1'

afterEach(() => vi.useRealTimers())

async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = []
  for await (const item of stream) chunks.push(item)
  return chunks
}

const textOf = (chunks: ChatChunk[]) => chunks.map((item) => item.choices[0]?.delta.content ?? '').join('')

describe('fallback: which failures move on', () => {
  const movesOn: Array<[MockErrorKind, string]> = [
    ['rate_limit', 'rate_limited'],
    ['server', 'provider_error'],
    ['overloaded', 'provider_error'],
    ['timeout', 'timeout'],
    ['auth', 'authentication_failed'],
    ['context_length', 'context_length_exceeded'],
    ['content_filter', 'content_filtered'],
  ]
  for (const [kind, code] of movesOn) {
    for (const mode of ['chat', 'stream'] as const) {
      it(`${mode}: ${kind} on the first candidate moves to the next`, async () => {
        const first = mockProvider({ id: 'first', models: { m: { error: kind } } })
        const second = mockProvider({ id: 'second', models: { m: 'from second' } })
        const router = createRouter({ providers: [first, second], routes: { main: fallback(['first/m', 'second/m'], { retries: 0 }) } })
        const result = mode === 'chat' ? await router.chat({ model: 'main', messages }) : await router.stream({ model: 'main', messages }).finalResult()
        expect(result.choices[0]!.message.content).toBe('from second')
        expect(result.route.provider).toBe('second')
        expect(result.route.attempts.map((attempt) => [attempt.provider, attempt.outcome, attempt.error?.code])).toEqual([
          ['first', 'error', code],
          ['second', 'success', undefined],
        ])
        expect(first.calls).toHaveLength(1)
      })
    }
  }

  for (const mode of ['chat', 'stream'] as const) {
    it(`${mode}: a plain invalid request is thrown at once; the next candidate is never called`, async () => {
      const first = mockProvider({ id: 'first', models: { m: { error: 'invalid' } } })
      const second = mockProvider({ id: 'second', models: { m: 'never' } })
      const router = createRouter({ providers: [first, second], routes: { main: fallback(['first/m', 'second/m'], { retries: 3 }) } })
      const call = mode === 'chat' ? router.chat({ model: 'main', messages }) : router.stream({ model: 'main', messages }).finalResult()
      await expect(call).rejects.toBeInstanceOf(InvalidRequestError)
      expect(first.calls).toHaveLength(1)
      expect(second.calls).toHaveLength(0)
    })
  }

  it('an OpenAI 400 is not retried and does not fall back', async () => {
    const captured = serveChatCompletions(server, () => errorResponse(400, "Invalid value for 'temperature'"))
    const backup = mockProvider({ id: 'backup', models: { m: 'never' } })
    const router = createRouter({
      providers: [openai({ apiKey: testApiKey }), backup],
      routes: { main: fallback(['openai/gpt-4o', 'backup/m'], { retries: 2 }) },
    })
    const error = await router.chat({ model: 'main', messages }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(InvalidRequestError)
    expect((error as InvalidRequestError).status).toBe(400)
    expect(captured).toHaveLength(1)
    expect(backup.calls).toHaveLength(0)
  })
})

describe('fallback: retries', () => {
  it('retries a retryable error on the same candidate before moving on', async () => {
    const flaky = mockProvider({ id: 'flaky', models: { m: [{ error: 'server' }, { error: 'overloaded' }, 'third time lucky'] } })
    const backup = mockProvider({ id: 'backup', models: { m: 'backup' } })
    const router = createRouter({
      providers: [flaky, backup],
      routes: { main: fallback(['flaky/m', 'backup/m'], { retries: 2, minRetryDelayMs: 1 }) },
    })
    const result = await router.chat({ model: 'main', messages })
    expect(result.choices[0]!.message.content).toBe('third time lucky')
    expect(flaky.calls).toHaveLength(3)
    expect(backup.calls).toHaveLength(0)
    expect(result.route.attempts.map((attempt) => attempt.outcome)).toEqual(['error', 'error', 'success'])
  })

  it('exhausted retries move on to the next candidate', async () => {
    const down = mockProvider({ id: 'down', models: { m: { error: 'server' } } })
    const backup = mockProvider({ id: 'backup', models: { m: 'backup' } })
    const router = createRouter({ providers: [down, backup], routes: { main: fallback(['down/m', 'backup/m'], { retries: 2, minRetryDelayMs: 1 }) } })
    const result = await router.chat({ model: 'main', messages })
    expect(result.route.provider).toBe('backup')
    expect(down.calls).toHaveLength(3)
  })

  it('waits for the retry-after before retrying (fake timers)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const limited = mockProvider({ id: 'limited', models: { m: [{ error: 'rate_limit', retryAfterMs: 5_000 }, 'after the wait'] } })
    const router = createRouter({ providers: [limited], routes: { main: fallback(['limited/m'], { retries: 1, minRetryDelayMs: 1_000 }) } })
    const pending = router.chat({ model: 'main', messages })
    await vi.advanceTimersByTimeAsync(4_900)
    // 4.9 s in: the provider asked for 5 s, so no second request yet (backoff alone would be 1 s).
    expect(limited.calls).toHaveLength(1)
    // 5.1 s in: retried. The wait is the longer of retry-after and backoff, not their sum (6 s).
    await vi.advanceTimersByTimeAsync(200)
    expect(limited.calls).toHaveLength(2)
    const result = await pending
    expect(limited.calls).toHaveLength(2)
    expect(result.choices[0]!.message.content).toBe('after the wait')
    expect(result.route.attempts[0]!.error).toBeInstanceOf(RateLimitError)
    expect(result.route.attempts[0]!.error!.retryAfterMs).toBe(5_000)
  })

  it('honours an OpenAI retry-after-ms header end to end', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const captured = serveChatCompletions(server, (_body, call) =>
      call === 0 ? errorResponse(429, 'Rate limit reached', { 'retry-after-ms': '3000' }, 'requests') : completionResponse({ content: 'ok now' }),
    )
    const router = createRouter({ providers: [openai({ apiKey: testApiKey })], routes: { main: fallback(['openai/gpt-4o'], { retries: 1, minRetryDelayMs: 10 }) } })
    const pending = router.chat({ model: 'main', messages })
    await vi.advanceTimersByTimeAsync(2_900)
    expect(captured).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(200)
    await vi.waitFor(() => expect(captured).toHaveLength(2))
    expect((await pending).choices[0]!.message.content).toBe('ok now')
  })

  it('a retry-after beyond maxRetryAfterMs moves on at once instead of waiting', async () => {
    const limited = mockProvider({ id: 'limited', models: { m: { error: 'rate_limit', retryAfterMs: 60_000 } } })
    const backup = mockProvider({ id: 'backup', models: { m: 'backup' } })
    const router = createRouter({
      providers: [limited, backup],
      routes: { main: fallback(['limited/m', 'backup/m'], { retries: 3, maxRetryAfterMs: 10_000 }) },
    })
    const result = await router.chat({ model: 'main', messages })
    expect(result.route.provider).toBe('backup')
    expect(limited.calls).toHaveLength(1)
  })
})

describe('fallback: all candidates failing', () => {
  it('AllCandidatesFailedError carries every attempt with its own error', async () => {
    const router = createRouter({
      providers: [
        mockProvider({ id: 'a', models: { m: { error: 'rate_limit' } } }),
        mockProvider({ id: 'b', models: { m: { error: 'auth' } } }),
        mockProvider({ id: 'c', models: { m: { error: 'server' } } }),
      ],
      routes: { main: fallback(['a/m', 'b/m', 'c/m'], { retries: 1, minRetryDelayMs: 1 }) },
    })
    const error = (await router.chat({ model: 'main', messages }).catch((caught: unknown) => caught)) as AllCandidatesFailedError
    expect(error).toBeInstanceOf(AllCandidatesFailedError)
    // a and c are retried once (retryable); b's authentication failure is not.
    expect(error.attempts.map((attempt) => `${attempt.provider}:${attempt.error?.code}`)).toEqual([
      'a:rate_limited',
      'a:rate_limited',
      'b:authentication_failed',
      'c:provider_error',
      'c:provider_error',
    ])
    for (const attempt of error.attempts) {
      expect(attempt.outcome).toBe('error')
      expect(attempt.latencyMs).toBeGreaterThanOrEqual(0)
    }
    expect(error.message).toContain('a/m: rate_limited')
    expect(error.message).toContain('b/m: authentication_failed')
  })

  it('an ad-hoc array of ids is a fallback chain too', async () => {
    const router = createRouter({
      providers: [mockProvider({ id: 'a', models: { m: { error: 'server' } } }), mockProvider({ id: 'b', models: { m: 'b answered' } })],
    })
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const pending = router.chat({ model: ['a/m', 'b/m'], messages })
    await vi.runAllTimersAsync()
    const result = await pending
    expect(result.choices[0]!.message.content).toBe('b answered')
    expect(result.route).toMatchObject({ name: null, strategy: 'fallback', provider: 'b' })
  })
})

describe('fallback across providers through the real SDK', () => {
  function crossRouter(backupModel = 'backup/llama') {
    return createRouter({
      providers: [openai({ apiKey: testApiKey }), openaiCompatible({ id: 'backup', baseURL: compatibleBaseURL, apiKey: 'backup-key-0123456789' })],
      routes: { main: fallback(['openai/gpt-4o', backupModel], { retries: 0 }) },
    })
  }

  it('chat: OpenAI 503 → the OpenAI-compatible host answers', async () => {
    const primary = serveChatCompletions(server, () => errorResponse(503, 'The engine is currently overloaded', {}, 'server_error'))
    const backup = serveChatCompletions(server, () => completionResponse({ content: 'backup answer' }, { model: 'llama' }), compatibleBaseURL)
    const result = await crossRouter().chat({ model: 'main', messages })
    expect(result.choices[0]!.message.content).toBe('backup answer')
    expect(result.model).toBe('backup/llama')
    expect(primary).toHaveLength(1)
    expect(backup).toHaveLength(1)
    expect(backup[0]!.body.model).toBe('llama')
    expect(result.route.attempts.map((attempt) => [attempt.provider, attempt.error?.status])).toEqual([
      ['openai', 503],
      ['backup', undefined],
    ])
  })

  it('chat: OpenAI 429 → a mock provider answers', async () => {
    serveChatCompletions(server, () => errorResponse(429, 'Rate limit reached', { 'retry-after': '1' }, 'requests'))
    const mock = mockProvider({ id: 'mock', models: { m: 'mock answer' } })
    const router = createRouter({ providers: [openai({ apiKey: testApiKey }), mock], routes: { main: fallback(['openai/gpt-4o', 'mock/m'], { retries: 0 }) } })
    const result = await router.chat({ model: 'main', messages })
    expect(result.choices[0]!.message.content).toBe('mock answer')
    expect(result.route.attempts[0]!.error).toBeInstanceOf(RateLimitError)
  })

  it('stream: a stream that fails before its first token falls back invisibly', async () => {
    // The primary sends only the role chunk (no content), then the connection breaks.
    const recorded = recordedChunks('openai', 'openai-text')
    serveChatCompletions(server, () => sseResponse(recorded, { breakAfter: 1 }))
    serveChatCompletions(server, () => sseResponse([chunk({ role: 'assistant', content: '' }), chunk({ content: 'backup ' }), chunk({ content: 'stream' }), chunk({}, 'stop')], { done: true }), compatibleBaseURL)
    const chunks = await collect(crossRouter().stream({ model: 'main', messages }))
    expect(textOf(chunks)).toBe('backup stream')
    for (const item of chunks) expect(item.model).toBe('backup/llama')
    const route = chunks.at(-1)!.route!
    expect(route.provider).toBe('backup')
    expect(route.attempts.map((attempt) => attempt.outcome)).toEqual(['error', 'success'])
  })

  it('stream: an HTTP error before the stream starts falls back too', async () => {
    serveChatCompletions(server, () => errorResponse(500, 'boom', {}, 'server_error'))
    serveChatCompletions(server, () => sseResponse([chunk({ content: 'fine' }), chunk({}, 'stop')], { done: true }), compatibleBaseURL)
    const chunks = await collect(crossRouter().stream({ model: 'main', messages }))
    expect(textOf(chunks)).toBe('fine')
  })

  it('stream: a failure after the first token throws StreamInterruptedError with the partial text, no fallback', async () => {
    const recorded = recordedChunks('openai', 'openai-text')
    serveChatCompletions(server, () => sseResponse(recorded, { breakAfter: 6 }))
    const backup = serveChatCompletions(server, () => completionResponse({ content: 'never' }), compatibleBaseURL)
    const received: ChatChunk[] = []
    let caught: unknown
    try {
      for await (const item of crossRouter().stream({ model: 'main', messages })) received.push(item)
    } catch (error) {
      caught = error
    }
    const recordedText = recorded.map((item) => item.choices[0]?.delta?.content ?? '').join('')
    expect(caught).toBeInstanceOf(StreamInterruptedError)
    const error = caught as StreamInterruptedError
    // The SDK's SSE decoder may hold back the event the connection broke after, so the partial
    // text is what the consumer actually received: a non-empty prefix of the recorded answer.
    expect(textOf(received)).toContain('**Holiday Name:**')
    expect(recordedText.startsWith(textOf(received))).toBe(true)
    expect(error.partialText).toBe(textOf(received))
    expect(error.message).toContain('partialText')
    expect(error.partialChunks).toHaveLength(received.length)
    expect(error.provider).toBe('openai')
    expect(backup).toHaveLength(0)
  })

  it('abort: the caller signal ends the call with AbortedError, cancels the request and never falls back', async () => {
    const { captured: primary, arrived } = serveHangingChatCompletions(server)
    const backup = serveChatCompletions(server, () => completionResponse({ content: 'never' }), compatibleBaseURL)
    const events: RouterEvent[] = []
    const router = createRouter({
      providers: [openai({ apiKey: testApiKey }), openaiCompatible({ id: 'backup', baseURL: compatibleBaseURL, apiKey: 'backup-key-0123456789' })],
      routes: { main: fallback(['openai/gpt-4o', 'backup/llama'], { retries: 2 }) },
      onEvent: (event) => events.push(event),
    })
    const controller = new AbortController()
    const pending = router.chat({ model: 'main', messages }, { signal: controller.signal })
    await arrived
    controller.abort()
    await expect(pending).rejects.toBeInstanceOf(AbortedError)
    expect(primary[0]!.signal.aborted).toBe(true)
    expect(primary).toHaveLength(1)
    expect(backup).toHaveLength(0)
    const ended = events.filter((event) => event.type === 'attempt-end')
    expect(ended.map((event) => event.type === 'attempt-end' && event.attempt.outcome)).toEqual(['aborted'])
  })

  it('abort during a stream: AbortedError, request cancelled, no fallback', async () => {
    let markArrived!: () => void
    const arrived = new Promise<void>((resolve) => (markArrived = resolve))
    const encoder = new TextEncoder()
    const primary = serveChatCompletions(server, () => {
      // Sends one token and then stays open.
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode(`data: ${JSON.stringify(chunk({ content: 'first' }))}\n\n`))
          markArrived()
        },
      })
      return new HttpResponse(body, { headers: { 'content-type': 'text/event-stream' } })
    })
    const backup = serveChatCompletions(server, () => completionResponse({ content: 'never' }), compatibleBaseURL)
    const controller = new AbortController()
    const received: ChatChunk[] = []
    const consume = (async () => {
      for await (const item of crossRouter().stream({ model: 'main', messages }, { signal: controller.signal })) {
        received.push(item)
        controller.abort()
      }
    })()
    await arrived
    await expect(consume).rejects.toBeInstanceOf(AbortedError)
    expect(textOf(received)).toBe('first')
    expect(primary[0]!.signal.aborted).toBe(true)
    expect(backup).toHaveLength(0)
  })

  it('timeoutMs: a slow candidate fails with TimeoutError and the next one answers', async () => {
    const { captured: slow } = serveHangingChatCompletions(server)
    serveChatCompletions(server, () => completionResponse({ content: 'quick backup' }), compatibleBaseURL)
    const router = createRouter({
      providers: [openai({ apiKey: testApiKey }), openaiCompatible({ id: 'backup', baseURL: compatibleBaseURL, apiKey: 'backup-key-0123456789' })],
      routes: { main: fallback(['openai/gpt-4o', 'backup/llama'], { retries: 0, timeoutMs: 50 }) },
    })
    const result = await router.chat({ model: 'main', messages })
    expect(result.choices[0]!.message.content).toBe('quick backup')
    expect(result.route.attempts[0]!.error).toBeInstanceOf(TimeoutError)
    expect(result.route.attempts[0]!.error!.message).toContain('50 ms')
    // The timed-out HTTP request was cancelled, not left running.
    expect(slow[0]!.signal.aborted).toBe(true)
  })

  it('timeoutMs on a stream: no first token in time → TimeoutError, then the next candidate streams', async () => {
    serveHangingChatCompletions(server)
    serveChatCompletions(server, () => sseResponse([chunk({ content: 'streamed backup' }), chunk({}, 'stop')], { done: true }), compatibleBaseURL)
    const router = createRouter({
      providers: [openai({ apiKey: testApiKey }), openaiCompatible({ id: 'backup', baseURL: compatibleBaseURL, apiKey: 'backup-key-0123456789' })],
      routes: { main: fallback(['openai/gpt-4o', 'backup/llama'], { retries: 0, timeoutMs: 50 }) },
    })
    const chunks = await collect(router.stream({ model: 'main', messages }))
    expect(textOf(chunks)).toBe('streamed backup')
    expect(chunks.at(-1)!.route!.attempts[0]!.error).toBeInstanceOf(TimeoutError)
  })
})

describe('fallback with cool-down', () => {
  it('a model rate-limited in one call is skipped (tried last) in the next', async () => {
    const limited = mockProvider({ id: 'limited', models: { m: [{ error: 'rate_limit', retryAfterMs: 60_000 }, 'recovered'] } })
    const backup = mockProvider({ id: 'backup', models: { m: 'backup' } })
    const events: RouterEvent[] = []
    const router = createRouter({
      providers: [limited, backup],
      routes: { main: fallback(['limited/m', 'backup/m'], { retries: 0 }) },
      onEvent: (event) => events.push(event),
    })
    await router.chat({ model: 'main', messages })
    const second = await router.chat({ model: 'main', messages })
    expect(second.route.provider).toBe('backup')
    expect(limited.calls).toHaveLength(1)
    expect(events.some((event) => event.type === 'candidate-skipped' && event.provider === 'limited')).toBe(true)
  })
})

describe('fallback: calls made without a signal', () => {
  it('add no listener to their never-aborted signal while their retries wait', async () => {
    // Nothing can fire it, so listening to it would only cost: attempts skip it altogether.
    const addListener = vi.spyOn(EventTarget.prototype, 'addEventListener')
    try {
      const flaky = mockProvider({ id: 'flaky', models: { m: (_request, call) => (call < 12 ? { error: 'server' } : 'ok') } })
      const router = createRouter({ providers: [flaky], routes: { retried: fallback(['flaky/m'], { retries: 2, minRetryDelayMs: 5 }) } })
      const results = await Promise.all(Array.from({ length: 12 }, () => router.chat({ model: 'retried', messages })))
      expect(results.map((result) => result.choices[0]!.message.content)).toEqual(Array(12).fill('ok'))
      expect(flaky.calls.length).toBeGreaterThan(12)
      const listenedTo = addListener.mock.contexts as EventTarget[]
      expect(listenedTo.filter((target) => target instanceof AbortSignal && isNeverAbortedSignal(target))).toEqual([])
    } finally {
      addListener.mockRestore()
    }
  })
})
