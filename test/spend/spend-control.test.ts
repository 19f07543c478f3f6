import { afterEach, describe, expect, it, vi } from 'vitest'
import { createRouter } from '../../src/create-router.js'
import { coreOf } from '../../src/router/router.js'
import { mockProvider } from '../../src/providers/mock/mock-provider.js'
import { cheapest } from '../../src/strategies/cheapest.js'
import { fallback } from '../../src/strategies/fallback.js'
import { BudgetExceededError } from '../../src/errors/budget-exceeded-error.js'
import { CostCapExceededError } from '../../src/errors/cost-cap-exceeded-error.js'
import { LocalRateLimitError } from '../../src/errors/local-rate-limit-error.js'
import { ConfigurationError, RateLimitError } from '../../src/errors/errors.js'
import type { ModelRequest } from '../../src/spec/request.js'

// $1 per thousand tokens in and out: one token costs $0.001, so costs read as token counts.
const perThousand = { input: 1_000, output: 1_000 }
const hi = { messages: [{ role: 'user' as const, content: 'hi' }] }
/** The router's estimate of `hi`: 4 tokens of message overhead and 1 of text. */
const promptEstimate = 5

function provider(models: Parameters<typeof mockProvider>[0]['models']) {
  return mockProvider({ models })
}

afterEach(() => {
  vi.useRealTimers()
})

