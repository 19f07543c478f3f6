import { describe, expect, it } from 'vitest'
import {
  ConfigurationError,
  cacheFeature,
  createRouter,
  memoryStore,
  mockProvider,
  openaiEndpoint,
  reportFeature,
  reportPageFeature,
  spendControlFeature,
  telemetryFeature,
  anthropicEndpoint,
} from '../../src/core.js'
import { createRouter as createFullRouter } from '../../src/index.js'

const messages = [{ role: 'user' as const, content: 'hi' }]
const json = { 'content-type': 'application/json' }

// Per million tokens: every answer costs something, so spend and the report have figures to show.
const prices = { 'mock/m': { input: 1_000, output: 2_000 } }

function provider() {
  return mockProvider({ id: 'mock', models: { m: 'core answer' } })
}

describe('createRouter from switchyard/core: only the features it is given', () => {
  it('routes and prices calls with no feature at all', async () => {
    const llm = provider()
    const router = createRouter({ providers: [llm], prices, routes: { default: 'mock/m' } })
    const result = await router.chat({ model: 'default', messages })
    expect(result.choices[0]!.message.content).toBe('core answer')
    expect(result.cost.total).toBeGreaterThan(0)
    expect(llm.calls).toHaveLength(1)
  })

  it.each([
    ['budgets', { budgets: [{ name: 'daily', window: 'day', limitUsd: 1 }] }, 'spendControlFeature'],
    ['limits', { limits: [{ provider: 'mock', rpm: 10 }] }, 'spendControlFeature'],
    ['cache', { cache: true }, 'cacheFeature'],
    ['store', { store: memoryStore() }, 'cacheFeature, spendControlFeature or sharedStateFeature'],
    ['telemetry', { telemetry: true }, 'telemetryFeature'],
    ['reportPage', { reportPage: { path: '/report', token: 'a-token-of-enough-length' } }, 'reportPageFeature'],
  ] as const)('refuses `%s` without the feature that reads it, naming that feature', (option, extra, feature) => {
    const attempt = () => createRouter({ providers: [provider()], ...(extra as object) })
    expect(attempt).toThrow(ConfigurationError)
    expect(attempt).toThrow(`\`${option}\` needs ${feature}`)
  })

  it('accepts an option turned off (`cache: false`, `telemetry: false`) without its feature', () => {
    expect(() => createRouter({ providers: [provider()], cache: false, telemetry: false })).not.toThrow()
  })

  it('refuses a `features` value that is not a list of features', () => {
    expect(() => createRouter({ providers: [provider()], features: [{ name: 'x' } as never] })).toThrow(ConfigurationError)
    expect(() => createRouter({ providers: [provider()], features: 'all' as never })).toThrow(ConfigurationError)
  })

  it('says which feature a method needs instead of answering without it', async () => {
    const llm = provider()
    const router = createRouter({ providers: [llm] })
    expect(() => router.report()).toThrow('router.report() needs reportFeature')
    await expect(router.spend()).rejects.toThrow('router.spend() needs spendControlFeature')
    await expect(router.budgets()).rejects.toThrow(ConfigurationError)
    // A cost cap nothing would enforce is refused before any provider is called.
    await expect(router.chat({ model: 'mock/m', messages }, { maxCostUsd: 0.01 })).rejects.toThrow('`maxCostUsd` call option needs spendControlFeature')
    const streamed = (async () => {
      for await (const _chunk of router.stream({ model: 'mock/m', messages }, { maxCostUsd: 0.01 })) break
    })()
    await expect(streamed).rejects.toThrow(ConfigurationError)
    expect(llm.calls).toHaveLength(0)
    expect(() => router.fetch).toThrow('router.fetch needs an API surface')
  })

  it('runs the features it is given: the cache answers the second call, spend and the report see the first', async () => {
    const llm = provider()
    const router = createRouter({ providers: [llm], cache: true, prices, budgets: [{ name: 'daily', window: 'day', limitUsd: 100 }], features: [cacheFeature, spendControlFeature, reportFeature] })
    await router.chat({ model: 'mock/m', messages })
    const second = await router.chat({ model: 'mock/m', messages })
    expect(second.route.cacheHit).toBe(true)
    expect(llm.calls).toHaveLength(1)
    const spend = await router.spend({ window: 'day' })
    expect(spend.totalUsd).toBeGreaterThan(0)
    expect(router.report().calls.total).toBe(2)
    await router.close()
  })

  it('serves through router.fetch only the surfaces it is given, and says what it serves', async () => {
    const router = createRouter({ providers: [provider()], routes: { default: 'mock/m' }, features: [openaiEndpoint] })
    const chat = await router.fetch('/v1/chat/completions', { method: 'POST', headers: json, body: JSON.stringify({ model: 'default', messages }) })
    expect(chat.status).toBe(200)
    expect(((await chat.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content).toBe('core answer')
    expect((await router.fetch('/v1/models')).status).toBe(200)
    for (const path of ['/v1/messages', '/v1/responses']) {
      const refused = await router.fetch(path, { method: 'POST', headers: json, body: JSON.stringify({ model: 'default', messages, max_tokens: 10, input: 'hi' }) })
      expect(refused.status).toBe(404)
      expect(JSON.stringify(await refused.json())).toContain('Served: POST …/v1/chat/completions, POST …/v1/embeddings, GET …/v1/models.')
    }
    const both = createRouter({ providers: [provider()], routes: { default: 'mock/m' }, features: [openaiEndpoint, anthropicEndpoint] })
    const message = await both.fetch('/v1/messages', { method: 'POST', headers: json, body: JSON.stringify({ model: 'default', messages, max_tokens: 10 }) })
    expect(message.status).toBe(200)
    expect(((await message.json()) as { content: Array<{ text: string }> }).content[0]!.text).toBe('core answer')
  })

  it('serves the report page with reportPageFeature, and takes telemetry with telemetryFeature', async () => {
    const token = 'a-token-of-enough-length'
    const router = createRouter({ providers: [provider()], telemetry: false, reportPage: { path: '/report', token }, features: [reportPageFeature, telemetryFeature, openaiEndpoint] })
    const page = await router.fetch('/report?format=json', { headers: { authorization: `Bearer ${token}` } })
    expect(page.status).toBe(200)
    expect(((await page.json()) as { calls: { total: number } }).calls.total).toBe(0)
  })

  it('leaves createRouter from switchyard as it was: every feature, with the facades', async () => {
    const llm = provider()
    const router = createFullRouter({ providers: [llm], cache: true, prices, budgets: [{ name: 'daily', window: 'day', limitUsd: 100 }] })
    await router.openai.chat.completions.create({ model: 'mock/m', messages })
    const cached = await router.openai.chat.completions.create({ model: 'mock/m', messages })
    expect(cached.route.cacheHit).toBe(true)
    await router.anthropic.messages.create({ model: 'mock/m', messages, max_tokens: 10 })
    expect(llm.calls).toHaveLength(2)
    expect((await router.spend({ window: 'day' })).totalUsd).toBeGreaterThan(0)
    expect(router.report().calls.total).toBe(3)
    expect((await router.fetch('/v1/responses', { method: 'POST', headers: json, body: JSON.stringify({ model: 'mock/m', input: 'hi' }) })).status).toBe(200)
  })
})
