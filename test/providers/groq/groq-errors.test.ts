import Groq from 'groq-sdk'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  AuthenticationError,
  ConfigurationError,
  ContextLengthExceededError,
  createRouter,
  groq,
  InvalidRequestError,
  ProviderError,
  RateLimitError,
  SwitchyardError,
  UnsupportedFeatureError,
  type RouterEvent,
} from '../../../src/index.js'
import { expectPendingCallAborted, expectStreamAbortedAtFirstChunk } from '../../helpers/abort-handlers.js'
import { expectKeyHidden, expectTypedError, failedCall, onceRequest, onceRouter, type CallMode, type TypedErrorExpectation } from '../../helpers/call-errors.js'
import { useMswServer } from '../../helpers/msw.js'
import { serveChatCompletions } from '../../helpers/openai-handlers.js'
import { groqBaseURL, groqChunk, groqCompletionResponse, groqErrorResponse, groqTestKey } from './groq-handlers.js'

const server = useMswServer()
const request = onceRequest

afterEach(() => {
  vi.unstubAllEnvs()
})

function router(events: RouterEvent[] = []) {
  return onceRouter(groq({ apiKey: groqTestKey }), 'groq/llama-3.3-70b-versatile', events)
}

async function failure(respond: () => Response, mode: CallMode, events: RouterEvent[] = []): Promise<SwitchyardError> {
  const captured = serveChatCompletions(server, respond, groqBaseURL)
  const error = await failedCall(router(events), request, mode)
  // The SDK's own retries are off: the router decides about retrying.
  expect(captured).toHaveLength(1)
  return error
}

/** How the host answers, and the typed error that must come of it (provider and model are added per call). */
type Case = { respond: () => Response } & Omit<TypedErrorExpectation, 'provider' | 'model'>

// Error bodies as Groq sends them.
const cases: Array<[string, Case]> = [
  ['400 invalid request', { respond: () => groqErrorResponse(400, "'messages' must contain at least one message"), status: 400, errorClass: InvalidRequestError, code: 'invalid_request', retryable: false, message: 'must contain' }],
  [
    '400 context too long',
    {
      respond: () => groqErrorResponse(400, 'Please reduce the length of the messages or completion.', 'invalid_request_error', 'context_length_exceeded'),
      status: 400,
      errorClass: ContextLengthExceededError,
      code: 'context_length_exceeded',
      retryable: false,
      message: 'reduce the length',
    },
  ],
  ['401 invalid key', { respond: () => groqErrorResponse(401, 'Invalid API Key', 'invalid_request_error', 'invalid_api_key'), status: 401, errorClass: AuthenticationError, code: 'authentication_failed', retryable: false, message: 'Invalid API Key' }],
  [
    '404 model not found',
    {
      respond: () => groqErrorResponse(404, 'The model `llama-9` does not exist or you do not have access to it.', 'invalid_request_error', 'model_not_found'),
      status: 404,
      errorClass: InvalidRequestError,
      code: 'invalid_request',
      retryable: false,
      message: 'does not exist',
    },
  ],
  ['413 request too large', { respond: () => groqErrorResponse(413, 'Request Entity Too Large'), status: 413, errorClass: ContextLengthExceededError, code: 'context_length_exceeded', retryable: false, message: 'Too Large' }],
  ['422 unprocessable', { respond: () => groqErrorResponse(422, 'Unprocessable Entity'), status: 422, errorClass: InvalidRequestError, code: 'invalid_request', retryable: false, message: 'Unprocessable' }],
  [
    '429 with retry-after',
    {
      respond: () => groqErrorResponse(429, 'Rate limit reached for model `llama-3.3-70b-versatile` on tokens per minute (TPM).', 'tokens', 'rate_limit_exceeded', { 'retry-after': '12' }),
      status: 429,
      errorClass: RateLimitError,
      code: 'rate_limited',
      retryable: true,
      retryAfterMs: 12_000,
      message: 'Rate limit reached',
    },
  ],
  ['500 server error', { respond: () => groqErrorResponse(500, 'Internal Server Error', 'internal_server_error'), status: 500, errorClass: ProviderError, code: 'provider_error', retryable: true, message: 'Internal Server Error' }],
  ['503 over capacity', { respond: () => groqErrorResponse(503, 'Service Unavailable: over capacity', 'internal_server_error'), status: 503, errorClass: ProviderError, code: 'provider_error', retryable: true, message: 'over capacity' }],
]

