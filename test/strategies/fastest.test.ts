import { describe, expect, it } from 'vitest'
import { createRouter, fastest, mockProvider, rankBySpeed, type StrategyContext } from '../../src/index.js'
import { coreOf } from '../../src/router/router.js'
import type { Candidate } from '../../src/index.js'

/** A candidate as the router resolves one: `provider/model` split at the first slash. */
const candidateOf = (id: string): Candidate => ({ id, provider: id.slice(0, id.indexOf('/')), model: id.slice(id.indexOf('/') + 1) })

const messages = [{ role: 'user' as const, content: 'hi' }]

function contextOf(router: ReturnType<typeof createRouter>): StrategyContext {
  return { services: coreOf(router) } as unknown as StrategyContext
}

describe('fastest', () => {
  it('converges on the fastest model after giving each unmeasured one a turn', async () => {
    const provider = mockProvider({
      id: 'p',
      models: { slow: { text: 'slow', latencyMs: 150 }, quick: { text: 'quick', latencyMs: 1 }, medium: { text: 'medium', latencyMs: 80 } },
    })
    const router = createRouter({ providers: [provider], routes: { fast: fastest(['p/slow', 'p/quick', 'p/medium'], { explore: 0 }) } })
    const answeredBy: string[] = []
    for (let call = 0; call < 6; call++) answeredBy.push((await router.chat({ model: 'fast', messages })).route.model)
    // Calls 1-3 measure each model once (unmeasured ones first, in the order given); then the quickest wins.
    expect(answeredBy).toEqual(['slow', 'quick', 'medium', 'quick', 'quick', 'quick'])
    expect(coreOf(router).stats.get('p/quick')!.samples).toBe(4)
  })

  it('ranks by each metric from the router\'s live statistics', () => {
    const router = createRouter({ providers: [mockProvider({ id: 'p', models: { a: 'a', b: 'b', c: 'c' } })] })
    const stats = coreOf(router).stats
    stats.record('p/a', { latencyMs: 900, timeToFirstTokenMs: 100, outputTokens: 800 }) // 1 000 tok/s
    stats.record('p/b', { latencyMs: 500, timeToFirstTokenMs: 300, outputTokens: 100 }) // 500 tok/s
    stats.record('p/c', { latencyMs: 700, timeToFirstTokenMs: 200, outputTokens: 1_000 }) // 2 000 tok/s
    const candidates = ['p/a', 'p/b', 'p/c'].map(candidateOf)
    const order = (metric: 'latency' | 'ttft' | 'throughput') =>
      rankBySpeed(contextOf(router), candidates, { metric, explore: 0 }).map((candidate) => candidate.model)
    expect(order('latency')).toEqual(['b', 'c', 'a'])
    expect(order('ttft')).toEqual(['a', 'c', 'b'])
    expect(order('throughput')).toEqual(['c', 'a', 'b'])
  })

  it('weights recent calls more: a model that slows down loses its place', () => {
    const router = createRouter({ providers: [mockProvider({ id: 'p', models: { a: 'a', b: 'b' } })] })
    const stats = coreOf(router).stats
    for (let call = 0; call < 20; call++) stats.record('p/a', { latencyMs: 100 })
    stats.record('p/b', { latencyMs: 200 })
    const candidates = ['p/a', 'p/b'].map(candidateOf)
    expect(rankBySpeed(contextOf(router), candidates, { explore: 0 })[0]!.model).toBe('a')
    for (let call = 0; call < 5; call++) stats.record('p/a', { latencyMs: 600 })
    // 100 → blended towards 600 with weight 0.2 five times: 600 - 500 × 0.8^5 ≈ 436 ms > 200 ms.
    expect(stats.get('p/a')!.latencyMs).toBeCloseTo(600 - 500 * 0.8 ** 5, 6)
    expect(rankBySpeed(contextOf(router), candidates, { explore: 0 })[0]!.model).toBe('b')
  })

  it('explores: with the scripted random below `explore`, another measured candidate goes first', () => {
    const router = createRouter({ providers: [mockProvider({ id: 'p', models: { a: 'a', b: 'b', c: 'c' } })] })
    for (const [id, latencyMs] of [['p/a', 10], ['p/b', 20], ['p/c', 30]] as const) coreOf(router).stats.record(id, { latencyMs })
    const candidates = ['p/a', 'p/b', 'p/c'].map(candidateOf)
    const draws = [0.01, 0.99] // below explore (0.1), then pick the last of the others
    const ranked = rankBySpeed(contextOf(router), candidates, { explore: 0.1, random: () => draws.shift()! })
    expect(ranked.map((candidate) => candidate.model)).toEqual(['c', 'a', 'b'])
    const exploitation = rankBySpeed(contextOf(router), candidates, { explore: 0.1, random: () => 0.5 })
    expect(exploitation.map((candidate) => candidate.model)).toEqual(['a', 'b', 'c'])
  })

  it('ranks streams by time to first token and falls back in rank order', async () => {
    const provider = mockProvider({
      id: 'p',
      models: { broken: { error: 'server' }, late: { text: 'late start', latencyMs: 40 }, early: { text: 'early start', latencyMs: 1 } },
    })
    const router = createRouter({ providers: [provider], routes: { fast: fastest(['p/broken', 'p/late', 'p/early'], { metric: 'ttft', explore: 0, retries: 0 }) } })
    coreOf(router).stats.record('p/broken', { latencyMs: 1, timeToFirstTokenMs: 1 })
    coreOf(router).stats.record('p/late', { latencyMs: 50, timeToFirstTokenMs: 40 })
    coreOf(router).stats.record('p/early', { latencyMs: 90, timeToFirstTokenMs: 5 })
    const stream = router.stream({ model: 'fast', messages })
    const result = await stream.finalResult()
    expect(result.choices[0]!.message.content).toBe('early start')
    expect(result.route.attempts.map((attempt) => [attempt.model, attempt.outcome])).toEqual([
      ['broken', 'error'],
      ['early', 'success'],
    ])
  })
})
