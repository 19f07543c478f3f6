import { afterEach, describe, expect, it, vi } from 'vitest'
import { ConfigurationError, createRouter, fallback, InvalidRequestError, mockProvider, openai, type ChatRequest, type Router, type RouterConfig } from '../../src/index.js'

afterEach(() => vi.unstubAllEnvs())

const messages = [{ role: 'user' as const, content: 'hi' }]

function configurationError(config: unknown): ConfigurationError {
  try {
    createRouter(config as RouterConfig)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError)
    return error as ConfigurationError
  }
  throw new Error('createRouter accepted a bad configuration')
}

describe('createRouter rejects bad configuration at once, saying what to fix', () => {
  it('an unknown provider in a route', () => {
    const error = configurationError({
      providers: [openai({ apiKey: 'sk-test-0123456789' })],
      routes: { main: fallback(['anthropic/claude-sonnet-4-5', 'openai/gpt-4o']) },
    })
    expect(error.message).toContain('routes.main')
    expect(error.message).toContain('unknown provider "anthropic"')
    expect(error.message).toContain('Registered providers: openai')
    expect(error.message).toContain('createRouter({ providers })')
  })

  it('an unknown model of a catalogued provider', () => {
    const error = configurationError({ providers: [openai({ apiKey: 'sk-test-0123456789' })], routes: { main: 'openai/gpt-4o-typo' } })
    expect(error.message).toContain('unknown model "openai/gpt-4o-typo"')
    expect(error.message).toContain("openai({ models: ['gpt-4o-typo'] })")
    expect(error.message).toContain('prices')
  })

  it('a model a provider with a declared model list does not serve', () => {
    const error = configurationError({ providers: [mockProvider({ id: 'mock', models: { small: 'ok' } })], routes: { main: ['mock/large'] } })
    expect(error.message).toContain('does not serve "large"')
    expect(error.message).toContain('Its models: small')
  })

  it('a route entry that is not a provider/model id', () => {
    const error = configurationError({ providers: [mockProvider({ id: 'mock', models: { small: 'ok' } })], routes: { main: 'small' } })
    expect(error.message).toContain('"small" is not a "provider/model" id')
  })

  it('a missing OpenAI key names OPENAI_API_KEY', () => {
    vi.stubEnv('OPENAI_API_KEY', '')
    const error = configurationError({ providers: [openai()] })
    expect(error.message).toContain('OPENAI_API_KEY')
    expect(error.message).toContain('openai({ apiKey })')
    expect(error.provider).toBe('openai')
  })

  it('the key is read from OPENAI_API_KEY when set', () => {
    vi.stubEnv('OPENAI_API_KEY', 'sk-from-env-0123456789')
    expect(() => createRouter({ providers: [openai()] })).not.toThrow()
  })

  it.each([
    ['a negative price', { 'openai/gpt-4o': { input: -1, output: 10 } }, 'prices["openai/gpt-4o"].input must be a non-negative number'],
    ['a price given as text', { 'openai/gpt-4o': { input: '2.5', output: 10 } }, '(got "2.5")'],
    ['a missing output price', { 'openai/gpt-4o': { input: 2.5 } }, 'prices["openai/gpt-4o"].output'],
    ['a key without provider', { 'gpt-4o': { input: 2.5, output: 10 } }, 'key must be a "provider/model" id, e.g. "openai/gpt-4o"'],
    ['an unknown field', { 'openai/gpt-4o': { input: 2.5, output: 10, cached: 1 } }, 'unknown field(s) cached'],
    ['a malformed tier', { 'openai/gpt-4o': { input: { base: 1, tiers: [{ above: 'lots', price: 2 }] }, output: 10 } }, '.input'],
    ['a bad cacheRead', { 'openai/gpt-4o': { input: 2.5, output: 10, cacheRead: Number.NaN } }, '.cacheRead'],
    ['not an object', [1, 2], 'must be an object keyed by "provider/model"'],
  ])('malformed prices: %s', (_title, prices, expected) => {
    const error = configurationError({ providers: [openai({ apiKey: 'sk-test-0123456789' })], prices })
    expect(error.message).toContain(expected)
  })

  it.each([
    ['an empty object', {}],
    ['a string', 'openai'],
    ['the factory itself, not called', openai],
    ['null', null],
  ])('a non-adapter in providers: %s', (_title, provider) => {
    const error = configurationError({ providers: [mockProvider({ id: 'mock', models: { m: 'ok' } }), provider] })
    expect(error.message).toContain('providers[1] is not a provider adapter')
    expect(error.message).toContain('openai()')
  })

  it('no configuration object', () => {
    expect(configurationError(undefined).message).toContain('createRouter({ providers: [...] })')
  })

  it('no providers at all', () => {
    expect(configurationError({ providers: [] }).message).toContain('at least one provider')
  })

  it('two providers with one id', () => {
    const error = configurationError({ providers: [mockProvider({ id: 'same', models: { m: 'a' } }), mockProvider({ id: 'same', models: { m: 'b' } })] })
    expect(error.message).toContain('two providers have the id "same"')
  })
})

