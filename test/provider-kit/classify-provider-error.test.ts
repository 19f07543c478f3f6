import { describe, expect, it } from 'vitest'
import {
  AbortedError,
  AuthenticationError,
  createRouter,
  fallback,
  InvalidRequestError,
  ProviderError,
  RateLimitError,
  TimeoutError,
  type ProviderAdapter,
} from '../../src/index.js'
import { classifyProviderError } from '../../src/provider-kit/classify-provider-error.js'

const context = { provider: 'acme', model: 'm1', secrets: ['acme-secret-key-123456'] }

// A class whose name says nothing, as a minifier leaves it.
class e extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly headers?: unknown,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}

describe('classifyProviderError: by shape, never by class name', () => {
  it('a numeric status with a retry-after header is a rate limit with the wait', () => {
    const error = classifyProviderError(new e('slow down', 429, new Headers({ 'retry-after': '7' })), context)
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error).toMatchObject({ status: 429, retryable: true, retryAfterMs: 7000, provider: 'acme', model: 'm1' })
    // A plain object (not even an Error) with a header record works the same.
    const plain = classifyProviderError({ status: 429, headers: { 'retry-after-ms': '250' }, message: 'busy' }, context)
    expect(plain).toBeInstanceOf(RateLimitError)
    expect(plain.retryAfterMs).toBe(250)
  })

  it.each([
    [401, AuthenticationError, false],
    [403, AuthenticationError, false],
    [400, InvalidRequestError, false],
    [500, ProviderError, true],
    [503, ProviderError, true],
    [529, ProviderError, true],
  ] as const)('HTTP %i → %o, retryable %s', (status, errorClass, retryable) => {
    const error = classifyProviderError(new e('failed', status), context)
    expect(error.constructor).toBe(errorClass)
    expect(error.retryable).toBe(retryable)
    expect(error.status).toBe(status)
  })

  it('reads `statusCode` and a JSON body text (Speakeasy-style clients)', () => {
    const error = classifyProviderError({ statusCode: 429, body: '{"message":"Requests rate limit exceeded","type":"rate_limited"}', headers: new Headers() }, context)
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error.message).toBe('acme/m1: Requests rate limit exceeded (HTTP 429)')
  })

  it('takes the wait from the body when no header gives it', () => {
    const google = { status: 429, message: JSON.stringify({ error: { code: 429, message: 'quota', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '34.5s' }] } }) }
    expect(classifyProviderError(google, context).retryAfterMs).toBe(34_500)
    const openAIStyle = { status: 429, error: { message: 'Rate limit reached for gpt-4o. Please try again in 1.25s.', type: 'requests' } }
    expect(classifyProviderError(openAIStyle, context).retryAfterMs).toBe(1250)
    const groqStyle = { status: 429, error: { error: { message: 'Limit reached. Please try again in 2m3.5s. Visit ...', type: 'tokens' } } }
    expect(classifyProviderError(groqStyle, context).retryAfterMs).toBe(123_500)
    const header = { status: 429, headers: { 'retry-after': '2' }, error: { message: 'try again in 9s' } }
    expect(classifyProviderError(header, context).retryAfterMs).toBe(2000)
  })

  it('a connection failure anywhere in the cause chain is retryable', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })
    const wrapped = new e('Connection error.', undefined, undefined, { cause: new TypeError('fetch failed', { cause: reset }) })
    expect(classifyProviderError(wrapped, context)).toMatchObject({ code: 'provider_error', retryable: true })
    const socket = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' })
    expect(classifyProviderError(new TypeError('terminated', { cause: socket }), context).retryable).toBe(true)
    // undici's mid-body reset, even when no cause is attached.
    expect(classifyProviderError(new TypeError('terminated'), context).retryable).toBe(true)
  })

  it('anything else (a bug) is a non-retryable ProviderError', () => {
    const error = classifyProviderError(new TypeError("Cannot read properties of undefined (reading 'choices')"), context)
    expect(error.constructor).toBe(ProviderError)
    expect(error.retryable).toBe(false)
  })

  it('an aborted signal or an AbortError is an AbortedError; a client time limit a TimeoutError', () => {
    const controller = new AbortController()
    controller.abort()
    expect(classifyProviderError(new Error('whatever'), { ...context, signal: controller.signal })).toBeInstanceOf(AbortedError)
    expect(classifyProviderError(new DOMException('This operation was aborted', 'AbortError'), context)).toBeInstanceOf(AbortedError)
    expect(classifyProviderError(new DOMException('The operation timed out.', 'TimeoutError'), context)).toBeInstanceOf(TimeoutError)
  })

  it('masks the known key, keys shaped like one and a key echoed in masked form', () => {
    const raw = new e('Incorrect API key provided: sk-SECRE********3456. Also acme-secret-key-123456 and sk-proj-AbCdEfGh12345678.', 401)
    const error = classifyProviderError(raw, context)
    for (const text of [error.message, JSON.stringify(error), String((error.cause as Error).message), String((error.cause as Error).stack)]) {
      expect(text).not.toContain('SECRE')
      expect(text).not.toContain('3456')
      expect(text).not.toContain('acme-secret-key-123456')
      expect(text).not.toContain('AbCdEfGh12345678')
    }
    expect(error.message).toContain('Incorrect API key provided: [redacted]')
  })
})

