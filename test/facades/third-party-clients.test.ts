import { createAnthropic } from '@ai-sdk/anthropic'
import { generateText, streamText } from 'ai'
import { describe, expect, it } from 'vitest'
import { anthropic as anthropicProvider, createRouter, mockProvider } from '../../src/index.js'
import { useMswServer } from '../helpers/msw.js'
import { recordedChunks } from '../helpers/recordings.js'
import { anthropicSse, serveMessages, testApiKey } from '../providers/anthropic/anthropic-handlers.js'

function router() {
  const provider = mockProvider({ id: 'mock', models: { chat: { text: 'Hello there', usage: { inputTokens: 12, outputTokens: 3 } } } })
  return createRouter({ providers: [provider], routes: { main: 'mock/chat' } })
}

describe('third-party clients over router.fetch', () => {
  it("the Vercel AI SDK's Anthropic provider accepts a non-streamed Anthropic-dialect answer", async () => {
    const target = router()
    const anthropic = createAnthropic({ apiKey: 'unused', baseURL: 'http://switchyard.local/v1', fetch: target.fetch })
    const result = await generateText({ model: anthropic('main'), prompt: 'Hi', maxRetries: 0 })
    expect(result.text).toBe('Hello there')
    expect(result.usage.inputTokens).toBe(12)
    expect(result.usage.outputTokens).toBe(3)
  })

  it("the Vercel AI SDK's Anthropic provider reads a streamed Anthropic-dialect answer", async () => {
    const target = router()
    const anthropic = createAnthropic({ apiKey: 'unused', baseURL: 'http://switchyard.local/v1', fetch: target.fetch })
    const result = streamText({ model: anthropic('main'), prompt: 'Hi', maxRetries: 0 })
    expect(await result.text).toBe('Hello there')
    expect((await result.usage).outputTokens).toBe(3)
  })
})

describe('Anthropic-dialect streams report the input counts in message_start', () => {
  const server = useMswServer()

  it('forwards the recorded message_start input counts when Anthropic serves the call (LangChain reads them there)', async () => {
    const recorded = recordedChunks('anthropic', 'anthropic-text')
    const recordedStart = recorded.find((event) => event.type === 'message_start').message.usage
    serveMessages(server, () => anthropicSse(recorded))
    const target = createRouter({ providers: [anthropicProvider({ apiKey: testApiKey })] })
    const response = await target.fetch('http://switchyard.local/v1/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'Hi' }] }),
    })
    const events = (await response.text()).split('\n\n').filter(Boolean).map((event) => JSON.parse(event.split('\n')[1]!.slice('data: '.length)))
    const start = events.find((event) => event.type === 'message_start')
    expect(recordedStart.input_tokens).toBeGreaterThan(0)
    expect(start.message.usage).toMatchObject({
      input_tokens: recordedStart.input_tokens,
      cache_read_input_tokens: recordedStart.cache_read_input_tokens,
      cache_creation_input_tokens: recordedStart.cache_creation_input_tokens,
    })
    const delta = events.find((event) => event.type === 'message_delta')
    expect(delta.usage.input_tokens).toBe(recordedStart.input_tokens)
  })
})
