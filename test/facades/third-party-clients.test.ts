import { createAnthropic } from '@ai-sdk/anthropic'
import { generateText, streamText } from 'ai'
import { describe, expect, it } from 'vitest'
import { createRouter, mockProvider } from '../../src/index.js'

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