describe('budgets in the router', () => {
  it('reserves the worst case before each attempt, settles the exact cost, and refuses the call that cannot fit before any provider call', async () => {
    // Each answer reports 5 input and 10 output tokens: $0.015 exactly, its worst case with max_tokens 10.
    const mock = provider({ a: { text: 'ok', usage: { inputTokens: 5, outputTokens: 10 } } })
    const router = createRouter({ providers: [mock], prices: { 'mock/a': perThousand }, budgets: [{ name: 'daily', limitUsd: 0.05, window: 'day' }] })
    for (let call = 0; call < 3; call += 1) {
      const result = await router.chat({ model: 'mock/a', ...hi, max_tokens: 10 })
      expect(result.cost.total).toBe(0.015)
    }
    const error = (await router.chat({ model: 'mock/a', ...hi, max_tokens: 10 }).catch((caught: unknown) => caught)) as BudgetExceededError
    expect(error).toBeInstanceOf(BudgetExceededError)
    expect(error.budget).toBe('daily')
    expect(error.limitUsd).toBe(0.05)
    expect(error.spentUsd).toBeCloseTo(0.045, 9)
    expect(error.requiredUsd).toBeCloseTo((promptEstimate + 10) / 1000, 9)
    expect(mock.calls).toHaveLength(3)
    // A refusal is not the model's fault: it does not count towards its cool-down.
    expect(coreOf(router).health.isCoolingDown('mock/a')).toBe(false)
    const [status] = await router.budgets({})
    expect(status).toMatchObject({ budget: 'daily', limitUsd: 0.05 })
    expect(status!.spentUsd).toBeCloseTo(0.045, 9)
  })

  it.each([
    ['a budget alone', []],
    ['a budget with a rate limit (one store round trip)', [{ rpm: 100 }]],
  ])('with %s, an answer that costs more than its reservation is counted in full: the budget ends over its limit, a warning says by how much, and the next call is refused', async (_label, limits) => {
    // Reserved: 5 prompt + 10 max_tokens = $0.015. Billed: 5 + 40 output tokens = $0.045 (a host that ignored max_tokens).
    const mock = provider({ a: { text: 'long', usage: { inputTokens: 5, outputTokens: 40 } } })
    const warnings: Array<{ code: string; message: string }> = []
    const router = createRouter({
      providers: [mock],
      prices: { 'mock/a': perThousand },
      budgets: [{ name: 'daily', limitUsd: 0.03, window: 'day' }],
      limits,
      onEvent: (event) => {
        if (event.type === 'warning') warnings.push(event)
      },
    })
    const first = await router.chat({ model: 'mock/a', ...hi, max_tokens: 10 })
    expect(first.cost.total).toBe(0.045)
    const [status] = await router.budgets({})
    expect(status!.spentUsd).toBeCloseTo(0.045, 9)
    expect(status!.remainingUsd).toBe(0)
    expect(warnings.find((warning) => warning.code === 'budget_estimate_exceeded')?.message).toMatch(/cost \$0\.045, more than the \$0\.015 reserved.*up to \$0\.03 over/)
    const refusal = (await router.chat({ model: 'mock/a', ...hi, max_tokens: 10 }).catch((caught: unknown) => caught)) as BudgetExceededError
    expect(refusal).toBeInstanceOf(BudgetExceededError)
    expect(refusal.spentUsd).toBeCloseTo(0.045, 9)
    expect(mock.calls).toHaveLength(1)
  })

  it('a fallback chain moves on to a candidate that still fits; when none fits the caller gets the BudgetExceededError', async () => {
    const mock = provider({ expensive: 'expensive answer', cheap: 'cheap answer' })
    const router = createRouter({
      providers: [mock],
      prices: { 'mock/expensive': perThousand, 'mock/cheap': perThousand },
      routes: { default: fallback(['mock/expensive', 'mock/cheap']) },
      budgets: [
        { name: 'no-expensive', limitUsd: 0, window: 'month', scope: { model: 'mock/expensive' } },
        { name: 'team', limitUsd: 1, window: 'day', scope: { tags: { team: '*' } } },
      ],
    })
    const result = await router.chat({ model: 'default', ...hi, max_tokens: 100 }, { tags: { team: 'search' } })
    expect(result.choices[0]!.message.content).toBe('cheap answer')
    expect(result.route.attempts[0]!.error).toBeInstanceOf(BudgetExceededError)
    expect(mock.calls.map((call) => call.model)).toEqual(['cheap'])
    // 2 000 output tokens at $0.001 do not fit the team's $1: refused everywhere, the caller gets the refusal.
    const refused = await router.chat({ model: 'default', ...hi, max_tokens: 2_000 }, { tags: { team: 'search' } }).catch((caught: unknown) => caught)
    expect(refused).toBeInstanceOf(BudgetExceededError)
    expect((refused as BudgetExceededError).budget).toMatch(/no-expensive|team/)
    expect(mock.calls).toHaveLength(1)
  })

  it('cheapest moves on to the next cheapest candidate that fits', async () => {
    const mock = provider({ cheap: 'from cheap', pricier: 'from pricier' })
    const router = createRouter({
      providers: [mock],
      prices: { 'mock/cheap': { input: 1, output: 1 }, 'mock/pricier': { input: 2, output: 2 } },
      routes: { cheap: cheapest(['mock/pricier', 'mock/cheap']) },
      budgets: [{ name: 'cheap-is-spent', limitUsd: 0, window: '1h', scope: { model: 'mock/cheap' } }],
    })
    const result = await router.chat({ model: 'cheap', ...hi })
    expect(result.choices[0]!.message.content).toBe('from pricier')
    expect(mock.calls.map((call) => call.model)).toEqual(['pricier'])
  })

  it('a UTC day budget spent at 23:59 is available again at midnight (fake timers)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-03-14T23:59:00Z'))
    const mock = provider({ a: { text: 'ok', usage: { inputTokens: 5, outputTokens: 10 } } })
    const router = createRouter({ providers: [mock], prices: { 'mock/a': perThousand }, budgets: [{ name: 'daily', limitUsd: 0.02, window: 'day' }] })
    await router.chat({ model: 'mock/a', ...hi, max_tokens: 10 })
    const error = (await router.chat({ model: 'mock/a', ...hi, max_tokens: 10 }).catch((caught: unknown) => caught)) as BudgetExceededError
    expect(error.resetsAt?.toISOString()).toBe('2026-03-15T00:00:00.000Z')
    expect(error.retryAfterMs).toBe(60_000)
    vi.setSystemTime(new Date('2026-03-15T00:00:00Z'))
    await expect(router.chat({ model: 'mock/a', ...hi, max_tokens: 10 })).resolves.toMatchObject({ cost: { total: 0.015 } })
  })
})

