import { describe, expect, it } from 'vitest'
import { ProviderError } from '../../src/index.js'
import { HealthTracker } from '../../src/state/health-tracker.js'
import { ModelStats } from '../../src/state/model-stats.js'

describe('per-model state stays bounded whatever ids callers send', () => {
  it('ModelStats keeps the most recently measured models (default 1 000), dropping the least recent', () => {
    const stats = new ModelStats()
    for (let index = 0; index < 5_000; index++) stats.record(`p/model-${index}`, { latencyMs: 10 })
    expect(stats.size).toBe(1_000)
    expect(stats.get('p/model-0')).toBeUndefined()
    expect(stats.get('p/model-4999')?.samples).toBe(1)
  })

  it('a model measured again moves to the back of the queue and keeps its history', () => {
    const stats = new ModelStats(0.2, { maxModels: 3 })
    stats.record('p/a', { latencyMs: 10 })
    stats.record('p/b', { latencyMs: 10 })
    stats.record('p/a', { latencyMs: 20 })
    stats.record('p/c', { latencyMs: 10 })
    stats.record('p/d', { latencyMs: 10 })
    expect(stats.get('p/b')).toBeUndefined()
    expect(stats.get('p/a')?.samples).toBe(2)
  })

  it('measurements expire after maxAgeMs (default an hour)', () => {
    let now = 0
    const stats = new ModelStats(0.2, {}, () => now)
    stats.record('p/a', { latencyMs: 10, outputTokens: 50 })
    now = 3_599_000
    expect(stats.get('p/a')?.outputTokens).toBe(50)
    now = 3_601_000
    expect(stats.get('p/a')).toBeUndefined()
    expect(stats.size).toBe(0)
  })

  it('HealthTracker tracks at most 1 000 failing ids, and what it keeps still cools down', () => {
    let now = 0
    const health = new HealthTracker({ failureThreshold: 1, providerFailureThreshold: Infinity, cooldownMs: 1_000 }, () => now)
    const failure = new ProviderError('down', { retryable: true })
    health.recordFailure('p/hot', failure)
    now = 2_000 // p/hot's cool-down is over: it is the first to go
    for (let index = 0; index < 5_000; index++) health.recordFailure(`p/model-${index}`, failure)
    const tracked = (health as unknown as { models: Map<string, unknown> }).models
    expect(tracked.size).toBe(1_000)
    expect(tracked.has('p/hot')).toBe(false)
    expect(health.isCoolingDown('p/model-4999')).toBe(true)
  })
})
