import { describe, expect, it } from 'vitest'
import { abTest, AbortedError, createRouter, fallback, mockProvider, type ChatChunk, type ChatResult } from '../../src/index.js'

const messages = [{ role: 'user' as const, content: 'Name the capital of France.' }]
const price = { input: 1, output: 2 }

function within(actual: number, expected: number, relative: number) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(expected * relative)
}

describe('router.report()', () => {
  it('spend by model, route and tag, error, fallback and cache-hit rates, percentiles: the figures of the calls made', async () => {
    const broken = mockProvider({ id: 'broken', models: { m: { error: 'server' } } })
    const steady = mockProvider({ id: 'steady', models: { m: { text: 'Paris.', latencyMs: 5, usage: { inputTokens: 100, outputTokens: 10 } } } })
    const streaming = mockProvider({ id: 'streaming', models: { m: { text: 'Paris is the capital.', latencyMs: 15, usage: { inputTokens: 50, outputTokens: 20 } } } })
    const slow = mockProvider({ id: 'slow', models: { m: { text: 'late', latencyMs: 5_000 } } })
    const router = createRouter({
      providers: [broken, steady, streaming, slow],
      prices: { 'broken/m': price, 'steady/m': price, 'streaming/m': { input: 3, output: 15 }, 'slow/m': price },
      routes: { main: fallback(['broken/m', 'steady/m'], { retries: 0 }), down: fallback(['broken/m'], { retries: 0 }) },
    })
    const results: ChatResult[] = []
    results.push(await router.chat({ model: 'main', messages }, { tags: { team: 'search' } }))
    results.push(await router.chat({ model: 'steady/m', messages }, { tags: { team: 'ads' } }))
    let streamed: ChatChunk | undefined
    for await (const chunk of router.stream({ model: 'streaming/m', messages }, { tags: { team: 'search' } })) streamed = chunk
    await expect(router.chat({ model: 'down', messages })).rejects.toThrow()
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 10)
    await expect(router.chat({ model: 'slow/m', messages }, { signal: controller.signal })).rejects.toBeInstanceOf(AbortedError)

    const report = router.report()
    const steadyCost = results[0]!.cost.total! + results[1]!.cost.total!
    const streamCost = streamed!.cost!.total!
    expect(report.calls).toEqual({
      total: 5,
      succeeded: 3,
      failed: 1,
      aborted: 1,
      errorRate: 1 / 4,
      fallbackRate: 1 / 3,
      cacheHits: 0,
      cacheHitRate: 0,
      sideCalls: 0,
    })
    expect(report.spend.totalUsd).toBeCloseTo(steadyCost + streamCost, 12)
    const row = (rows: typeof report.spend.byModel, name: string) => rows.find((candidate) => candidate.name === name)
    expect(row(report.spend.byModel, 'steady/m')).toMatchObject({ count: 2 })
    expect(row(report.spend.byModel, 'steady/m')!.costUsd).toBeCloseTo(steadyCost, 12)
    expect(row(report.spend.byModel, 'streaming/m')!.costUsd).toBeCloseTo(streamCost, 12)
    // The most expensive first.
    expect(report.spend.byModel[0]!.name).toBe(streamCost > steadyCost ? 'streaming/m' : 'steady/m')
    expect(row(report.spend.byRoute, 'main')).toMatchObject({ count: 1 })
    expect(row(report.spend.byRoute, 'main')!.costUsd).toBeCloseTo(results[0]!.cost.total!, 12)
    expect(row(report.spend.byRoute, 'down')).toMatchObject({ costUsd: 0, count: 1 })
    expect(row(report.spend.byRoute, '(direct)')).toMatchObject({ count: 3 })
    expect(row(report.spend.byTag, 'team=search')!.costUsd).toBeCloseTo(results[0]!.cost.total! + streamCost, 12)
    expect(row(report.spend.byTag, 'team=search')!.count).toBe(2)
    expect(row(report.spend.byTag, 'team=ads')!.costUsd).toBeCloseTo(results[1]!.cost.total!, 12)
    const spentOverTime = report.spend.overTime.points.reduce((sum, point) => sum + point.costUsd, 0)
    expect(spentOverTime).toBeCloseTo(report.spend.totalUsd, 12)
    expect(report.spend.overTime.points.reduce((sum, point) => sum + point.calls, 0)).toBe(5)

    const callLatencies = [results[0]!.route.latencyMs, results[1]!.route.latencyMs, streamed!.route!.latencyMs].sort((left, right) => left - right)
    expect(report.latency.callMs!.count).toBe(3)
    within(report.latency.callMs!.p50, callLatencies[1]!, 0.02)
    expect(report.latency.callMs!.max).toBe(callLatencies[2])
    expect(report.latency.timeToFirstTokenMs!.count).toBe(1)
    within(report.latency.timeToFirstTokenMs!.p50, streamed!.route!.timeToFirstTokenMs!, 0.02)
    const brokenFigures = report.latency.byModel.find((figures) => figures.model === 'broken/m')!
    expect(brokenFigures).toMatchObject({ attempts: 2, errors: 2, errorRate: 1, latencyMs: null })
    expect(report.latency.byModel.find((figures) => figures.model === 'slow/m')).toMatchObject({ attempts: 1, errors: 0, cancelled: 1 })
    expect(Date.parse(report.since)).toBeLessThanOrEqual(Date.parse(report.generatedAt))
  })

  it('judge and shadow runs are side calls whose spend shows by kind; experiments are router.experiments()', async () => {
    const router = createRouter({
      providers: [mockProvider({ id: 'va', models: { m: 'Paris.' } }), mockProvider({ id: 'vb', models: { m: 'Paris, France.' } }), mockProvider({ id: 'judge', models: { m: 'B' } })],
      prices: { 'va/m': price, 'vb/m': price, 'judge/m': price },
      routes: { exp: abTest({ variants: { a: 'va/m', b: 'vb/m' }, judge: 'judge/m', sampleRate: 1, random: () => 0 }) },
    })
    await router.chat({ model: 'exp', messages })
    await router.close()
    const report = router.report()
    expect(report.calls.total).toBe(1)
    expect(report.calls.sideCalls).toBe(3)
    expect(report.spend.byKind.map((row) => [row.name, row.count])).toEqual(expect.arrayContaining([['call', 1], ['shadow', 1], ['judge', 2]]))
    expect(report.experiments).toEqual(router.experiments())
    // A judge that always says B votes once for each side across the two orders: a tie.
    expect(report.experiments[0]!.variants.find((variant) => variant.name === 'b')!.ties).toBe(1)
  })

  it('a call a budget refused is a failed call, but not a failed attempt of the model (it was never called)', async () => {
    const llm = mockProvider({ id: 'llm', models: { m: 'ok' } })
    const router = createRouter({ providers: [llm], prices: { 'llm/m': price }, budgets: [{ name: 'empty', limitUsd: 0, window: 'day' }] })
    await expect(router.chat({ model: 'llm/m', messages })).rejects.toThrow(/empty/)
    const report = router.report()
    expect(report.calls).toMatchObject({ total: 1, failed: 1, errorRate: 1 })
    expect(report.latency.byModel).toEqual([])
    expect(report.spend.totalUsd).toBe(0)
  })

  it('stays bounded: thousands of distinct tags are folded into "(other)" past 200 rows', async () => {
    const router = createRouter({ providers: [mockProvider({ id: 'llm', models: { m: 'ok' } })], prices: { 'llm/m': price } })
    for (let index = 0; index < 1_000; index += 1) await router.chat({ model: 'llm/m', messages }, { tags: { user: `user-${index}` } })
    const { byTag } = router.report().spend
    expect(byTag.length).toBe(201)
    expect(byTag.reduce((sum, row) => sum + row.count, 0)).toBe(1_000)
    expect(byTag.find((row) => row.name === '(other)')!.count).toBe(800)
  })
})
