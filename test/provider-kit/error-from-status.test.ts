import { describe, expect, it } from 'vitest'
import {
  AuthenticationError,
  ContentFilteredError,
  ContextLengthExceededError,
  InvalidRequestError,
  ProviderError,
  RateLimitError,
  TimeoutError,
  type SwitchyardError,
} from '../../src/index.js'
import { errorFromStatus } from '../../src/provider-kit/error-from-status.js'
import { shouldTryNextCandidate } from '../../src/strategies/fallback-policy.js'

type ErrorClass = new (...args: any[]) => SwitchyardError

describe('errorFromStatus: one meaning per status, whichever provider sent it', () => {
  const cases: Array<[number | undefined, string, ErrorClass, { retryable: boolean; nextCandidate: boolean }]> = [
    [400, 'bad field', InvalidRequestError, { retryable: false, nextCandidate: false }],
    [400, "This model's maximum context length is 8192 tokens", ContextLengthExceededError, { retryable: false, nextCandidate: true }],
    [400, 'blocked by the content policy', ContentFilteredError, { retryable: false, nextCandidate: true }],
    [401, 'bad key', AuthenticationError, { retryable: false, nextCandidate: true }],
    // A billing failure is this account's problem at this provider: no retry, but another provider may answer.
    [402, 'Your credit balance is too low', ProviderError, { retryable: false, nextCandidate: true }],
    [403, 'forbidden', AuthenticationError, { retryable: false, nextCandidate: true }],
    [404, 'no such model', InvalidRequestError, { retryable: false, nextCandidate: false }],
    [408, 'request timeout', TimeoutError, { retryable: true, nextCandidate: true }],
    [409, 'conflict', ProviderError, { retryable: true, nextCandidate: true }],
    [413, 'payload too large', ContextLengthExceededError, { retryable: false, nextCandidate: true }],
    [422, 'unprocessable', InvalidRequestError, { retryable: false, nextCandidate: false }],
    [429, 'slow down', RateLimitError, { retryable: true, nextCandidate: true }],
    [500, 'server error', ProviderError, { retryable: true, nextCandidate: true }],
    [529, 'overloaded', ProviderError, { retryable: true, nextCandidate: true }],
    [undefined, 'socket hang up', ProviderError, { retryable: true, nextCandidate: true }],
  ]

  it.each(cases)('HTTP %s "%s" → %o', (status, message, errorClass, expected) => {
    const error = errorFromStatus({ provider: 'acme', model: 'm1', status, message, retryAfterMs: 1000 })
    expect(error.constructor).toBe(errorClass)
    expect(error.retryable).toBe(expected.retryable)
    expect(shouldTryNextCandidate(error)).toBe(expected.nextCandidate)
    expect(error).toMatchObject({ provider: 'acme', model: 'm1', status, retryAfterMs: 1000 })
    expect(error.message).toBe(`acme/m1: ${message}${status ? ` (HTTP ${status})` : ''}`)
  })

  it('reads the provider code as well as the message', () => {
    const error = errorFromStatus({ provider: 'groq', model: 'm', status: 400, message: 'Please reduce the length of the messages.', providerCode: 'invalid_request_error context_length_exceeded' })
    expect(error).toBeInstanceOf(ContextLengthExceededError)
  })
})
