import OpenAI from 'openai'
import { afterEach, describe, expect, it, vi } from 'vitest'

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('examples/serverless-route.ts', () => {
  it('is a plain (Request) => Response handler the official client can use', async () => {
    // Offline: without keys the example routes to its echo model only.
    vi.stubEnv('OPENAI_API_KEY', '')
    vi.stubEnv('ANTHROPIC_API_KEY', '')
    const { POST } = await import('../../examples/serverless-route.js')
    const client = new OpenAI({ apiKey: 'unused', baseURL: 'https://my.app/api/v1', fetch: (input, init) => POST(new Request(input, init)), maxRetries: 0 })
    const completion = await client.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'ping' }] })
    expect(completion.choices[0]!.message.content).toBe('You said: "ping"')
    const malformed = await POST(new Request('https://my.app/api/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }))
    expect(malformed.status).toBe(400)
  })
})
