import { describe, expect, expectTypeOf, it } from 'vitest'
import {
  AbortedError,
  AllCandidatesFailedError,
  AttemptLimitError,
  StreamConsumedError,
  BudgetExceededError,
  LocalRateLimitError,
  AuthenticationError,
  ConfigurationError,
  ContentFilteredError,
  ContextLengthExceededError,
  InvalidRequestError,
  MissingDependencyError,
  ProviderError,
  RateLimitError,
  StreamInterruptedError,
  SwitchyardError,
  TimeoutError,
  UnsupportedFeatureError,
  hasErrorCode,
  type ErrorCode,
} from '../../src/index.js'

// Every class with the name and code users see; written out, not derived from the classes.
const classes = [
  [SwitchyardError, 'SwitchyardError', 'switchyard_error', () => new SwitchyardError('x')],
  [ConfigurationError, 'ConfigurationError', 'configuration_error', () => new ConfigurationError('x')],
  [MissingDependencyError, 'MissingDependencyError', 'missing_dependency', () => new MissingDependencyError('x')],
  [InvalidRequestError, 'InvalidRequestError', 'invalid_request', () => new InvalidRequestError('x')],
  [UnsupportedFeatureError, 'UnsupportedFeatureError', 'unsupported_feature', () => new UnsupportedFeatureError('x', { feature: 'vision' })],
  [ProviderError, 'ProviderError', 'provider_error', () => new ProviderError('x')],
  [RateLimitError, 'RateLimitError', 'rate_limited', () => new RateLimitError('x')],
  [AuthenticationError, 'AuthenticationError', 'authentication_failed', () => new AuthenticationError('x')],
  [ContextLengthExceededError, 'ContextLengthExceededError', 'context_length_exceeded', () => new ContextLengthExceededError('x')],
  [ContentFilteredError, 'ContentFilteredError', 'content_filtered', () => new ContentFilteredError('x')],
  [TimeoutError, 'TimeoutError', 'timeout', () => new TimeoutError('x')],
  [AbortedError, 'AbortedError', 'aborted', () => new AbortedError('x')],
  [StreamInterruptedError, 'StreamInterruptedError', 'stream_interrupted', () => new StreamInterruptedError('x', { partialText: '', partialChunks: [] })],
  [AllCandidatesFailedError, 'AllCandidatesFailedError', 'all_candidates_failed', () => new AllCandidatesFailedError('x', [])],
  [AttemptLimitError, 'AttemptLimitError', 'attempt_limit_reached', () => new AttemptLimitError('x')],
  [StreamConsumedError, 'StreamConsumedError', 'stream_consumed', () => new StreamConsumedError('x')],
  [BudgetExceededError, 'BudgetExceededError', 'budget_exceeded', () => new BudgetExceededError({ budget: 'b', scope: 'the whole router', limitUsd: 1, spentUsd: 1, requiredUsd: 0.5, resetsAt: null })],
  [LocalRateLimitError, 'LocalRateLimitError', 'rate_limited', () => new LocalRateLimitError('x', { limit: 'l', kind: 'rpm', scope: 'the whole router' })],
] as const

describe('error classes', () => {
  it.each(classes)('%o has its written name, code and brand', (errorClass, name, code, create) => {
    const error = create()
    expect(error.name).toBe(name)
    expect(errorClass.errorName).toBe(name)
    expect(error.code).toBe(code)
    expect((error as unknown as Record<symbol, unknown>)[Symbol.for('switchyard.error')]).toBe(true)
    expect(errorClass.isInstance(error)).toBe(true)
    expect(SwitchyardError.isInstance(error)).toBe(true)
    expect(error.toJSON()).toMatchObject({ name, code })
  })

  it('every error class the package exports declares its own name, so no class is named after its parent', async () => {
    const entry = (await import('../../src/index.js')) as Record<string, unknown>
    const errorClasses = Object.entries(entry).filter(([, value]) => typeof value === 'function' && (value === SwitchyardError || value.prototype instanceof SwitchyardError))
    expect(errorClasses.length).toBeGreaterThan(15)
    for (const [exportName, errorClass] of errorClasses) {
      expect(Object.hasOwn(errorClass as object, 'errorName'), `${exportName} declares no static errorName`).toBe(true)
      expect((errorClass as typeof SwitchyardError).errorName).toBe(exportName)
    }
  })

  it('isInstance follows the hierarchy and rejects look-alikes', () => {
    const rateLimit = new RateLimitError('slow down', { status: 429 })
    expect(ProviderError.isInstance(rateLimit)).toBe(true)
    expect(AuthenticationError.isInstance(rateLimit)).toBe(false)
    expect(ConfigurationError.isInstance(new MissingDependencyError('x'))).toBe(true)
    expect(InvalidRequestError.isInstance(new UnsupportedFeatureError('x', { feature: 'f' }))).toBe(true)
    expect(ProviderError.isInstance(new InvalidRequestError('x'))).toBe(false)
    // Same name and code, no brand: not ours.
    const lookAlike = Object.assign(new Error('x'), { name: 'RateLimitError', code: 'rate_limited' })
    expect(RateLimitError.isInstance(lookAlike)).toBe(false)
    expect(lookAlike instanceof RateLimitError).toBe(false)
    expect(SwitchyardError.isInstance(undefined)).toBe(false)
    expect(SwitchyardError.isInstance({ [Symbol.for('switchyard.error')]: true })).toBe(false)
  })

  it('a user subclass that declares no errorName keeps ordinary instanceof semantics', () => {
    class MyError extends ProviderError {}
    const mine = new MyError('x')
    expect(mine).toBeInstanceOf(ProviderError)
    expect(MyError.isInstance(mine)).toBe(true)
    expect(MyError.isInstance(new ProviderError('y'))).toBe(false)
    expect(new ProviderError('y') instanceof MyError).toBe(false)
  })

  it('codes are a literal union, so a switch over them is checked', () => {
    expectTypeOf<SwitchyardError['code']>().toEqualTypeOf<ErrorCode>()
    expectTypeOf<RateLimitError['code']>().toEqualTypeOf<'rate_limited'>()
    expectTypeOf<'rate_limited'>().toExtend<ErrorCode>()
    expectTypeOf<'made_up_code'>().not.toExtend<ErrorCode>()
    function describe(code: ErrorCode): string {
      switch (code) {
        case 'rate_limited':
          return 'wait'
        default:
          return 'other'
      }
    }
    expect(describe(new RateLimitError('x').code)).toBe('wait')
  })
})

describe('hasErrorCode', () => {
  it('is true only for a Switchyard error with that code, and narrows it', () => {
    const error: unknown = new BudgetExceededError({ budget: 'b', scope: 'the whole router', limitUsd: 1, spentUsd: 1, requiredUsd: 0.5, resetsAt: null })
    expect(hasErrorCode(error, 'budget_exceeded')).toBe(true)
    expect(hasErrorCode(error, 'cost_cap_exceeded')).toBe(false)
    expect(hasErrorCode(new RateLimitError('x'), 'budget_exceeded')).toBe(false)
    // A look-alike that is not a Switchyard error does not pass.
    expect(hasErrorCode(Object.assign(new Error('x'), { code: 'budget_exceeded' }), 'budget_exceeded')).toBe(false)
    expect(hasErrorCode(undefined, 'budget_exceeded')).toBe(false)
    if (hasErrorCode(error, 'budget_exceeded')) expectTypeOf(error.code).toEqualTypeOf<'budget_exceeded'>()
  })
})
