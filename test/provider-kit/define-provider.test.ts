import { afterEach, describe, expect, it } from 'vitest'
import { ConfigurationError, createRouter, defineProvider, fallback, InvalidRequestError, MissingDependencyError, RateLimitError, type ModelResponse } from '../../src/index.js'

const answer = (text: string): ModelResponse => ({
  id: 'r',
  model: 'm',
  message: { role: 'assistant', content: text },
  finishReason: 'stop',
  usage: { inputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 1, reasoningTokens: 0 },
})
const messages = [{ role: 'user' as const, content: 'hi' }]
const saved = { first: process.env.KIT_TEST_KEY_A, second: process.env.KIT_TEST_KEY_B }

afterEach(() => {
  for (const [name, value] of [['KIT_TEST_KEY_A', saved.first], ['KIT_TEST_KEY_B', saved.second]] as const) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
})

describe('defineProvider', () => {
  it('reads the key from the settings, else the first variable set; builds the client once, on the first call', async () => {
    delete process.env.KIT_TEST_KEY_A
    process.env.KIT_TEST_KEY_B = 'key-from-b'
    const built: Array<string | undefined> = []
    const provider = defineProvider<{ key: string | undefined }>({
      id: 'kit',
      settings: { models: ['m'] },
      apiKeyEnv: ['KIT_TEST_KEY_A', 'KIT_TEST_KEY_B'],
      createClient: ({ apiKey }) => {
        built.push(apiKey)
        return { key: apiKey }
      },
      chat: async (_request, { client, apiKey }) => answer(`${client.key}/${apiKey}`),
      stream: async function* () {},
    })
    expect(provider.specificationVersion).toBe('v1')
    expect(provider.models).toEqual(['m'])
    const router = createRouter({ providers: [provider] })
    expect(built).toEqual([])
    const [first, second] = await Promise.all([router.chat({ model: 'kit/m', messages }), router.chat({ model: 'kit/m', messages })])
    expect(first.choices[0]!.message.content).toBe('key-from-b/key-from-b')
    expect(second.choices[0]!.message.content).toBe('key-from-b/key-from-b')
    expect(built).toEqual(['key-from-b'])
  })

  it('a missing key fails at createRouter naming every variable and the factory; a ready client needs none', () => {
    delete process.env.KIT_TEST_KEY_A
    delete process.env.KIT_TEST_KEY_B
    const definition = { id: 'kit', factoryName: 'kit', apiKeyEnv: ['KIT_TEST_KEY_A', 'KIT_TEST_KEY_B'], chat: async () => answer(''), stream: async function* () {} }
    expect(() => createRouter({ providers: [defineProvider(definition)] })).toThrow(ConfigurationError)
    expect(() => createRouter({ providers: [defineProvider(definition)] })).toThrow(/KIT_TEST_KEY_A or KIT_TEST_KEY_B.*kit\(\{ apiKey \}\)/)
    expect(() => createRouter({ providers: [defineProvider({ ...definition, settings: { client: {} } })] })).not.toThrow()
  })

  it('loads its code (loadCode) on the first call with the client, before any operation runs; a failed load is retried on the next call', async () => {
    const steps: string[] = []
    let loads = 0
    let code: { greet: (name: string) => string } | undefined
    const provider = defineProvider<{ name: string }>({
      id: 'kit',
      settings: { models: ['m'], client: { name: 'ready-client' } },
      loadCode: async () => {
        loads += 1
        steps.push(`load ${loads}`)
        if (loads === 1) throw new MissingDependencyError('the chunk is missing')
        code = { greet: (name) => `hello ${name}` }
      },
      chat: async (_request, { client }) => {
        steps.push('chat')
        return answer(code!.greet(client.name))
      },
      stream: async function* () {},
    })
    const router = createRouter({ providers: [provider], routes: { once: fallback(['kit/m'], { retries: 0 }) } })
    expect(loads).toBe(0)
    const failure = await router.chat({ model: 'once', messages }).catch((caught: unknown) => caught)
    expect(JSON.stringify(failure)).toContain('missing_dependency')
    expect(steps).toEqual(['load 1'])
    expect((await router.chat({ model: 'kit/m', messages })).choices[0]!.message.content).toBe('hello ready-client')
    expect((await router.chat({ model: 'kit/m', messages })).choices[0]!.message.content).toBe('hello ready-client')
    expect(steps).toEqual(['load 1', 'load 2', 'chat', 'chat'])
  })

  it('runs validate at createRouter', () => {
    const provider = defineProvider({
      id: 'kit',
      validate: () => {
        throw new ConfigurationError('kit: baseURL must be https')
      },
      chat: async () => answer(''),
      stream: async function* () {},
    })
    expect(() => createRouter({ providers: [provider] })).toThrow('kit: baseURL must be https')
  })

  it('maps failures: its own mapError first, then the shape classifier, with the key masked', async () => {
    const provider = defineProvider({
      id: 'kit',
      settings: { apiKey: 'kit-secret-key-0123', models: ['special', 'plain'] },
      mapError: (raw) => ((raw as { special?: boolean }).special ? new InvalidRequestError('mapped by the adapter') : undefined),
      chat: async (request) => {
        if (request.model === 'special') throw { special: true }
        throw Object.assign(new Error('quota for kit-secret-key-0123'), { status: 429, headers: { 'retry-after': '2' } })
      },
      stream: async function* () {},
    })
    const router = createRouter({ providers: [provider], routes: { once: fallback(['kit/plain'], { retries: 0 }) } })
    await expect(router.chat({ model: 'kit/special', messages })).rejects.toThrow('mapped by the adapter')
    const last = await router.chat({ model: 'once', messages }).catch((caught: unknown) => caught)
    expect(last).toBeInstanceOf(RateLimitError)
    expect(last).toMatchObject({ retryAfterMs: 2000, provider: 'kit', model: 'plain' })
    expect((last as Error).message).not.toContain('kit-secret-key-0123')
  })

  it('adds `extend` fields to the adapter', () => {
    const calls: string[] = []
    const provider = defineProvider({ id: 'kit', extend: { calls }, chat: async () => answer(''), stream: async function* () {} })
    expect(provider.calls).toBe(calls)
  })
})