describe('rate limits in the router', () => {
  it("'reject' fails the third call in a minute with a RateLimitError before the provider is called, without cooling the model down", async () => {
    const mock = provider({ a: 'ok' })
    const router = createRouter({ providers: [mock], prices: { 'mock/a': perThousand }, limits: [{ name: 'a-rpm', scope: { model: 'mock/a' }, rpm: 2 }] })
    await router.chat({ model: 'mock/a', ...hi })
    await router.chat({ model: 'mock/a', ...hi })
    const error = (await router.chat({ model: 'mock/a', ...hi }).catch((caught: unknown) => caught)) as LocalRateLimitError
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error.limit).toBe('a-rpm')
    expect(error.retryAfterMs).toBeGreaterThan(59_000)
    expect(error.retryAfterMs).toBeLessThanOrEqual(61_000)
    expect(mock.calls).toHaveLength(2)
    expect(coreOf(router).health.isCoolingDown('mock/a')).toBe(false)
  })

  it("'queue' holds the attempt until a concurrent one ends", async () => {
    const mock = provider({ slow: { text: 'ok', latencyMs: 150 } })
    const router = createRouter({ providers: [mock], prices: { 'mock/slow': perThousand }, limits: [{ concurrency: 1, onLimit: 'queue', maxWaitMs: 5_000 }] })
    const startedAt = performance.now()
    await Promise.all([router.chat({ model: 'mock/slow', ...hi }), router.chat({ model: 'mock/slow', ...hi })])
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(290)
    expect(mock.calls).toHaveLength(2)
  })

  it('token limits count real usage once known', async () => {
    const mock = provider({ a: { text: 'ok', usage: { inputTokens: 5, outputTokens: 5 } } })
    const router = createRouter({ providers: [mock], prices: { 'mock/a': perThousand }, limits: [{ tpm: 100 }] })
    // Each call reserves 5 + 60 tokens but uses 10. Counting reservations only, the second call
    // would not fit (65 + 65 > 100); counting real usage, four do (30 + 65 ≤ 100) and the fifth not.
    for (let call = 0; call < 4; call += 1) {
      await router.chat({ model: 'mock/a', ...hi, max_tokens: 60 })
      // Settling happens after the call has answered; wait for it as a next call a moment later would.
      await coreOf(router).background.idle()
    }
    expect(mock.calls).toHaveLength(4)
    await expect(router.chat({ model: 'mock/a', ...hi, max_tokens: 60 })).rejects.toThrow(/40 of 100 tokens in the last minute/)
    expect(mock.calls).toHaveLength(4)
  })
})

describe('per-call cost caps (maxCostUsd)', () => {
  it('a non-streamed call gets the max_tokens that fits the cap', async () => {
    const mock = provider({ a: 'ok' })
    const router = createRouter({ providers: [mock], prices: { 'mock/a': { input: 1_000, output: 2_000 } } })
    // Prompt ~5 tokens = $0.005; $0.02 left at $0.002 per output token = 10 tokens.
    await router.chat({ model: 'mock/a', ...hi }, { maxCostUsd: 0.025 })
    expect((mock.calls[0]!.request as ModelRequest).max_tokens).toBe(10)
    // The caller's own smaller max_tokens stays.
    await router.chat({ model: 'mock/a', ...hi, max_tokens: 3 }, { maxCostUsd: 0.025 })
    expect((mock.calls[1]!.request as ModelRequest).max_tokens).toBe(3)
    const refused = (await router.chat({ model: 'mock/a', ...hi }, { maxCostUsd: 0.004 }).catch((caught: unknown) => caught)) as CostCapExceededError
    expect(refused).toBeInstanceOf(CostCapExceededError)
    expect(refused.code).toBe('cost_cap_exceeded')
    expect(mock.calls).toHaveLength(2)
  })

  it('a stream is cut as soon as its running cost crosses the cap, with the partial output and its cost', async () => {
    const words = Array.from({ length: 200 }, (_, index) => `word${index}`).join(' ')
    const mock = provider({ a: { text: words } })
    const router = createRouter({ providers: [mock], prices: { 'mock/a': perThousand } })
    let received = ''
    const error = await (async () => {
      for await (const chunk of router.stream({ model: 'mock/a', ...hi }, { maxCostUsd: 0.05 })) received += chunk.choices[0]?.delta.content ?? ''
    })().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(CostCapExceededError)
    const capped = error as CostCapExceededError
    expect(capped.maxCostUsd).toBe(0.05)
    expect(capped.costUsd).toBeGreaterThan(0.05)
    expect(capped.costUsd).toBeLessThan(0.06)
    expect(capped.partialText.length).toBeGreaterThan(0)
    expect(words.startsWith(capped.partialText)).toBe(true)
    expect(capped.partialText.length).toBeLessThan(words.length / 2)
    expect(received).toBe(capped.partialText)
    // The provider stream was stopped, not read to its end.
    expect(mock.calls[0]!.signal.aborted || capped.partialText.length < words.length).toBe(true)
  })
})

