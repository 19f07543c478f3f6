import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { createRouter, openai, type ChatChunk } from '../../../src/index.js'
import { holidayMessages } from '../../helpers/chat-fixtures.js'
import { useMswServer } from '../../helpers/msw.js'
import { openAIBaseURL, testApiKey } from '../../helpers/openai-handlers.js'
import { recordedChunks, recordedJson, sseResponse } from '../../helpers/recordings.js'
import { openAISchemaErrors } from '../../facades/openai-schemas.js'

const server = useMswServer()
const recordedText = recordedJson('openai', 'openai-text')
const recordedStream = recordedChunks('openai', 'openai-text')
const messages = holidayMessages

// gpt-4.1-nano in the catalog: input 0.10, cache read 0.025, output 0.40 USD per million tokens.
const nanoInput = 0.1
const nanoOutput = 0.4

function router() {
  return createRouter({ providers: [openai({ apiKey: testApiKey })], routes: { nano: 'openai/gpt-4.1-nano' } })
}

describe('openai adapter replaying recorded traffic', () => {
  it('returns the recorded non-streamed completion: text, usage, finish reason and cost', async () => {
    let sentStream: unknown
    server.use(
      http.post(`${openAIBaseURL}/chat/completions`, async ({ request }) => {
        sentStream = ((await request.json()) as { stream?: unknown }).stream
        expect(request.headers.get('authorization')).toBe(`Bearer ${testApiKey}`)
        return HttpResponse.json(recordedText)
      }),
    )
    const result = await router().chat({ model: 'nano', messages })

    expect(sentStream).toBe(false)
    expect(openAISchemaErrors('CreateChatCompletionResponse', result)).toEqual([])
    expect(result.object).toBe('chat.completion')
    expect(result.model).toBe('openai/gpt-4.1-nano')
    expect(result.choices).toHaveLength(1)
    expect(result.choices[0]!.message.content).toBe(recordedText.choices[0].message.content)
    expect(result.choices[0]!.message.refusal).toBeNull()
    expect(result.choices[0]!.finish_reason).toBe('stop')
    expect(result.tokens).toMatchObject({
      inputTokens: 16,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 363,
      reasoningTokens: 0,
    })
    expect(result.usage).toMatchObject({
      prompt_tokens: 16,
      completion_tokens: 363,
      total_tokens: 379,
    })
    // 16 × 0.10 / 1e6 = 0.0000016 input; 363 × 0.40 / 1e6 = 0.0001452 output.
    expect(result.cost.input).toBeCloseTo((16 * nanoInput) / 1e6, 12)
    expect(result.cost.output).toBeCloseTo((363 * nanoOutput) / 1e6, 12)
    expect(result.cost.total).toBeCloseTo(0.0000016 + 0.0001452, 12)
    expect(result.route).toMatchObject({ name: 'nano', provider: 'openai', model: 'gpt-4.1-nano', strategy: 'fallback', cacheHit: false })
    expect(result.route.attempts).toHaveLength(1)
    expect(result.route.attempts[0]!.outcome).toBe('success')
  })

  it('streams the recorded chunks as OpenAI chunks; the last carries usage, cost and route', async () => {
    let sentBody: Record<string, unknown> = {}
    server.use(
      http.post(`${openAIBaseURL}/chat/completions`, async ({ request }) => {
        sentBody = (await request.json()) as Record<string, unknown>
        return sseResponse(recordedStream, { done: true })
      }),
    )
    const chunks: ChatChunk[] = []
    for await (const chunk of router().stream({ model: 'nano', messages })) chunks.push(chunk)

    expect(sentBody.stream).toBe(true)
    expect(sentBody.stream_options).toEqual({ include_usage: true })
    const recordedText = recordedStream.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('')
    expect(recordedText.length).toBeGreaterThan(100)
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(recordedText)
    for (const chunk of chunks) {
      expect(openAISchemaErrors('CreateChatCompletionStreamResponse', chunk)).toEqual([])
      expect(chunk.object).toBe('chat.completion.chunk')
      expect(chunk.model).toBe('openai/gpt-4.1-nano')
      expect(typeof chunk.id).toBe('string')
      expect(chunk.id).toBe(chunks[0]!.id)
      expect(typeof chunk.created).toBe('number')
    }
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant')
    const finishChunks = chunks.filter((chunk) => chunk.choices[0]?.finish_reason)
    expect(finishChunks.map((chunk) => chunk.choices[0]!.finish_reason)).toEqual(['stop'])

    const last = chunks.at(-1)!
    expect(last.choices).toEqual([])
    expect(last.tokens).toMatchObject({ inputTokens: 16, outputTokens: 300 })
    expect(last.usage).toMatchObject({ prompt_tokens: 16, completion_tokens: 300, total_tokens: 316 })
    // 16 × 0.10 / 1e6 + 300 × 0.40 / 1e6 = 0.0000016 + 0.00012
    expect(last.cost!.total).toBeCloseTo(0.0000016 + 0.00012, 12)
    expect(last.route).toMatchObject({ name: 'nano', provider: 'openai', model: 'gpt-4.1-nano', strategy: 'fallback' })
    expect(last.route!.timeToFirstTokenMs).toBeGreaterThanOrEqual(0)
    expect(last.route!.attempts[0]!.timeToFirstTokenMs).toBe(last.route!.timeToFirstTokenMs)
    expect(last.route!.attempts[0]!.outcome).toBe('success')
    // Every chunk but the last is a plain OpenAI chunk, without our extensions.
    for (const chunk of chunks.slice(0, -1)) expect(chunk.cost).toBeUndefined()
  })

  it('gives the same assembled result through finalResult()', async () => {
    server.use(http.post(`${openAIBaseURL}/chat/completions`, () => sseResponse(recordedStream, { done: true })))
    const result = await router().stream({ model: 'nano', messages }).finalResult()
    expect(result.choices[0]!.message.content).toBe(recordedStream.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join(''))
    expect(result.choices[0]!.finish_reason).toBe('stop')
    expect(result.usage.completion_tokens).toBe(300)
    expect(result.route.timeToFirstTokenMs).toBeGreaterThanOrEqual(0)
  })
})
