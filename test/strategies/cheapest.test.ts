import { describe, expect, it } from 'vitest'
import { cheapest, createRouter, mockProvider, NoQualifyingCandidateError, planCheapest, type ChatParameters, type RouterEvent } from '../../src/index.js'
import { coreOf } from '../../src/router/router.js'
import type { Candidate } from '../../src/index.js'

/** A candidate as the router resolves one: `provider/model` split at the first slash. */
const candidateOf = (id: string): Candidate => ({ id, provider: id.slice(0, id.indexOf('/')), model: id.slice(id.indexOf('/') + 1) })

// Prompt sizes by the documented estimate: ceil(characters / 4) per text, +4 per message.
const hundredTokenPrompt = 'x'.repeat(384) // 96 + 4 = 100 tokens
const user = (content: string) => ({ role: 'user' as const, content })

function setup() {
  const providers = {
    a: mockProvider({ id: 'a', models: { small: 'from small' }, capabilities: { small: { tools: false, contextWindow: 1_000 } } }),
    b: mockProvider({ id: 'b', models: { mid: 'from mid' } }),
    c: mockProvider({ id: 'c', models: { big: 'from big' } }),
    d: mockProvider({ id: 'd', models: { unpriced: 'from unpriced' } }),
  }
  const events: RouterEvent[] = []
  const router = createRouter({
    providers: Object.values(providers),
    prices: {
      'a/small': { input: 0.5, output: 1.5 },
      'b/mid': { input: 1, output: 2 },
      'c/big': { input: 3, output: 4, cacheRead: 0.1 },
    },
    routes: {
      cheap: cheapest(['c/big', 'd/unpriced', 'b/mid', 'a/small'], { retries: 0 }),
      priced: cheapest(['c/big', 'd/unpriced', 'b/mid', 'a/small'], { retries: 0, maxPrice: 0.00025 }),
    },
    onEvent: (event) => events.push(event),
  })
  const candidates = ['c/big', 'd/unpriced', 'b/mid', 'a/small'].map(candidateOf)
  return { router, providers, candidates, events }
}

const tool = { type: 'function' as const, function: { name: 'f' } } // {"name":"f"} = 12 characters = 3 tokens
const cachedSystem = {
  role: 'system' as const,
  content: [{ type: 'text' as const, text: 'x'.repeat(40_000), cache_control: { type: 'ephemeral' as const } }], // 4 + 10 000 tokens
}

// Each row: the request, the model that must answer, and the estimates computed by hand (USD).
const table: Array<{ name: string; request: ChatParameters; winner: string; estimates: Record<string, number | null> }> = [
  {
    name: '100 prompt + 100 output tokens: the cheapest list price wins',
    request: { messages: [user(hundredTokenPrompt)], max_tokens: 100 },
    winner: 'a/small',
    // small (100×0.5 + 100×1.5)/1e6; mid (100×1 + 100×2)/1e6; big (100×3 + 100×4)/1e6
    estimates: { 'a/small': 0.0002, 'b/mid': 0.0003, 'c/big': 0.0007, 'd/unpriced': null },
  },
  {
    name: 'tools: small lacks the capability, mid is next',
    request: { messages: [user(hundredTokenPrompt)], max_tokens: 100, tools: [tool] },
    winner: 'b/mid',
    // 103 prompt tokens: mid (103×1 + 100×2)/1e6; big (103×3 + 100×4)/1e6
    estimates: { 'b/mid': 0.000303, 'c/big': 0.000709, 'd/unpriced': null },
  },
  {
    name: '2 000 output tokens overflow small\'s 1 000-token window',
    request: { messages: [user(hundredTokenPrompt)], max_tokens: 2_000 },
    winner: 'b/mid',
    // mid (100×1 + 2000×2)/1e6; big (100×3 + 2000×4)/1e6
    estimates: { 'b/mid': 0.0041, 'c/big': 0.0083, 'd/unpriced': null },
  },
  {
    name: 'a cache_control prefix is priced at the cache-read price',
    request: { messages: [cachedSystem, user(hundredTokenPrompt)], max_tokens: 100 },
    winner: 'c/big',
    // 10 104 prompt tokens, 10 004 cached. mid has no cache-read price: (10104×1 + 100×2)/1e6;
    // big (100×3 + 10004×0.1 + 100×4)/1e6
    estimates: { 'b/mid': 0.010304, 'c/big': 0.0017004, 'd/unpriced': null },
  },
  {
    name: 'the same prompt without the marker pays full input price on big',
    request: { messages: [{ role: 'system', content: 'x'.repeat(40_000) }, user(hundredTokenPrompt)], max_tokens: 100 },
    winner: 'b/mid',
    // mid (10104×1 + 100×2)/1e6; big (10104×3 + 100×4)/1e6
    estimates: { 'b/mid': 0.010304, 'c/big': 0.030712, 'd/unpriced': null },
  },
  {
    name: 'no max_tokens and nothing learned: the default 500 output tokens',
    request: { messages: [user(hundredTokenPrompt)] },
    winner: 'a/small',
    // small (100×0.5 + 500×1.5)/1e6; mid (100×1 + 500×2)/1e6; big (100×3 + 500×4)/1e6
    estimates: { 'a/small': 0.0008, 'b/mid': 0.0011, 'c/big': 0.0023, 'd/unpriced': null },
  },
]