describe('attribution and the spend ledger', () => {
  it('tags and user reach the ledger and never the provider; router.spend groups by user, tag, route, provider and model', async () => {
    const mock = provider({ a: { text: 'ok', usage: { inputTokens: 10, outputTokens: 10 } }, b: { text: 'ok', usage: { inputTokens: 20, outputTokens: 20 } } })
    const router = createRouter({ providers: [mock], prices: { 'mock/a': perThousand, 'mock/b': perThousand }, routes: { main: 'mock/a' } })
    await router.chat({ model: 'main', ...hi }, { tags: { team: 'search' }, user: 'alice' })
    await router.chat({ model: 'mock/b', ...hi }, { tags: { team: 'ads' }, user: 'bob' })
    for await (const _chunk of router.stream({ model: 'mock/a', ...hi }, { tags: { team: 'search' }, user: 'alice' })) void _chunk
    for (const call of mock.calls) {
      expect(JSON.stringify(call.request)).not.toMatch(/search|alice|bob|ads/)
    }
    expect((await router.spend({ window: 'day', by: 'user' })).groups).toEqual([
      { value: 'alice', costUsd: 0.04, attempts: 2 },
      { value: 'bob', costUsd: 0.04, attempts: 1 },
    ])
    expect((await router.spend({ by: { tag: 'team' } })).groups).toEqual([
      { value: 'search', costUsd: 0.04, attempts: 2 },
      { value: 'ads', costUsd: 0.04, attempts: 1 },
    ])
    const byRoute = await router.spend({ by: 'route' })
    expect(byRoute.totalUsd).toBe(0.08)
    expect(byRoute.groups).toContainEqual({ value: 'main', costUsd: 0.02, attempts: 1 })
    expect((await router.spend({ window: '1h', by: 'model' })).groups.map((group) => group.value)).toEqual(['mock/a', 'mock/b'])
  })

  it('the OpenAI dialect user, the Anthropic metadata.user_id and the x-switchyard-tags header attribute calls', async () => {
    const mock = provider({ a: { text: 'ok', usage: { inputTokens: 1, outputTokens: 1 } } })
    const router = createRouter({ providers: [mock], prices: { 'mock/a': perThousand } })
    await router.openai.chat.completions.create({ model: 'mock/a', messages: [{ role: 'user', content: 'hi' }], user: 'openai-user' })
    await router.anthropic.messages.create({ model: 'mock/a', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], metadata: { user_id: 'anthropic-user' } })
    const response = await router.fetch(
      new Request('http://switchyard.local/v1/chat/completions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-switchyard-tags': 'team=search, feature=summary%20v2', 'x-switchyard-user': 'header-user' },
        body: JSON.stringify({ model: 'mock/a', messages: [{ role: 'user', content: 'hi' }] }),
      }),
    )
    expect(response.status).toBe(200)
    // The header reached the ledger, not the provider.
    expect(JSON.stringify(mock.calls[2]!.request)).not.toMatch(/search|summary|header-user/)
    const users = (await router.spend({ by: 'user' })).groups.map((group) => group.value)
    expect(users.sort()).toEqual(['anthropic-user', 'header-user', 'openai-user'])
    expect((await router.spend({ by: { tag: 'feature' } })).groups).toContainEqual({ value: 'summary v2', costUsd: 0.002, attempts: 1 })
    const bad = await router.fetch(
      new Request('http://switchyard.local/v1/chat/completions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-switchyard-tags': 'no-equals-sign' },
        body: JSON.stringify({ model: 'mock/a', messages: [{ role: 'user', content: 'hi' }] }),
      }),
    )
    expect(bad.status).toBe(400)
  })

  it("the OpenAI dialect's metadata tags the call (router.openai and router.fetch, chat and Responses); the caller's own tags win a clash", async () => {
    const mock = provider({ a: { text: 'ok', usage: { inputTokens: 1, outputTokens: 1 } } })
    const router = createRouter({ providers: [mock], prices: { 'mock/a': perThousand } })
    await router.openai.chat.completions.create({ model: 'mock/a', messages: [{ role: 'user', content: 'hi' }], metadata: { team: 'search', feature: 'a' } })
    await router.openai.chat.completions.create({ model: 'mock/a', messages: [{ role: 'user', content: 'hi' }], metadata: { team: 'ads' } }, { tags: { team: 'billing' } })
    await router.openai.responses.create({ model: 'mock/a', input: 'hi', metadata: { team: 'search' } })
    const response = await router.fetch(
      new Request('http://switchyard.local/v1/chat/completions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'mock/a', messages: [{ role: 'user', content: 'hi' }], metadata: { team: 'search', feature: 'b' } }),
      }),
    )
    expect(response.status).toBe(200)
    const teams = (await router.spend({ by: { tag: 'team' } })).groups
    expect(teams).toContainEqual({ value: 'search', costUsd: 0.006, attempts: 3 })
    expect(teams).toContainEqual({ value: 'billing', costUsd: 0.002, attempts: 1 })
    expect(teams.map((group) => group.value)).not.toContain('ads')
    expect((await router.spend({ by: { tag: 'feature' } })).groups.map((group) => group.value).sort()).toEqual(['(none)', 'a', 'b'])
    // The request's own metadata stays where the request put it (OpenAI's options, which only an
    // OpenAI adapter sends); the tags the caller gave never reach a provider.
    for (const call of mock.calls) {
      const { provider_options: options, ...rest } = call.request as { provider_options?: Record<string, unknown> }
      expect(JSON.stringify(rest)).not.toMatch(/search|billing|ads/)
      expect(Object.keys(options ?? {})).not.toContain('mock')
    }
    expect(JSON.stringify(mock.calls.map((call) => call.request))).not.toMatch(/billing/)
  })
})

