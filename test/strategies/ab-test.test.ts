import { describe, expect, it } from 'vitest'
import {
  ConfigurationError,
  abTest,
  createRouter,
  mockProvider,
  type ModelRequest,
  type ModelResponse,
  type ProviderAdapter,
  type RouterEvent,
} from '../../src/index.js'
import { emptyUsage } from '../../src/provider-kit/usage.js'
import { coreOf } from '../../src/router/router.js'

type Preference = 'alpha' | 'beta' | 'tie' | 'biased'

function text(request: ModelRequest, index: number): string {
  const content = request.messages.at(index)!.content
  return typeof content === 'string' ? content : ''
}

/** Between the tags, e.g. the text of <answer_a>. */
function between(prompt: string, tag: string): string {
  return prompt.split(`<${tag}>`)[1]!.split(`</${tag}>`)[0]!
}

/**
 * Variants answer "<name> says <question>"; the scripted judge prefers, per question, alpha, beta,
 * neither (TIE), or always says "A" (a position-biased judge, which judging both orders cancels).
 */
function setup(script: Record<string, Preference>, options: Partial<Parameters<typeof abTest>[0]> = {}) {
  const judgeCalls: string[] = []
  const provider = mockProvider({
    id: 'p',
    models: {
      alpha: (request) => ({ text: `alpha says ${text(request, -1)}`, usage: { inputTokens: 100, outputTokens: 50 } }),
      beta: (request) => ({ text: `beta says ${text(request, -1)}`, usage: { inputTokens: 100, outputTokens: 50 } }),
      judge: (request) => {
        const prompt = text(request, -1)
        const question = /says (q\d+)/.exec(prompt)![1]!
        const preference = script[question]!
        judgeCalls.push(question)
        const verdict =
          preference === 'biased' ? 'A' : preference === 'tie' ? 'TIE' : between(prompt, 'answer_a').includes(preference) ? 'A' : 'B'
        return { text: verdict, usage: { inputTokens: 1_000, outputTokens: 1 } }
      },
    },
  })
  const events: RouterEvent[] = []
  const router = createRouter({
    providers: [provider],
    prices: { 'p/alpha': { input: 1, output: 2 }, 'p/beta': { input: 2, output: 4 }, 'p/judge': { input: 1, output: 1 } },
    routes: {
      experiment: abTest({
        variants: { a: 'p/alpha', b: 'p/beta' },
        weights: { a: 1, b: 0 },
        judge: 'p/judge',
        sampleRate: 1,
        minComparisons: 10,
        ...options,
      }),
    },
    onEvent: (event) => events.push(event),
  })
  return { router, provider, judgeCalls, events }
}

async function ask(router: ReturnType<typeof createRouter>, question: string, user?: string) {
  const result = await router.chat({ model: 'experiment', messages: [{ role: 'user', content: question }], user })
  await coreOf(router).background.idle()
  return result
}