describe('cheapest', () => {
  for (const row of table) {
    it(row.name, async () => {
      const { router, candidates, providers } = setup()
      const plan = planCheapest(row.request, candidates, coreOf(router))
      const estimates = Object.fromEntries(plan.ranked.map((entry) => [entry.candidate.id, entry.estimatedCost]))
      expect(Object.keys(estimates).sort()).toEqual(Object.keys(row.estimates).sort())
      for (const [id, expected] of Object.entries(row.estimates)) {
        if (expected === null) expect(estimates[id]).toBeNull()
        else expect(estimates[id]).toBeCloseTo(expected, 12)
      }
      // Ranked by cost, the unpriced candidate last.
      expect(plan.ranked.at(-1)!.candidate.id).toBe('d/unpriced')
      const result = await router.chat({ model: 'cheap', ...row.request })
      expect(`${result.route.provider}/${result.route.model}`).toBe(row.winner)
      expect(result.route.strategy).toBe('cheapest')
      const called = Object.values(providers).flatMap((provider) => provider.calls.map((call) => `${provider.id}/${call.model}`))
      expect(called).toEqual([row.winner])
    })
  }

  it('compares every candidate on the same expected output: the mean of what the router has learned', async () => {
    const { router, candidates } = setup()
    coreOf(router).stats.record('a/small', { latencyMs: 1, outputTokens: 800 })
    coreOf(router).stats.record('b/mid', { latencyMs: 1, outputTokens: 100 })
    const plan = planCheapest({ messages: [user(hundredTokenPrompt)] }, candidates, coreOf(router))
    // (800 + 100) / 2 = 450 output tokens for each:
    // small (100×0.5 + 450×1.5)/1e6 = 0.000725; mid (100×1 + 450×2)/1e6 = 0.001; big (100×3 + 450×4)/1e6 = 0.0021
    expect(plan.ranked.map((entry) => [entry.candidate.id, entry.outputTokens])).toEqual([
      ['a/small', 450],
      ['b/mid', 450],
      ['c/big', 450],
      ['d/unpriced', 450],
    ])
    expect(plan.ranked[0]!.estimatedCost).toBeCloseTo(0.000725, 12)
    const result = await router.chat({ model: 'cheap', messages: [user(hundredTokenPrompt)] })
    expect(result.route.model).toBe('small')
  })

  it('a model measured once on a short answer does not undercut a 6× cheaper unmeasured one (catalog prices)', async () => {
    // Catalog list prices, USD / 1M: gpt-4o 2.50 in / 10.00 out; gpt-4.1-mini 0.40 in / 1.60 out.
    const provider = mockProvider({ id: 'openai', catalogId: 'openai', models: { 'gpt-4o': { text: 'short', usage: { inputTokens: 10, outputTokens: 50 } }, 'gpt-4.1-mini': 'ok' } })
    const router = createRouter({ providers: [provider], routes: { cheap: cheapest(['openai/gpt-4o', 'openai/gpt-4.1-mini']) } })
    await router.chat({ model: 'openai/gpt-4o', messages: [user('Hi')] })
    const plan = planCheapest({ messages: [user(hundredTokenPrompt)] }, [candidateOf('openai/gpt-4o'), candidateOf('openai/gpt-4.1-mini')], coreOf(router))
    expect(plan.ranked.map((entry) => entry.candidate.id)).toEqual(['openai/gpt-4.1-mini', 'openai/gpt-4o'])
    expect(new Set(plan.ranked.map((entry) => entry.outputTokens))).toEqual(new Set([50]))
    const result = await router.chat({ model: 'cheap', messages: [user('Hi')] })
    expect(result.route.model).toBe('gpt-4.1-mini')
  })

  it('falls back in cost order when the cheapest fails', async () => {
    const providers = [
      mockProvider({ id: 'a', models: { small: { error: 'server' } } }),
      mockProvider({ id: 'b', models: { mid: 'mid answers' } }),
      mockProvider({ id: 'c', models: { big: 'big answers' } }),
    ]
    const router = createRouter({
      providers,
      prices: { 'a/small': { input: 1, output: 1 }, 'b/mid': { input: 2, output: 2 }, 'c/big': { input: 3, output: 3 } },
      routes: { cheap: cheapest(['c/big', 'b/mid', 'a/small'], { retries: 0 }) },
    })
    const result = await router.chat({ model: 'cheap', messages: [user('hi')] })
    expect(result.route.attempts.map((attempt) => [attempt.model, attempt.outcome])).toEqual([
      ['small', 'error'],
      ['mid', 'success'],
    ])
    expect(providers[2]!.calls).toHaveLength(0)
  })

  it('drops unpriced candidates when maxPrice is set, and says why each candidate was dropped', async () => {
    const { router } = setup()
    const cheapEnough = await router.chat({ model: 'priced', messages: [user(hundredTokenPrompt)], max_tokens: 100 })
    expect(cheapEnough.route.model).toBe('small')
    const error = await router.chat({ model: 'priced', messages: [user(hundredTokenPrompt)], max_tokens: 100, tools: [tool] }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(NoQualifyingCandidateError)
    const dropped = (error as NoQualifyingCandidateError).dropped
    expect(dropped.map((entry) => [entry.id, entry.reason])).toEqual([
      ['c/big', 'over-max-price'],
      ['d/unpriced', 'unknown-price'],
      ['b/mid', 'over-max-price'],
      ['a/small', 'missing-capability'],
    ])
    expect((error as Error).message).toContain('a/small: lacks tools.')
    expect((error as Error).message).toContain('b/mid: its estimated cost $0.000303 is over maxPrice $0.00025.')
    expect((error as NoQualifyingCandidateError).retryable).toBe(false)
  })

  it('caps list prices with an object maxPrice', () => {
    const { router, candidates } = setup()
    const plan = planCheapest({ messages: [user('hi')] }, candidates, coreOf(router), { maxPrice: { output: 2 } })
    expect(plan.ranked.map((entry) => entry.candidate.id)).toEqual(['a/small', 'b/mid'])
    expect(plan.dropped.find((entry) => entry.id === 'c/big')!.detail).toBe('its output price $4/M tokens is over maxPrice.output $2/M.')
  })

  it('infers required capabilities from the request: images need vision, json_schema needs json_schema', () => {
    const providers = [mockProvider({ id: 'a', models: { text: 'x' }, capabilities: { text: { vision: false, json_schema: false } } }), mockProvider({ id: 'b', models: { vision: 'x' } })]
    const router = createRouter({ providers, prices: { 'a/text': { input: 0, output: 0 }, 'b/vision': { input: 1, output: 1 } } })
    const candidates = [candidateOf('a/text'), candidateOf('b/vision')]
    const image = { messages: [{ role: 'user' as const, content: [{ type: 'image_url' as const, image_url: { url: 'https://example.com/cat.png' } }] }] }
    expect(planCheapest(image, candidates, coreOf(router)).ranked.map((entry) => entry.candidate.id)).toEqual(['b/vision'])
    const schema = { messages: [user('hi')], response_format: { type: 'json_schema' as const, json_schema: { name: 'x', schema: {} } } }
    expect(planCheapest(schema, candidates, coreOf(router)).dropped).toEqual([{ id: 'a/text', reason: 'missing-capability', detail: 'lacks json_schema.' }])
    expect(planCheapest({ messages: [user('hi')] }, candidates, coreOf(router), { require: ['vision'] }).ranked.map((entry) => entry.candidate.id)).toEqual(['b/vision'])
  })

  it('skips a cooling-down candidate and reports it; with nothing left the error is retryable after the cool-down', async () => {
    const providers = [
      mockProvider({ id: 'a', models: { small: { error: 'rate_limit', retryAfterMs: 60_000 } } }),
      mockProvider({ id: 'b', models: { mid: 'mid answers' } }),
    ]
    const events: RouterEvent[] = []
    const router = createRouter({
      providers,
      prices: { 'a/small': { input: 1, output: 1 }, 'b/mid': { input: 2, output: 2 } },
      routes: { cheap: cheapest(['a/small', 'b/mid'], { retries: 0 }), only: cheapest(['a/small'], { retries: 0 }) },
      onEvent: (event) => events.push(event),
    })
    const first = await router.chat({ model: 'cheap', messages: [user('hi')] })
    expect(first.route.attempts.map((attempt) => attempt.outcome)).toEqual(['error', 'success'])
    const second = await router.chat({ model: 'cheap', messages: [user('hi')] })
    expect(second.route.attempts.map((attempt) => attempt.model)).toEqual(['mid'])
    expect(providers[0]!.calls).toHaveLength(1)
    expect(events).toContainEqual({ type: 'candidate-skipped', provider: 'a', model: 'small', reason: 'cooling-down', routeName: 'cheap' })
    const error = (await router.chat({ model: 'only', messages: [user('hi')] }).catch((caught: unknown) => caught)) as NoQualifyingCandidateError
    expect(error).toBeInstanceOf(NoQualifyingCandidateError)
    expect(error.dropped[0]!.reason).toBe('cooling-down')
    expect(error.retryable).toBe(true)
    expect(error.retryAfterMs).toBeGreaterThan(59_000)
    expect(providers[0]!.calls).toHaveLength(1)
  })
})
