import { describe, expect, it } from 'vitest'
import { InvalidRequestError, createRouter, mockProvider, openai } from '../../src/index.js'

const messages = [{ role: 'user' as const, content: 'hi' }]

describe('a provider\'s models list restricts what it serves, called by id too', () => {
  function setup() {
    const provider = mockProvider({ id: 'mock', models: { known: 'known answer' } })
    return { provider, router: createRouter({ providers: [provider, openai({ apiKey: 'sk-test-unused', models: ['gpt-4o'] })] }) }
  }

  it('rejects an undeclared model with a typed 404 before any provider is called', async () => {
    const { router, provider } = setup()
    for (const model of ['openai/anything', 'mock/unknown']) {
      const error = await router.chat({ model, messages }).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(InvalidRequestError)
      expect((error as InvalidRequestError).status).toBe(404)
      expect((error as InvalidRequestError).message).toContain('is restricted to the models it declares')
    }
    expect(() => router.stream({ model: ['mock/unknown', 'mock/known'], messages })).toThrow(InvalidRequestError)
    await expect(router.embed({ model: 'mock/unknown', input: 'x' })).rejects.toBeInstanceOf(InvalidRequestError)
    expect(provider.calls).toHaveLength(0)
    expect((await router.chat({ model: 'mock/known', messages })).choices[0]!.message.content).toBe('known answer')
  })

  it('rejects it through router.fetch too, in the dialect\'s error shape', async () => {
    const { router, provider } = setup()
    const response = await router.fetch('/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openai/anything', messages }),
    })
    expect(response.status).toBe(404)
    const body = (await response.json()) as { error: { message: string } }
    expect(body.error.message).toContain('openai/anything')
    const listed = (await (await router.fetch('/v1/models')).json()) as { data: Array<{ id: string }> }
    expect(listed.data.map((model) => model.id)).toEqual(['mock/known', 'openai/gpt-4o'])
    expect(provider.calls).toHaveLength(0)
  })
})

describe('the facades', () => {
  it('are built on first use, once per router; router.fetch goes through the same facades', async () => {
    const router = createRouter({ providers: [mockProvider({ id: 'mock', models: { m: 'facade answer' } })] })
    expect(router.openai).toBe(router.openai)
    expect(router.anthropic).toBe(router.anthropic)
    expect(router.fetch).toBe(router.fetch)
    // Swap the OpenAI facade's create: a fetch call must reach the swapped one.
    const completions = router.openai.chat.completions
    const original = completions.create
    let calls = 0
    completions.create = ((...args: Parameters<typeof original>) => {
      calls += 1
      return original(...args)
    }) as typeof original
    const response = await router.fetch('/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'mock/m', messages }) })
    expect(response.status).toBe(200)
    expect(calls).toBe(1)
  })

  it('list the router\'s model names through its public interface', () => {
    const router = createRouter({
      providers: [mockProvider({ id: 'mock', models: { m: 'x', n: 'y' } })],
      routes: { main: 'mock/m', pair: ['mock/n', 'mock/m'] },
    })
    expect(router.models()).toEqual([
      { id: 'main', ownedBy: 'switchyard', kind: 'route' },
      { id: 'pair', ownedBy: 'switchyard', kind: 'route' },
      { id: 'mock/m', ownedBy: 'mock', kind: 'model' },
      { id: 'mock/n', ownedBy: 'mock', kind: 'model' },
    ])
    expect(router.model('pair')).toEqual({ id: 'pair', ownedBy: 'switchyard', kind: 'route' })
    expect(() => router.model('nobody/m')).toThrow(InvalidRequestError)
  })
})