describe('chat() and stream() reject malformed requests before any provider is called', () => {
  const cases: Array<[string, unknown, string]> = [
    ['no model', { messages }, '`model` is required'],
    ['an empty model chain', { model: [], messages }, 'empty array'],
    ['no messages', { model: 'mock/m' }, '`messages` must be a non-empty array'],
    ['empty messages', { model: 'mock/m', messages: [] }, '`messages` must be a non-empty array'],
    ['an unknown role', { model: 'mock/m', messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role'],
    ['a tool message without tool_call_id', { model: 'mock/m', messages: [{ role: 'tool', content: 'x' }] }, 'tool_call_id'],
    ['an image in a system message', { model: 'mock/m', messages: [{ role: 'system', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] }] }, 'messages[0].content[0].type'],
    ['a bad image URL', { model: 'mock/m', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://x' } }] }] }, 'image_url.url'],
    ['temperature out of range', { model: 'mock/m', messages, temperature: 3 }, '`temperature` must be a number from 0 to 2'],
    ['a fractional max_tokens', { model: 'mock/m', messages, max_tokens: 10.5 }, '`max_tokens` must be an integer'],
    ['a bad tool name', { model: 'mock/m', messages, tools: [{ type: 'function', function: { name: 'get weather' } }] }, 'tools[0].function.name'],
    ['tool_choice naming a missing tool', { model: 'mock/m', messages, tools: [{ type: 'function', function: { name: 'a' } }], tool_choice: { type: 'function', function: { name: 'b' } } }, 'names the tool "b"'],
    ['a json_schema without name', { model: 'mock/m', messages, response_format: { type: 'json_schema', json_schema: { schema: {} } } }, 'needs a `name`'],
    ['a bad stop', { model: 'mock/m', messages, stop: 5 }, '`stop` must be a string'],
    ['tool_choice "required" without tools', { model: 'mock/m', messages, tool_choice: 'required' }, '"required" but no `tools`'],
    ['tool_choice naming a tool without tools', { model: 'mock/m', messages, tool_choice: { type: 'function', function: { name: 'a' } } }, 'names the tool "a"'],
    ['a provider_options entry that is not an object', { model: 'mock/m', messages, provider_options: { openai: 'fast' } }, '`provider_options.openai` must be an object'],
    ['a malformed cache_control marker', { model: 'mock/m', messages: [{ role: 'user', content: [{ type: 'text', text: 'x', cache_control: { type: 'forever' } }] }] }, 'messages[0].content[0].cache_control'],
    ['a cache_control ttl providers do not know', { model: 'mock/m', messages: [{ role: 'system', content: [{ type: 'text', text: 'x', cache_control: { type: 'ephemeral', ttl: '2h' } }] }] }, 'optional ttl of "5m" or "1h"'],
    ['a malformed cache_control on a tool', { model: 'mock/m', messages, tools: [{ type: 'function', function: { name: 'a' }, cache_control: 'yes' }] }, 'tools[0].cache_control'],
    ['an unknown provider', { model: 'nobody/m', messages }, 'Unknown model "nobody/m"'],
    ['an unknown route name', { model: 'fast', messages }, 'Unknown model "fast"'],
  ]

  for (const [title, request, expected] of cases) {
    it(`chat: ${title}`, async () => {
      const mock = mockProvider({ id: 'mock', models: { m: 'ok' } })
      const router: Router = createRouter({ providers: [mock], routes: { main: 'mock/m' } })
      const error = await router.chat(request as ChatRequest).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(InvalidRequestError)
      expect((error as InvalidRequestError).message).toContain(expected)
      expect(mock.calls.length).toBe(0)
    })

    it(`stream: ${title}`, async () => {
      const mock = mockProvider({ id: 'mock', models: { m: 'ok' } })
      const router: Router = createRouter({ providers: [mock], routes: { main: 'mock/m' } })
      // Bad input throws when stream() is called, before anything is iterated.
      expect(() => router.stream(request as ChatRequest)).toThrow(InvalidRequestError)
      expect(() => router.stream(request as ChatRequest)).toThrow(expected)
      expect(mock.calls.length).toBe(0)
    })
  }
})

describe('deeply nested input is invalid input, not a provider failure', () => {
  function nested(depth: number): Record<string, unknown> {
    let schema: Record<string, unknown> = { type: 'string' }
    for (let level = 0; level < depth; level++) schema = { type: 'object', properties: { inner: schema } }
    return schema
  }

  it('a tool schema ~2,500 levels deep is rejected before any provider is called, through router.chat and router.fetch', async () => {
    const provider = mockProvider({ id: 'mock', models: { a: 'ok', b: 'ok' } })
    const router = createRouter({ providers: [provider], routes: { both: ['mock/a', 'mock/b'] } })
    const tools = [{ type: 'function' as const, function: { name: 'deep', parameters: nested(2_500) } }]
    const error = await router.chat({ model: 'both', messages, tools }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(InvalidRequestError)
    expect((error as Error).message).toMatch(/tools\[0\]\.function\.parameters is nested more than 64 levels deep/)
    const response = await router.fetch('http://switchyard.local/v1/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // Written out by hand: JSON.stringify itself recurses, and would overflow on this depth.
      body: `{"model":"both","max_tokens":10,"messages":${JSON.stringify(messages)},"tools":[{"name":"deep","input_schema":${'{"type":"object","properties":{"inner":'.repeat(2_500)}{"type":"string"}${'}}'.repeat(2_500)}}]}`,
    })
    expect(response.status).toBe(400)
    const schemaError = await router.chat({ model: 'both', messages, response_format: { type: 'json_schema', json_schema: { name: 'x', schema: nested(100) } } }).catch((caught: unknown) => caught)
    expect(schemaError).toBeInstanceOf(InvalidRequestError)
    const optionsError = await router.chat({ model: 'both', messages, provider_options: { mock: nested(100) } }).catch((caught: unknown) => caught)
    expect(optionsError).toBeInstanceOf(InvalidRequestError)
    expect(provider.calls).toHaveLength(0)
  })

  it('an ordinary nested schema still passes', async () => {
    const provider = mockProvider({ id: 'mock', models: { a: 'ok' } })
    const router = createRouter({ providers: [provider] })
    await router.chat({ model: 'mock/a', messages, tools: [{ type: 'function', function: { name: 'fine', parameters: nested(30) } }] })
    expect(provider.calls).toHaveLength(1)
  })
})
