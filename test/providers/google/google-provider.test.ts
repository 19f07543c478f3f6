import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { ConfigurationError, createRouter, google } from '../../../src/index.js'
import { useMswServer } from '../../helpers/msw.js'
import { geminiResponse, serveGemini, testGoogleKey } from './google-handlers.js'

const server = useMswServer()
const flash = 'gemini-2.5-flash'
const messages = [{ role: 'user' as const, content: 'Hello' }]

describe('google(): settings', () => {
  const keyVariables = ['GEMINI_API_KEY', 'GOOGLE_API_KEY'] as const
  function withEnv(values: Partial<Record<(typeof keyVariables)[number], string>>, run: () => Promise<void> | void) {
    const saved = keyVariables.map((name) => [name, process.env[name]] as const)
    for (const name of keyVariables) delete process.env[name]
    Object.assign(process.env, values)
    const restore = () => {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
    }
    return Promise.resolve().then(run).finally(restore)
  }

  it('fails at createRouter without a key, naming both variables it reads', async () => {
    await withEnv({}, () => {
      expect(() => createRouter({ providers: [google()] })).toThrow(ConfigurationError)
      expect(() => createRouter({ providers: [google()] })).toThrow(/GEMINI_API_KEY or GOOGLE_API_KEY.*google\(\{ apiKey \}\)/)
    })
  })

  it('reads GEMINI_API_KEY first, then GOOGLE_API_KEY', async () => {
    const captured = serveGemini(server, flash, 'generateContent', () => HttpResponse.json(geminiResponse([{ text: 'ok' }])))
    await withEnv({ GEMINI_API_KEY: 'AIza-gemini-variable-key-000000', GOOGLE_API_KEY: 'AIza-google-variable-key-000000' }, async () => {
      await createRouter({ providers: [google()] }).chat({ model: `google/${flash}`, messages })
    })
    await withEnv({ GOOGLE_API_KEY: 'AIza-google-variable-key-000000' }, async () => {
      await createRouter({ providers: [google()] }).chat({ model: `google/${flash}`, messages })
    })
    expect(captured.map((request) => request.headers.get('x-goog-api-key'))).toEqual(['AIza-gemini-variable-key-000000', 'AIza-google-variable-key-000000'])
  })

  it('sends to baseURL with extra headers', async () => {
    const captured: Array<{ url: string; headers: Headers }> = []
    server.use(
      http.post('https://gemini-proxy.example.com/v1beta/models/gemini-2.5-flash\\:generateContent', ({ request }) => {
        captured.push({ url: request.url, headers: request.headers })
        return HttpResponse.json(geminiResponse([{ text: 'via proxy' }]))
      }),
    )
    const proxied = createRouter({
      providers: [google({ apiKey: testGoogleKey, baseURL: 'https://gemini-proxy.example.com', headers: { 'x-team': 'search' } })],
    })
    const result = await proxied.chat({ model: `google/${flash}`, messages })
    expect(result.choices[0]!.message.content).toBe('via proxy')
    expect(captured[0]!.headers.get('x-team')).toBe('search')
  })

  it('uses a ready client as given, with no key needed, and declares the models it serves', async () => {
    const calls: any[] = []
    const client = {
      models: {
        async generateContent(parameters: any) {
          calls.push(parameters)
          return geminiResponse([{ text: 'from my client' }])
        },
        async generateContentStream() {
          throw new Error('unused')
        },
        async embedContent() {
          throw new Error('unused')
        },
      },
    }
    await withEnv({}, async () => {
      const ready = createRouter({ providers: [google({ client, models: [flash] })], routes: { main: `google/${flash}` } })
      const result = await ready.chat({ model: 'main', messages })
      expect(result.choices[0]!.message.content).toBe('from my client')
    })
    expect(calls[0]).toMatchObject({ model: flash, contents: [{ role: 'user', parts: [{ text: 'Hello' }] }], config: { automaticFunctionCalling: { disable: true } } })
    expect(calls[0].config.abortSignal).toBeInstanceOf(AbortSignal)
    expect(() => createRouter({ providers: [google({ client, models: [flash] })], routes: { main: 'google/gemini-9' } })).toThrow(ConfigurationError)
  })

  it('declares capabilities for strategies: reasoning from Gemini 2.5 on, no tools for embedding models', () => {
    const adapter = google({ apiKey: testGoogleKey })
    expect(adapter.id).toBe('google')
    expect(adapter.catalogId).toBe('google')
    expect(adapter.capabilities!('gemini-2.0-flash')).toMatchObject({ tools: true, vision: true, json_schema: true, reasoning: false })
    expect(adapter.capabilities!('gemini-2.5-flash').reasoning).toBe(true)
    expect(adapter.capabilities!('gemini-3-pro-preview').reasoning).toBe(true)
    expect(adapter.capabilities!('gemini-flash-latest').reasoning).toBe(true)
    expect(adapter.capabilities!('gemini-embedding-001')).toMatchObject({ tools: false, vision: false })
  })
})
