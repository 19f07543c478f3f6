import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import OpenAI from 'openai'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createRouter, mockProvider } from '../../src/index.js'

let server: Server | undefined

afterEach(async () => {
  server?.closeAllConnections()
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined))
  server = undefined
  vi.unstubAllEnvs()
})

describe('examples/node-server.ts', () => {
  it('serves the official OpenAI client over local HTTP and survives a client leaving mid-stream', async () => {
    // The example's own router reads keys at import; without them it has no real provider.
    vi.stubEnv('OPENAI_API_KEY', '')
    vi.stubEnv('ANTHROPIC_API_KEY', '')
    const { nodeHandler } = await import('../../examples/node-server.js')
    const provider = mockProvider({ id: 'mock', models: { slow: { text: 'one two three four five six seven eight nine ten', chunkDelayMs: 20 }, quick: 'Hi there' } })
    const router = createRouter({ providers: [provider] })
    server = createServer(nodeHandler(router))
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    const client = new OpenAI({ apiKey: 'unused', baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 })

    const completion = await client.chat.completions.create({ model: 'mock/quick', messages: [{ role: 'user', content: 'Hi' }] })
    expect(completion.choices[0]!.message.content).toBe('Hi there')

    const stream = await client.chat.completions.create({ model: 'mock/slow', messages: [{ role: 'user', content: 'Count' }], stream: true })
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) break // leaving the loop aborts the HTTP request
    }
    const streamCall = provider.calls.find((call) => call.model === 'slow')!
    await vi.waitFor(() => expect(streamCall.signal.aborted).toBe(true))

    // Still serving: the aborted body ended inside the handler, not as a crash.
    const after = await client.chat.completions.create({ model: 'mock/quick', messages: [{ role: 'user', content: 'Still there?' }] })
    expect(after.choices[0]!.message.content).toBe('Hi there')
  })
})
