import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import OpenAI from 'openai'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createRouter, mockProvider } from '../../src/index.js'

let server: Server | undefined
const token = 'test-token-0123456789abcdef'

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
    server = createServer(nodeHandler(router, token))
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    const client = new OpenAI({ apiKey: token, baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 })

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

  it('answers 401 to a client without the token or with a wrong one, and calls no provider', async () => {
    vi.stubEnv('OPENAI_API_KEY', '')
    vi.stubEnv('ANTHROPIC_API_KEY', '')
    const { nodeHandler } = await import('../../examples/node-server.js')
    const provider = mockProvider({ id: 'mock', models: { quick: 'Hi there' } })
    server = createServer(nodeHandler(createRouter({ providers: [provider] }), token))
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    const url = `http://127.0.0.1:${port}/v1/chat/completions`
    const body = JSON.stringify({ model: 'mock/quick', messages: [{ role: 'user', content: 'Hi' }] })
    const json = { 'content-type': 'application/json' }
    expect((await fetch(url, { method: 'POST', headers: json, body })).status).toBe(401)
    expect((await fetch(url, { method: 'POST', headers: { ...json, authorization: 'Bearer wrong-token-0123456789' }, body })).status).toBe(401)
    expect(provider.calls).toEqual([])
    // Anthropic's SDK sends its key as x-api-key.
    expect((await fetch(url, { method: 'POST', headers: { ...json, 'x-api-key': token }, body })).status).toBe(200)
    expect(() => nodeHandler(createRouter({ providers: [provider] }), 'short')).toThrow(/at least 16/)
  })

  it('the runnable example listens on 127.0.0.1 only and refuses a request without its token', async () => {
    const { spawn } = await import('node:child_process')
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/node-server.ts'], {
      env: { ...process.env, PORT: '0', SWITCHYARD_TOKEN: token, OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let output = ''
        child.stdout.on('data', (data: Buffer) => {
          output += data.toString()
          const match = /listening on (http:\/\/[^\s]+)/.exec(output)
          if (match) resolve(match[1]!)
        })
        child.on('exit', (code) => reject(new Error(`the example exited (${code}): ${output}`)))
      })
      const url = new URL(line)
      expect(url.hostname).toBe('127.0.0.1')
      const body = JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'Hi' }] })
      const refused = await fetch(`${line}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
      expect(refused.status).toBe(401)
      const served = await fetch(`${line}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body })
      expect(served.status).toBe(200)
    } finally {
      child.kill()
    }
  }, 30_000)
})
