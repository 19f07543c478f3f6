import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { anthropic, createRouter, fallback, openai, ProviderError, RateLimitError } from '../../src/index.js'
import { useMswServer } from '../helpers/msw.js'
import { recordedChunks, recordedJson, sseResponse } from '../helpers/recordings.js'

// The real `openai` and `@anthropic-ai/sdk` clients, each failing or answering through msw.
const server = useMswServer()
const openAIUrl = 'https://api.openai.com/v1/chat/completions'
const anthropicUrl = 'https://api.anthropic.com/v1/messages'

const anthropicText = recordedJson('anthropic', 'anthropic-text')
const anthropicChunks = recordedChunks('anthropic', 'anthropic-text')
const openAIText = recordedJson('openai', 'openai-text')
const openAIChunks = recordedChunks('openai', 'openai-text')

const joinedText = (blocks: Array<{ type: string; text?: string }>) =>
  blocks.filter((block) => block.type === 'text').map((block) => block.text).join('')
const anthropicExpected = joinedText(anthropicText.content)
const anthropicStreamExpected = anthropicChunks
  .filter((payload) => payload.type === 'content_block_delta' && payload.delta.type === 'text_delta')
  .map((payload) => payload.delta.text)
  .join('')
const openAIStreamExpected = openAIChunks.map((payload) => payload.choices[0]?.delta?.content ?? '').join('')

function makeRouter() {
  return createRouter({
    providers: [openai({ apiKey: 'sk-test-openai-0000000000' }), anthropic({ apiKey: 'anthropic-test-key-000000' })],
    routes: {
      openaiFirst: fallback(['openai/gpt-4.1-nano', 'anthropic/claude-haiku-4-5'], { retries: 0 }),
      anthropicFirst: fallback(['anthropic/claude-haiku-4-5', 'openai/gpt-4.1-nano'], { retries: 0 }),
    },
  })
}

const messages = [{ role: 'user' as const, content: 'Hello' }]

describe('fallback across providers through their real SDKs', () => {
  it('a 503 from OpenAI falls back to Anthropic; both attempts are recorded', async () => {
    let openAICalls = 0
    server.use(
      http.post(openAIUrl, () => {
        openAICalls += 1
        return HttpResponse.json({ error: { message: 'unavailable', type: 'server_error' } }, { status: 503 })
      }),
      http.post(anthropicUrl, () => HttpResponse.json(anthropicText)),
    )
    const result = await makeRouter().chat({ model: 'openaiFirst', messages })
    expect(openAICalls).toBe(1)
    expect(result.choices[0]!.message.content).toBe(anthropicExpected)
    expect(result.route.provider).toBe('anthropic')
    expect(result.route.attempts).toHaveLength(2)
    expect(result.route.attempts[0]!.error).toBeInstanceOf(ProviderError)
    expect(result.route.attempts[0]!.error!.status).toBe(503)
    expect(result.tokens.inputTokens).toBe(anthropicText.usage.input_tokens)
  })

  it('an Anthropic 429 before the first token falls back to an OpenAI stream invisibly', async () => {
    server.use(
      http.post(anthropicUrl, () =>
        HttpResponse.json({ type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } }, { status: 429, headers: { 'retry-after': '30' } }),
      ),
      http.post(openAIUrl, () => sseResponse(openAIChunks, { done: true })),
    )
    const stream = makeRouter().stream({ model: 'anthropicFirst', messages })
    let text = ''
    let last
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? ''
      last = chunk
    }
    expect(text).toBe(openAIStreamExpected)
    expect(last!.route!.provider).toBe('openai')
    const [failed, served] = last!.route!.attempts
    expect(failed!.error).toBeInstanceOf(RateLimitError)
    expect(failed!.error!.retryAfterMs).toBe(30_000)
    expect(served!.outcome).toBe('success')
    expect(last!.usage!.completion_tokens).toBe(openAIChunks.at(-1).usage.completion_tokens)
  })

  it('an OpenAI stream that breaks before its first token falls back to an Anthropic stream', async () => {
    server.use(
      // Only the role chunk arrives, then the connection breaks: no token has been produced yet.
      http.post(openAIUrl, () => sseResponse(openAIChunks, { breakAfter: 1 })),
      http.post(anthropicUrl, () => sseResponse(anthropicChunks, { namedEvents: true })),
    )
    const result = await makeRouter().stream({ model: 'openaiFirst', messages }).finalResult()
    expect(result.choices[0]!.message.content).toBe(anthropicStreamExpected)
    expect(result.route.attempts.map((attempt) => `${attempt.provider}:${attempt.outcome}`)).toEqual(['openai:error', 'anthropic:success'])
    expect(result.route.timeToFirstTokenMs).toBeGreaterThan(0)
  })
})
