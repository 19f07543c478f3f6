import { describe, expect, it } from 'vitest'
import { AbortedError, RateLimitError } from '../../src/errors/errors.js'
import { LocalRateLimitError } from '../../src/errors/local-rate-limit-error.js'
import { validateLimits, type LimitDefinition } from '../../src/spend/limit-config.js'
import { ProviderQuota } from '../../src/spend/provider-quota.js'
import { RateLimiter } from '../../src/spend/rate-limiter.js'
import type { SpendAttributes } from '../../src/spend/spend-scope.js'
import type { Store } from '../../src/spec/store.js'
import { memoryStore } from '../../src/stores/memory-store.js'
import { storeKinds, useStores } from './store-kinds.js'

const call = (overrides: Partial<SpendAttributes> = {}): SpendAttributes => ({
  tags: {},
  route: null,
  provider: 'openai',
  model: 'openai/gpt-4o',
  ...overrides,
})

const noWarnings = () => {
  throw new Error('unexpected warning')
}

function limiter(limits: LimitDefinition[], store: Store, now?: () => number, quota?: ProviderQuota) {
  return new RateLimiter(validateLimits(limits), store, noWarnings, now, quota)
}

const newStore = useStores()

describe.each(storeKinds)('rate limits on the %s store', (kind) => {
  it("rpm 'reject': the request over the limit fails with a RateLimitError whose retryAfterMs is when a slot frees", async () => {
    let now = Date.parse('2026-03-14T10:00:00.250Z')
    const limits = limiter([{ name: 'openai-rpm', scope: { provider: 'openai' }, rpm: 2 }], await newStore(kind), () => now)
    await limits.acquire(call(), 10)
    now += 30_000
    await limits.acquire(call(), 10)
    const error = (await limits.acquire(call(), 10).catch((caught: unknown) => caught)) as LocalRateLimitError
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error).toBeInstanceOf(LocalRateLimitError)
    expect(error.code).toBe('rate_limited')
    expect([error.limit, error.kind, error.scope, error.provider, error.model]).toEqual(['openai-rpm', 'rpm', 'provider openai', 'openai', 'gpt-4o'])
    // The first request (slot 10:00:00) leaves the rolling minute at 10:01:01; it is now 10:00:30.25.
    expect(error.retryAfterMs).toBe(30_750)
    expect(error.retryable).toBe(true)
    now += error.retryAfterMs! - 1
    await expect(limits.acquire(call(), 10)).rejects.toBeInstanceOf(LocalRateLimitError)
    now += 1
    await expect(limits.acquire(call(), 10)).resolves.toBeDefined()
    // Another provider is outside the scope.
    expect(await limits.acquire(call({ provider: 'anthropic', model: 'anthropic/claude' }), 10)).toBeUndefined()
  })

  it('tpm reserves the estimate and counts real usage once known', async () => {
    const limits = limiter([{ scope: { model: 'openai/gpt-4o' }, tpm: 1_000 }], await newStore(kind))
    const first = await limits.acquire(call(), 800)
    await expect(limits.acquire(call(), 300)).rejects.toThrow(/800 of 1000 tokens in the last minute/)
    await limits.settle(first!, 150)
    await expect(limits.acquire(call(), 800)).resolves.toBeDefined()
    const tooBig = (await limits.acquire(call(), 5_000).catch((caught: unknown) => caught)) as LocalRateLimitError
    expect(tooBig.retryable).toBe(false)
    expect(tooBig.message).toMatch(/alone needs ~5000 tokens, more than the tpm limit of 1000/)
  })

  it('real usage settles in the slot the estimate went to, after the minute has moved on to a new slot', async () => {
    let now = Date.parse('2026-03-14T10:00:00.250Z')
    const limits = limiter([{ name: 'openai-tpm', scope: { provider: 'openai' }, tpm: 1_000 }], await newStore(kind), () => now)
    const first = await limits.acquire(call(), 800)
    now += 5_000
    await limits.settle(first!, 100)
    // 100 counted for the first attempt, not its 800 estimate: 850 more fit in the minute.
    await expect(limits.acquire(call(), 850)).resolves.toBeDefined()
    await expect(limits.acquire(call(), 100)).rejects.toThrow(/950 of 1000 tokens in the last minute/)
  })

  it("concurrency 'queue': the third attempt waits for one to end; 'reject' fails at once", async () => {
    const store = await newStore(kind)
    const queued = limiter([{ name: 'two-at-once', scope: { user: '*' }, concurrency: 2, onLimit: 'queue', maxWaitMs: 5_000 }], store)
    const alice = call({ user: 'alice' })
    const one = await queued.acquire(alice, 1)
    await queued.acquire(alice, 1)
    let admitted = false
    const third = queued.acquire(alice, 1).then((permit) => {
      admitted = true
      return permit
    })
    await new Promise((resolve) => setTimeout(resolve, 120))
    expect(admitted).toBe(false)
    // Bob has his own counter.
    await expect(queued.acquire(call({ user: 'bob' }), 1)).resolves.toBeDefined()
    await queued.settle(one!, 1)
    await expect(third).resolves.toBeDefined()
    const rejecting = limiter([{ name: 'two-at-once', scope: { user: '*' }, concurrency: 2 }], store)
    const error = (await rejecting.acquire(alice, 1).catch((caught: unknown) => caught)) as LocalRateLimitError
    expect([error.kind, error.scope]).toEqual(['concurrency', 'user alice'])
    expect(error.retryAfterMs).toBeUndefined()
  })

  it('a queued attempt gives up after maxWaitMs, and at once when the wait is known to be longer', async () => {
    const store = await newStore(kind)
    const limits = limiter([{ concurrency: 1, onLimit: 'queue', maxWaitMs: 150 }], store)
    await limits.acquire(call(), 1)
    const startedAt = performance.now()
    await expect(limits.acquire(call(), 1)).rejects.toBeInstanceOf(LocalRateLimitError)
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(140)
    const rpm = limiter([{ name: 'slow', rpm: 1, onLimit: 'queue', maxWaitMs: 1_000 }], store)
    await rpm.acquire(call(), 1)
    const quick = performance.now()
    const error = (await rpm.acquire(call(), 1).catch((caught: unknown) => caught)) as LocalRateLimitError
    expect(error.kind).toBe('rpm')
    expect(error.retryAfterMs).toBeGreaterThan(58_000)
    expect(performance.now() - quick).toBeLessThan(500)
  })

  it("the caller's signal ends a queued wait with AbortedError", async () => {
    const limits = limiter([{ concurrency: 1, onLimit: 'queue' }], await newStore(kind))
    await limits.acquire(call(), 1)
    const controller = new AbortController()
    const waiting = limits.acquire(call(), 1, controller.signal)
    setTimeout(() => controller.abort(), 60)
    await expect(waiting).rejects.toBeInstanceOf(AbortedError)
  })
})