describe('spend-control configuration', () => {
  const providers = [provider({ a: 'ok' })]
  it.each([
    [{ budgets: [{ name: 'a', limitUsd: -1, window: 'day' }] }, /limitUsd/],
    [{ budgets: [{ name: 'a', limitUsd: 1, window: 'yearly' }] }, /does not parse/],
    [{ budgets: [{ name: 'a', limitUsd: 1, window: 'day', scope: { team: 'x' } }] }, /unknown scope key "team"/],
    [{ limits: [{ rpm: -1 }] }, /rpm/],
    [{ limits: [{ scope: { tenant: 'x' }, rpm: 1 }] }, /unknown scope key "tenant"/],
    [{ spendControl: { defaultOutputTokens: 0 } }, /defaultOutputTokens/],
  ])('createRouter rejects %j with a ConfigurationError', (config, message) => {
    expect(() => createRouter({ providers, ...(config as object) })).toThrow(ConfigurationError)
    expect(() => createRouter({ providers, ...(config as object) })).toThrow(message)
  })

  it('rejects a bad maxCostUsd before any provider call', async () => {
    const mock = provider({ a: 'ok' })
    const router = createRouter({ providers: [mock] })
    await expect(router.chat({ model: 'mock/a', ...hi }, { maxCostUsd: -1 })).rejects.toThrow(/maxCostUsd/)
    expect(mock.calls).toHaveLength(0)
  })
})