describe('groq adapter: errors from groq-sdk map to typed errors', () => {
  for (const mode of ['chat', 'stream'] as const) {
    it.each(cases)(`${mode}: %s`, async (_name, expected) => {
      const error = await failure(expected.respond, mode)
      expectTypedError(error, { ...expected, provider: 'groq', model: 'llama-3.3-70b-versatile' })
    })
  }

  it('never lets the API key out: not in the message, JSON, event or printed cause', async () => {
    const events: RouterEvent[] = []
    const error = await failure(() => groqErrorResponse(401, `Invalid API Key: ${groqTestKey}`, 'invalid_request_error', 'invalid_api_key'), 'chat', events)
    expect(error).toBeInstanceOf(AuthenticationError)
    expectKeyHidden(groqTestKey, error, events)
  })

  it('aborts a pending chat call: the HTTP request is cancelled and the call rejects with AbortedError', async () => {
    await expectPendingCallAborted(server, `${groqBaseURL}/chat/completions`, (signal) => router().chat(request, { signal }))
  })

  it('aborts a stream mid-way: iteration rejects with AbortedError and the HTTP stream is cancelled', async () => {
    await expectStreamAbortedAtFirstChunk(server, `${groqBaseURL}/chat/completions`, groqChunk({ role: 'assistant', content: 'Hel' }), 'Hel', (signal) => router().stream(request, { signal }))
  })
})

describe('groq(): configuration and features', () => {
  it('fails at createRouter() without a key, naming GROQ_API_KEY', () => {
    vi.stubEnv('GROQ_API_KEY', '')
    expect(() => createRouter({ providers: [groq()] })).toThrow(ConfigurationError)
    expect(() => createRouter({ providers: [groq()] })).toThrow(/GROQ_API_KEY/)
  })

  it('reads the key from GROQ_API_KEY', async () => {
    vi.stubEnv('GROQ_API_KEY', 'gsk_fromTheEnvironment0123')
    const captured = serveChatCompletions(server, () => groqCompletionResponse({ content: 'ok' }), groqBaseURL)
    await createRouter({ providers: [groq()] }).chat({ model: 'groq/llama-3.3-70b-versatile', messages: request.messages })
    expect(captured[0]!.headers.get('authorization')).toBe('Bearer gsk_fromTheEnvironment0123')
  })

  it('uses a ready-made groq-sdk client and a custom base URL', async () => {
    vi.stubEnv('GROQ_API_KEY', '')
    const client = new Groq({ apiKey: 'gsk_clientOwnKey012345', baseURL: 'https://groq.example.com', maxRetries: 0 })
    const captured = serveChatCompletions(server, () => groqCompletionResponse({ content: 'from the client' }), 'https://groq.example.com/openai/v1')
    const result = await createRouter({ providers: [groq({ client })] }).chat({ model: 'groq/llama-3.3-70b-versatile', messages: request.messages })
    expect(result.choices[0]!.message.content).toBe('from the client')
    expect(captured[0]!.headers.get('authorization')).toBe('Bearer gsk_clientOwnKey012345')
  })

  it('has no embeddings: router.embed() on a Groq model is rejected as unsupported', async () => {
    const adapter = groq({ apiKey: groqTestKey })
    expect(adapter.embed).toBeUndefined()
    const error = await createRouter({ providers: [adapter] })
      .embed({ model: 'groq/llama-3.3-70b-versatile', input: 'x' })
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(UnsupportedFeatureError)
    expect(error).toMatchObject({ provider: 'groq', feature: 'embeddings' })
    expect((error as Error).message).toMatch(/groq/)
  })

  it('declares reasoning models', () => {
    const adapter = groq({ apiKey: groqTestKey })
    expect(adapter.capabilities?.('openai/gpt-oss-120b').reasoning).toBe(true)
    expect(adapter.capabilities?.('qwen/qwen3-32b').reasoning).toBe(true)
    expect(adapter.capabilities?.('llama-3.3-70b-versatile').reasoning).toBe(false)
  })
})