describe('provider rate-limit headers', () => {
  it('a model whose provider said no requests are left is refused until the reset, then admitted', async () => {
    let now = Date.parse('2026-03-14T10:00:00Z')
    const quota = new ProviderQuota(() => now)
    quota.observe('openai', 'gpt-4o', new Headers({ 'x-ratelimit-limit-requests': '500', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1.5s', 'x-ratelimit-remaining-tokens': '9000' }))
    const limits = limiter([], memoryStore(), () => now, quota)
    const error = (await limits.acquire(call(), 1).catch((caught: unknown) => caught)) as LocalRateLimitError
    expect(error.kind).toBe('provider-quota')
    expect(error.retryAfterMs).toBe(1_500)
    expect(await limits.acquire(call({ model: 'openai/gpt-4o-mini' }), 1)).toBeUndefined()
    now += 1_500
    expect(await limits.acquire(call(), 1)).toBeUndefined()
  })
})

describe('limit configuration', () => {
  it.each([
    [{ rpm: -5 }, /rpm.*whole number above 0/],
    [{ rpm: 1.5 }, /rpm/],
    [{ tpm: 0 }, /tpm/],
    [{ concurrency: 'x' }, /concurrency/],
    [{ scope: { provider: 'openai' } }, /at least one of rpm, tpm, concurrency/],
    [{ rpm: 1, onLimit: 'wait' }, /onLimit.*'queue' or 'reject'/],
    [{ rpm: 1, maxWaitMs: -1 }, /maxWaitMs/],
    [{ rpm: 1, scope: { team: 'a' } }, /unknown scope key "team"/],
    [{ rpm: 1, burst: 3 }, /unknown field\(s\) burst/],
  ])('rejects %j', (entry, message) => {
    expect(() => validateLimits([entry])).toThrow(message)
  })
})
