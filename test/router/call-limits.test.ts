import { describe, expect, it } from 'vitest'
import { AttemptLimitError, createRouter, fallback, InvalidRequestError, mockProvider, race } from '../../src/index.js'

const messages = [{ role: 'user' as const, content: 'Hi' }]
const failingModels = Object.fromEntries(Array.from({ length: 20 }, (_, index) => [`down-${index}`, { error: 'server' as const }]))
const failingIds = Object.keys(failingModels).map((model) => `mock/${model}`)

describe('call limits: a caller cannot turn one request into many upstream calls', () => {
  it('refuses a model array longer than callLimits.maxModelsPerCall (default 10) before any provider is called', async () => {
    const provider = mockProvider({ id: 'mock', models: failingModels })
    const router = createRouter({ providers: [provider] })
    const error = await router.chat({ model: failingIds, messages }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(InvalidRequestError)
    expect((error as Error).message).toMatch(/lists 20 ids; at most 10/)
    expect(() => router.stream({ model: failingIds, messages })).toThrow(InvalidRequestError)
    expect(provider.calls).toHaveLength(0)
    await expect(router.chat({ model: failingIds.slice(0, 2), messages }, { strategy: fallback(failingIds.slice(0, 2), { retries: 0 }) })).rejects.toThrow()
    expect(provider.calls.length).toBeGreaterThan(0)
  })

  it('stops a call at callLimits.maxAttemptsPerCall attempts, retries included (20 failing ids × 3 tries → 20 calls, not 60)', async () => {
    const provider = mockProvider({ id: 'mock', models: failingModels })
    const router = createRouter({ providers: [provider], routes: { wide: fallback(failingIds, { retries: 2, minRetryDelayMs: 1 }) } })
    const error = await router.chat({ model: 'wide', messages }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(AttemptLimitError)
    expect(provider.calls).toHaveLength(20)

    const tight = mockProvider({ id: 'mock', models: failingModels })
    const limited = createRouter({ providers: [tight], routes: { wide: fallback(failingIds, { retries: 2, minRetryDelayMs: 1 }) }, callLimits: { maxAttemptsPerCall: 4 } })
    await expect(limited.chat({ model: 'wide', messages })).rejects.toBeInstanceOf(AttemptLimitError)
    expect(tight.calls).toHaveLength(4)
  })

  it('counts the attempts of every concurrent strategy against the same limit', async () => {
    const provider = mockProvider({ id: 'mock', models: failingModels })
    const router = createRouter({ providers: [provider], routes: { all: race(failingIds) }, callLimits: { maxAttemptsPerCall: 5 } })
    await expect(router.chat({ model: 'all', messages })).rejects.toThrow()
    expect(provider.calls).toHaveLength(5)
  })

  it('rejects malformed limits at createRouter()', () => {
    const providers = [mockProvider({ models: { a: 'x' } })]
    expect(() => createRouter({ providers, callLimits: { maxAttemptsPerCall: 0 } })).toThrow(/callLimits\.maxAttemptsPerCall must be a positive integer/)
    expect(() => createRouter({ providers, callLimits: { maxModelsPerCall: 1.5 } })).toThrow(/callLimits\.maxModelsPerCall/)
  })
})