describe('abTest', () => {
  it('counts wins, losses and ties from a scripted judge, with Wilson 95% intervals', async () => {
    // beta preferred 7 times, alpha 2, a real tie once, and a judge that always says "A" twice.
    const script: Record<string, Preference> = {
      q1: 'beta', q2: 'beta', q3: 'alpha', q4: 'beta', q5: 'tie', q6: 'beta',
      q7: 'biased', q8: 'beta', q9: 'alpha', q10: 'beta', q11: 'biased', q12: 'beta',
    }
    const { router, judgeCalls } = setup(script)
    for (const question of Object.keys(script)) {
      const result = await ask(router, question)
      // Weight 0 keeps b off the caller's path: it only runs in the shadow.
      expect(result.choices[0]!.message.content).toBe(`alpha says ${question}`)
      // The shadow run and the judge are side calls: not in the caller's attempts or cost.
      expect(result.route.attempts).toHaveLength(1)
      expect(result.cost.total).toBeCloseTo(0.0002, 12)
    }
    // Each comparison is judged twice, once in each order.
    expect(judgeCalls).toHaveLength(24)
    const [report] = router.experiments()
    expect(report!.name).toBe('experiment')
    expect(report!.comparisons).toBe(12)
    expect(report!.failedComparisons).toBe(0)
    const [a, b] = report!.variants
    expect([a!.calls, a!.shadowCalls, a!.wins, a!.losses, a!.ties]).toEqual([12, 0, 2, 7, 3])
    expect([b!.calls, b!.shadowCalls, b!.wins, b!.losses, b!.ties]).toEqual([0, 12, 7, 2, 3])
    // A tie scores one half. b: (7 + 3/2) / 12 = 0.708333…; Wilson with z = 1.959964:
    // centre (p + z²/2n)/(1 + z²/n), half-width z/(1 + z²/n)·√(p(1−p)/n + z²/4n²) → [0.428356, 0.887271].
    expect(b!.winRate).toBeCloseTo(8.5 / 12, 12)
    expect(b!.confidenceInterval!.lower).toBeCloseTo(0.428356, 6)
    expect(b!.confidenceInterval!.upper).toBeCloseTo(0.887271, 6)
    // a: 3.5 / 12 → [0.112729, 0.571644], the mirror image.
    expect(a!.confidenceInterval!.lower).toBeCloseTo(0.112729, 6)
    expect(a!.confidenceInterval!.upper).toBeCloseTo(0.571644, 6)
    // The interval still holds 50%: no recommendation yet.
    expect(report!.recommendation).toBeNull()
    // Cost per run: a (100×1 + 50×2)/1e6, b (100×2 + 50×4)/1e6; the judge (1000×1 + 1×1)/1e6 per call.
    expect(a!.costPerCall).toBeCloseTo(0.0002, 12)
    expect(a!.totalCost).toBeCloseTo(0.0024, 12)
    expect(b!.costPerCall).toBeCloseTo(0.0004, 12)
    expect(report!.judgeCost).toBeCloseTo(24 * 0.001001, 12)
    expect(a!.meanLatencyMs).toBeGreaterThanOrEqual(0)
  })

  it('recommends the winner once its interval excludes 50%, and promote: "auto" moves the traffic', async () => {
    const script = Object.fromEntries(Array.from({ length: 12 }, (_, index) => [`q${index + 1}`, 'beta' as const]))
    const { router, judgeCalls } = setup(script, { promote: 'auto' })
    for (let index = 1; index <= 9; index++) await ask(router, `q${index}`)
    expect(router.experiments()[0]!.recommendation).toBeNull() // 9 < minComparisons
    await ask(router, 'q10')
    const report = router.experiments()[0]!
    // 10 wins of 10: Wilson lower bound n/(n + z²) = 10/13.841459 = 0.722467.
    expect(report.variants[1]!.confidenceInterval!.lower).toBeCloseTo(0.722467, 6)
    expect(report.recommendation!.winner).toBe('b')
    expect(report.recommendation!.reason).toContain('95% CI 72.2%–100.0%')
    expect(report.promoted).toBe('b')
    expect(report.variants.map((variant) => variant.weight)).toEqual([0, 1])
    const afterPromotion = await ask(router, 'q11')
    expect(afterPromotion.choices[0]!.message.content).toBe('beta says q11')
    // No more shadow runs or judge calls once promoted.
    expect(judgeCalls).toHaveLength(20)
    expect(router.experiments()[0]!.variants[1]!.calls).toBe(1)
  })

  it('only recommends with promote: "manual" (the default)', async () => {
    const script = Object.fromEntries(Array.from({ length: 11 }, (_, index) => [`q${index + 1}`, 'alpha' as const]))
    const { router } = setup(script)
    for (let index = 1; index <= 11; index++) await ask(router, `q${index}`)
    const report = router.experiments()[0]!
    expect(report.recommendation!.winner).toBe('a')
    expect(report.promoted).toBeNull()
    expect(report.variants.map((variant) => variant.weight)).toEqual([1, 0])
  })

  it('assigns by weight, sticky per user', async () => {
    const { router } = setup({}, { weights: { a: 1, b: 1 }, sampleRate: 0 })
    const assigned = new Map<string, string>()
    for (let round = 0; round < 2; round++) {
      for (let user = 0; user < 40; user++) {
        const result = await router.chat({ model: 'experiment', messages: [{ role: 'user', content: 'hi' }], user: `user-${user}` })
        const model = result.route.model
        if (round === 0) assigned.set(`user-${user}`, model)
        else expect(model).toBe(assigned.get(`user-${user}`))
      }
    }
    const counts = [...assigned.values()].reduce((tally, model) => tally.set(model, (tally.get(model) ?? 0) + 1), new Map<string, number>())
    expect(counts.get('alpha')! + counts.get('beta')!).toBe(40)
    expect(counts.get('alpha')).toBeGreaterThan(0)
    expect(counts.get('beta')).toBeGreaterThan(0)
    const [a, b] = router.experiments()[0]!.variants
    expect(a!.calls + b!.calls).toBe(80)
    expect(a!.comparisons + b!.comparisons).toBe(0)
  })

  it('accepts an assignment key from any part of the call', async () => {
    const { router } = setup({}, {
      weights: { a: 1, b: 1 },
      sampleRate: 0,
      assignBy: (context) => (context.request as { provider_options?: { tenant?: { id?: string } } }).provider_options?.tenant?.id,
    })
    const models = new Set<string>()
    for (let call = 0; call < 5; call++) {
      const result = await router.chat({ model: 'experiment', messages: [{ role: 'user', content: 'hi' }], provider_options: { tenant: { id: 'acme' } } })
      models.add(result.route.model)
    }
    expect(models.size).toBe(1)
  })

  it('judges off the hot path: the caller has its answer while the judge is still thinking', async () => {
    let releaseJudge!: () => void
    const judgeGate = new Promise<void>((resolve) => (releaseJudge = resolve))
    let judgeCallsStarted = 0
    const judge: ProviderAdapter = {
      specificationVersion: 'v1',
      id: 'slowjudge',
      models: ['j'],
      async chat(request): Promise<ModelResponse> {
        judgeCallsStarted += 1
        await judgeGate
        const preferBeta = between(text(request, -1), 'answer_a').includes('beta')
        return { id: 'j', model: 'j', message: { role: 'assistant', content: preferBeta ? 'A' : 'B' }, finishReason: 'stop', usage: emptyUsage() }
      },
      stream: () => {
        throw new Error('not used')
      },
    }
    const provider = mockProvider({ id: 'p', models: { alpha: 'alpha says hi', beta: 'beta says hi' } })
    const router = createRouter({
      providers: [provider, judge],
      routes: { experiment: abTest({ variants: { a: 'p/alpha', b: 'p/beta' }, weights: { a: 1, b: 0 }, judge: 'slowjudge/j', sampleRate: 1 }) },
    })
    const result = await router.chat({ model: 'experiment', messages: [{ role: 'user', content: 'hi' }] })
    expect(result.choices[0]!.message.content).toBe('alpha says hi')
    expect(router.experiments()[0]!.comparisons).toBe(0)
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(judgeCallsStarted).toBe(2)
    releaseJudge()
    await router.close()
    const [a, b] = router.experiments()[0]!.variants
    expect([a!.losses, b!.wins]).toEqual([1, 1])
  })

  it('compares streamed answers too, without touching what the caller receives', async () => {
    const { router } = setup({ q1: 'beta' })
    const chunks: string[] = []
    for await (const chunk of router.stream({ model: 'experiment', messages: [{ role: 'user', content: 'q1' }] })) {
      chunks.push(chunk.choices[0]?.delta.content ?? '')
    }
    expect(chunks.join('')).toBe('alpha says q1')
    await router.close()
    const report = router.experiments()[0]!
    expect(report.comparisons).toBe(1)
    expect(report.variants[1]!.wins).toBe(1)
    expect(report.variants[0]!.totalCost).toBeCloseTo(0.0002, 12)
  })

  it('counts a failed comparison and warns, without failing the call', async () => {
    const provider = mockProvider({ id: 'p', models: { alpha: 'a', beta: { error: 'invalid' }, judge: 'A' } })
    const events: RouterEvent[] = []
    const router = createRouter({
      providers: [provider],
      routes: { experiment: abTest({ variants: { a: 'p/alpha', b: 'p/beta' }, weights: { a: 1, b: 0 }, judge: 'p/judge', sampleRate: 1 }) },
      onEvent: (event) => events.push(event),
    })
    const result = await router.chat({ model: 'experiment', messages: [{ role: 'user', content: 'hi' }] })
    expect(result.choices[0]!.message.content).toBe('a')
    await router.close()
    expect(router.experiments()[0]!.failedComparisons).toBe(1)
    expect(events.some((event) => event.type === 'warning' && event.code === 'comparison_failed')).toBe(true)
  })

  it('validates its configuration, and the judge is checked at createRouter like route models', () => {
    expect(() => abTest({ variants: { a: 'p/alpha' }, judge: 'p/judge' })).toThrow(ConfigurationError)
    expect(() => abTest({ variants: { a: 'p/alpha', b: 'p/beta' } })).toThrow(/needs a judge/)
    expect(() => abTest({ variants: { a: 'p/alpha', b: 'p/beta' }, weights: { c: 1 }, judge: 'p/j' })).toThrow(/weights.c/)
    const provider = mockProvider({ id: 'p', models: { alpha: 'a', beta: 'b' } })
    expect(() =>
      createRouter({ providers: [provider], routes: { experiment: abTest({ variants: { a: 'p/alpha', b: 'p/beta' }, judge: 'p/missing-judge' }) } }),
    ).toThrow(/does not serve "missing-judge"/)
  })
})
