import { describe, expect, it } from 'vitest'
import { HealthTracker } from '../../src/state/health-tracker.js'
import { AuthenticationError, InvalidRequestError, ProviderError, RateLimitError } from '../../src/index.js'

function tracker(options = {}) {
  let now = 1_000_000
  const health = new HealthTracker(options, () => now)
  return { health, advance: (ms: number) => (now += ms) }
}

const serverError = () => new ProviderError('500', { status: 500, retryable: true })

describe('HealthTracker', () => {
  it('cools a model down after repeated failures, and it recovers after the cool-down', () => {
    const { health, advance } = tracker({ failureThreshold: 3, cooldownMs: 10_000 })
    health.recordFailure('p/m', serverError())
    health.recordFailure('p/m', serverError())
    expect(health.isCoolingDown('p/m')).toBe(false)
    health.recordFailure('p/m', serverError())
    expect(health.isCoolingDown('p/m')).toBe(true)
    expect(health.coolingDownFor('p/m')).toBe(10_000)
    expect(health.isCoolingDown('p/other')).toBe(false)
    advance(9_999)
    expect(health.isCoolingDown('p/m')).toBe(true)
    advance(1)
    expect(health.isCoolingDown('p/m')).toBe(false)
  })

  it('honours a 429\'s retry-after at once, and a default when it names none', () => {
    const { health, advance } = tracker({ rateLimitCooldownMs: 5_000 })
    health.recordFailure('p/m', new RateLimitError('429', { status: 429, retryable: true, retryAfterMs: 42_000 }))
    expect(health.coolingDownFor('p/m')).toBe(42_000)
    health.recordFailure('p/n', new RateLimitError('429', { status: 429, retryable: true }))
    expect(health.coolingDownFor('p/n')).toBe(5_000)
    advance(42_000)
    expect(health.isCoolingDown('p/m')).toBe(false)
  })

  it('ignores failures that say nothing about availability, and a success resets the count', () => {
    const { health } = tracker({ failureThreshold: 2 })
    health.recordFailure('p/m', new InvalidRequestError('400', { status: 400 }))
    health.recordFailure('p/m', new AuthenticationError('401', { status: 401 }))
    health.recordFailure('p/m', serverError())
    health.recordSuccess('p/m')
    health.recordFailure('p/m', serverError())
    expect(health.isCoolingDown('p/m')).toBe(false)
  })

  it('cools a whole provider down after repeated failures across its models', () => {
    const { health, advance } = tracker({ failureThreshold: 10, providerFailureThreshold: 3, cooldownMs: 1_000 })
    for (const model of ['a', 'b', 'c']) health.recordFailure(`p/${model}`, serverError())
    expect(health.isCoolingDown('p/never-called')).toBe(true)
    expect(health.isCoolingDown('q/a')).toBe(false)
    expect(health.coolDowns()).toEqual([{ id: 'p', remainingMs: 1_000, consecutiveFailures: 3 }])
    advance(1_000)
    expect(health.isCoolingDown('p/a')).toBe(false)
    expect(health.coolDowns()).toEqual([])
  })
})
