import { Mistral } from '@mistralai/mistralai'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ConfigurationError, createRouter, mistral } from '../../../src/index.js'
import { useMswServer } from '../../helpers/msw.js'
import { mistralCompletionResponse, mistralTestKey, serveMistral } from './mistral-handlers.js'

const server = useMswServer()
const messages = [{ role: 'user' as const, content: 'hi' }]

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('mistral(): configuration', () => {
  it('fails at createRouter() without a key, naming MISTRAL_API_KEY', () => {
    vi.stubEnv('MISTRAL_API_KEY', '')
    expect(() => createRouter({ providers: [mistral()] })).toThrow(ConfigurationError)
    expect(() => createRouter({ providers: [mistral()] })).toThrow(/MISTRAL_API_KEY/)
  })

  it('reads the key from MISTRAL_API_KEY', async () => {
    vi.stubEnv('MISTRAL_API_KEY', 'key-from-the-environment')
    const captured = serveMistral(server, 'chat/completions', () => mistralCompletionResponse({ content: 'ok' }))
    await createRouter({ providers: [mistral()] }).chat({ model: 'mistral/mistral-small-latest', messages })
    expect(captured[0]!.headers.get('authorization')).toBe('Bearer key-from-the-environment')
  })

  it('uses a ready-made SDK client, and needs no key then', async () => {
    vi.stubEnv('MISTRAL_API_KEY', '')
    const client = new Mistral({ apiKey: 'client-own-key', serverURL: 'https://eu.mistral.example' })
    const captured = serveMistral(server, 'chat/completions', () => mistralCompletionResponse({ content: 'from the client' }), 'https://eu.mistral.example/v1')
    const result = await createRouter({ providers: [mistral({ client })] }).chat({ model: 'mistral/mistral-small-latest', messages })
    expect(result.choices[0]!.message.content).toBe('from the client')
    expect(captured[0]!.headers.get('authorization')).toBe('Bearer client-own-key')
  })

  it('declares Magistral models as reasoning models', () => {
    const adapter = mistral({ apiKey: mistralTestKey })
    expect(adapter.capabilities?.('magistral-medium-latest').reasoning).toBe(true)
    expect(adapter.capabilities?.('mistral-small-latest').reasoning).toBe(false)
    expect(adapter.id).toBe('mistral')
    expect(adapter.catalogId).toBe('mistral')
  })
})
