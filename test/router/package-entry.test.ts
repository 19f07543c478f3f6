import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  AuthenticationError,
  createRouter,
  fallback,
  mockProvider,
  RateLimitError,
  StreamInterruptedError,
  type ChatChunk,
} from '../../src/index.js'

const root = fileURLToPath(new URL('../../', import.meta.url))

describe('importing the package', () => {
  it('loads no provider SDK (checked in a fresh process)', () => {
    const output = execFileSync(process.execPath, ['--import', 'tsx', 'test/helpers/import-probe.mjs', 'src/index.ts'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    })
    const report = JSON.parse(output.trim().split('\n').at(-1)!) as { exports: number; afterEntry: string[]; afterOpenAI: number }
    expect(report.exports).toBeGreaterThan(10)
    expect(report.afterEntry).toEqual([])
    // The probe does see an SDK once something loads it.
    expect(report.afterOpenAI).toBeGreaterThan(0)
  }, 30_000)
})

// What a user's own test suite does with mockProvider: no network, no keys, scripted behaviour.
describe('mockProvider in a user test', () => {
  const messages = [{ role: 'user' as const, content: 'What is 2 + 2?' }]

  it('scripts answers in sequence, records every call and the request it got', async () => {
    const llm = mockProvider({ id: 'llm', models: { small: [{ text: 'four' }, { text: '4' }] } })
    const router = createRouter({ providers: [llm] })
    const first = await router.chat({ model: 'llm/small', messages, temperature: 0 })
    const second = await router.chat({ model: 'llm/small', messages })
    const third = await router.chat({ model: 'llm/small', messages })
    expect([first, second, third].map((result) => result.choices[0]!.message.content)).toEqual(['four', '4', '4'])
    expect(llm.calls).toHaveLength(3)
    expect(llm.calls[0]!.kind).toBe('chat')
    expect(llm.calls[0]!.request).toMatchObject({ model: 'small', temperature: 0, messages })
  })

  it('answers from a function of the request, with tool calls', async () => {
    const llm = mockProvider({
      id: 'llm',
      models: {
        agent: (request) =>
          request.messages.at(-1)!.role === 'tool' ? 'It is sunny.' : { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
      },
    })
    const router = createRouter({ providers: [llm] })
    const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }]
    const first = await router.chat({ model: 'llm/agent', messages, tools })
    const call = first.choices[0]!.message.tool_calls![0]!
    expect(first.choices[0]!.finish_reason).toBe('tool_calls')
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' })
    const second = await router.chat({
      model: 'llm/agent',
      tools,
      messages: [...messages, first.choices[0]!.message, { role: 'tool', tool_call_id: call.id, content: 'sunny' }],
    })
    expect(second.choices[0]!.message.content).toBe('It is sunny.')
  })

  it('scripts typed errors and a stream that breaks mid-way', async () => {
    const llm = mockProvider({
      id: 'llm',
      models: {
        limited: { error: 'rate_limit', retryAfterMs: 1_000 },
        denied: { error: new AuthenticationError('bad key', { status: 401 }) },
        flaky: { text: 'one two three four', error: 'server', failAfterChunks: 2 },
      },
    })
    const router = createRouter({ providers: [llm], routes: { limited: fallback(['llm/limited'], { retries: 0 }) } })
    await expect(router.chat({ model: 'limited', messages })).rejects.toBeInstanceOf(RateLimitError)
    await expect(router.chat({ model: 'llm/denied', messages })).rejects.toBeInstanceOf(AuthenticationError)
    const received: ChatChunk[] = []
    const error = await (async () => {
      for await (const item of router.stream({ model: 'llm/flaky', messages })) received.push(item)
    })().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(StreamInterruptedError)
    expect((error as StreamInterruptedError).partialText).toBe('one two ')
  })

  it('streams a scripted answer with usage and a price', async () => {
    const llm = mockProvider({ id: 'llm', models: { small: { text: 'Hello there, friend', usage: { inputTokens: 10, outputTokens: 4 } } } })
    const router = createRouter({ providers: [llm], prices: { 'llm/small': { input: 1, output: 2 } } })
    const chunks: ChatChunk[] = []
    for await (const item of router.stream({ model: 'llm/small', messages })) chunks.push(item)
    expect(chunks.map((item) => item.choices[0]?.delta.content ?? '').join('')).toBe('Hello there, friend')
    expect(chunks.length).toBeGreaterThan(3)
    // 10 × 1 / 1e6 + 4 × 2 / 1e6 = 0.000018
    expect(chunks.at(-1)!.cost!.total).toBe(0.000018)
  })
})

describe('mockProvider callLog', () => {
  const messages = [{ role: 'user' as const, content: 'Hi' }]

  it("keeps every call by default, none with 'none', the most recent N with a number", async () => {
    const all = mockProvider({ id: 'all', models: { m: 'ok' } })
    const none = mockProvider({ id: 'none', models: { m: 'ok' }, callLog: 'none' })
    const recent = mockProvider({ id: 'recent', models: { m: 'ok' }, callLog: 2 })
    const router = createRouter({ providers: [all, none, recent] })
    for (let index = 0; index < 5; index += 1) {
      for (const id of ['all', 'none', 'recent']) await router.chat({ model: `${id}/m`, messages: [{ role: 'user', content: `call ${index}` }] })
    }
    expect(all.calls).toHaveLength(5)
    expect(none.calls).toEqual([])
    expect(recent.calls.map((call) => (call as { request: { messages: Array<{ content: string }> } }).request.messages[0]!.content)).toEqual(['call 3', 'call 4'])
    // Answers still number themselves by call.
    const answer = await router.chat({ model: 'none/m', messages })
    expect(answer.id).toBeDefined()
  })

  it('rejects a callLog that is not all, none or a positive whole number', () => {
    expect(() => mockProvider({ models: { m: 'ok' }, callLog: 0 })).toThrow(/callLog must be/)
    expect(() => mockProvider({ models: { m: 'ok' }, callLog: 'some' as never })).toThrow(/callLog must be/)
  })
})