describe('a third-party adapter that throws its own errors', () => {
  function flakyAdapter(failures: unknown[]): ProviderAdapter & { calls: number } {
    const adapter = {
      specificationVersion: 'v1' as const,
      id: 'thirdparty',
      models: ['m'],
      calls: 0,
      async chat() {
        adapter.calls += 1
        const failure = failures.shift()
        if (failure !== undefined) throw failure
        return { id: 'r', model: 'm', message: { role: 'assistant' as const, content: 'ok' }, finishReason: 'stop' as const, usage: { inputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 1, reasoningTokens: 0 } }
      },
      async *stream(): AsyncGenerator<never> {
        throw new Error('not used')
      },
    }
    return adapter
  }

  it('an error carrying status 429 and a retry-after header is a rate limit, retried', async () => {
    const adapter = flakyAdapter([Object.assign(new Error('Too many requests'), { status: 429, headers: { 'retry-after-ms': '30' } })])
    const router = createRouter({ providers: [adapter], routes: { main: fallback(['thirdparty/m'], { retries: 1 }) } })
    const result = await router.chat({ model: 'main', messages: [{ role: 'user', content: 'hi' }] })
    expect(result.choices[0]!.message.content).toBe('ok')
    expect(adapter.calls).toBe(2)
    const first = result.route.attempts[0]!
    expect(first.error).toBeInstanceOf(RateLimitError)
    expect(first.error).toMatchObject({ status: 429, retryAfterMs: 30, retryable: true })
    expect(result.route.attempts[1]!.outcome).toBe('success')
  })

  it('the rate-limited model cools down for the retry-after: the next call skips it', async () => {
    const limited = flakyAdapter([{ status: 429, headers: { 'retry-after': '60' }, message: 'quota' }])
    const backup = { ...flakyAdapter([]), id: 'backup' }
    const events: string[] = []
    const router = createRouter({
      providers: [limited, backup],
      routes: { main: fallback(['thirdparty/m', 'backup/m'], { retries: 0 }) },
      onEvent: (event) => {
        if (event.type === 'candidate-skipped') events.push(`${event.provider}/${event.model} ${event.reason}`)
      },
    })
    const first = await router.chat({ model: 'main', messages: [{ role: 'user', content: 'hi' }] })
    expect(first.route.provider).toBe('backup')
    expect(first.route.attempts[0]!.error).toMatchObject({ code: 'rate_limited', retryAfterMs: 60_000 })
    const second = await router.chat({ model: 'main', messages: [{ role: 'user', content: 'hi' }] })
    expect(second.route.provider).toBe('backup')
    expect(limited.calls).toBe(1)
    expect(events).toEqual(['thirdparty/m cooling-down'])
  })

  it('a reset connection (ECONNRESET in the cause) is retried', async () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })
    const adapter = flakyAdapter([new TypeError('fetch failed', { cause: reset })])
    const router = createRouter({ providers: [adapter], routes: { main: fallback(['thirdparty/m'], { retries: 1 }) } })
    const result = await router.chat({ model: 'main', messages: [{ role: 'user', content: 'hi' }] })
    expect(adapter.calls).toBe(2)
    expect(result.route.attempts[0]!.error).toMatchObject({ code: 'provider_error', retryable: true })
  })

  it('a bug in the adapter is not retried', async () => {
    const adapter = flakyAdapter([new TypeError('x is not a function')])
    const router = createRouter({ providers: [adapter], routes: { main: fallback(['thirdparty/m'], { retries: 2 }) } })
    await expect(router.chat({ model: 'main', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ code: 'provider_error', retryable: false })
    expect(adapter.calls).toBe(1)
  })
})

describe('createRouter checks the adapter contract version', () => {
  const base = { id: 'x', models: ['m'], chat: async () => { throw new Error('unused') }, stream: async function* () {} }
  it('rejects an unknown or missing specificationVersion with a ConfigurationError that says what to do', () => {
    expect(() => createRouter({ providers: [{ ...base, specificationVersion: 'v2' } as unknown as ProviderAdapter] })).toThrow(/provider "x" implements adapter specification "v2".*understands only "v1"/)
    expect(() => createRouter({ providers: [base as unknown as ProviderAdapter] })).toThrow(/no `specificationVersion`/)
    expect(() => createRouter({ providers: [{ ...base, specificationVersion: 'v1' }] })).not.toThrow()
  })
})
