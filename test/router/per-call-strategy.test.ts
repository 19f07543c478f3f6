import { describe, expect, it } from 'vitest'
import { AbortedError, createRouter, InvalidRequestError, mockProvider, race, raceToFirst, type Strategy } from '../../src/index.js'

const messages = [{ role: 'user' as const, content: 'Hi' }]

function setup() {
  const provider = mockProvider({ id: 'mock', models: { a: 'ok' } })
  return { provider, router: createRouter({ providers: [provider] }) }
}

describe('strategies passed per call', () => {
  it('race([]) is refused at once (400), for chat and stream, and never hangs', async () => {
    const { router, provider } = setup()
    await expect(router.chat({ model: 'mock/a', messages }, { strategy: race([]) })).rejects.toBeInstanceOf(InvalidRequestError)
    expect(() => router.stream({ model: 'mock/a', messages }, { strategy: race([]) })).toThrow(InvalidRequestError)
    expect(provider.calls).toHaveLength(0)
  })

  it('raceToFirst over no candidates rejects instead of never settling', async () => {
    const { router } = setup()
    const strategy: Strategy = { specificationVersion: 'v1', name: 'empty', models: ['mock/a'], run: (context) => raceToFirst(context, [], undefined) }
    await expect(router.chat({ model: 'mock/a', messages }, { strategy })).rejects.toBeInstanceOf(InvalidRequestError)
  })

  it('is validated like a route: an unknown model or provider, or something that is not a strategy, is a 400 before any call', async () => {
    const { router, provider } = setup()
    const unknownModel = await router.chat({ model: 'mock/a', messages }, { strategy: race(['mock/a', 'mock/nope']) }).catch((caught: unknown) => caught)
    expect(unknownModel).toBeInstanceOf(InvalidRequestError)
    expect((unknownModel as Error).message).toMatch(/does not serve "nope"/)
    await expect(router.chat({ model: 'mock/a', messages }, { strategy: race(['acme/x']) })).rejects.toBeInstanceOf(InvalidRequestError)
    await expect(router.chat({ model: 'mock/a', messages }, { strategy: { name: 'junk' } as unknown as Strategy })).rejects.toBeInstanceOf(InvalidRequestError)
    expect(provider.calls).toHaveLength(0)
  })

  it("a strategy that ignores the caller's signal still settles when the caller aborts", async () => {
    const { router } = setup()
    const deaf: Strategy = { specificationVersion: 'v1', name: 'deaf', models: ['mock/a'], run: () => new Promise(() => {}) }
    const controller = new AbortController()
    const pending = router.chat({ model: 'mock/a', messages }, { strategy: deaf, signal: controller.signal })
    setTimeout(() => controller.abort(), 20)
    await expect(pending).rejects.toBeInstanceOf(AbortedError)
    const streamController = new AbortController()
    const stream = router.stream({ model: 'mock/a', messages }, { strategy: deaf, signal: streamController.signal })
    setTimeout(() => streamController.abort(), 20)
    await expect(stream.finalResult()).rejects.toBeInstanceOf(AbortedError)
  })
})
