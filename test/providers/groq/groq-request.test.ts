import { describe, expect, it } from 'vitest'
import { createRouter, groq, type ChatChunk } from '../../../src/index.js'
import { answerResponseFormat, clockTool, clockToolOnOpenAIWire, imageQuestion, imageQuestionOnOpenAIWire, samplingParameters, weatherAndTimeConversation, weatherAndTimeConversationOnOpenAIWire, weatherTool, weatherToolOnOpenAIWire } from '../../helpers/chat-fixtures.js'
import { useMswServer } from '../../helpers/msw.js'
import { serveChatCompletions } from '../../helpers/openai-handlers.js'
import { sseResponse } from '../../helpers/recordings.js'
import { groqBaseURL, groqChunk, groqCompletionResponse, groqTestKey } from './groq-handlers.js'

const server = useMswServer()

function router() {
  return createRouter({ providers: [groq({ apiKey: groqTestKey })] })
}

describe('groq adapter: request translation (the body groq-sdk sends)', () => {
  it('sends system, multi-turn with tool results, parallel tools, a no-argument tool, max_tokens and sampling parameters', async () => {
    const captured = serveChatCompletions(server, () => groqCompletionResponse({ content: 'Sunny, 14:05.' }), groqBaseURL)
    const messages = weatherAndTimeConversation({ reasoning: 'Both tools.' })
    await router().chat({
      model: 'groq/llama-3.3-70b-versatile',
      messages,
      tools: [weatherTool, clockTool],
      tool_choice: 'required',
      parallel_tool_calls: true,
      ...samplingParameters,
      max_completion_tokens: 256,
      seed: 7,
    })

    expect(captured[0]!.url).toBe('https://api.groq.com/openai/v1/chat/completions')
    expect(captured[0]!.body).toEqual({
      model: 'llama-3.3-70b-versatile',
      stream: false,
      messages: weatherAndTimeConversationOnOpenAIWire('14:05'),
      tools: [weatherToolOnOpenAIWire, clockToolOnOpenAIWire],
      tool_choice: 'required',
      parallel_tool_calls: true,
      ...samplingParameters,
      max_tokens: 256,
      seed: 7,
    })
  })

  it('sends images as image_url parts and json_schema output as response_format', async () => {
    const captured = serveChatCompletions(server, () => groqCompletionResponse({ content: '{"answer":42}' }), groqBaseURL)
    await router().chat({
      model: 'groq/meta-llama/llama-4-scout-17b-16e-instruct',
      messages: [imageQuestion],
      response_format: answerResponseFormat,
    })
    const body = captured[0]!.body
    expect(body.model).toBe('meta-llama/llama-4-scout-17b-16e-instruct')
    expect(body.messages).toEqual([imageQuestionOnOpenAIWire])
    expect(body.response_format).toEqual(answerResponseFormat)
  })

  it('passes provider_options.groq (reasoning_format) and reasoning_effort, and returns the reasoning', async () => {
    const captured = serveChatCompletions(server, () => groqCompletionResponse({ content: '4', reasoning: '2 + 2 = 4.' }, { model: 'openai/gpt-oss-120b' }), groqBaseURL)
    const result = await router().chat({
      model: 'groq/openai/gpt-oss-120b',
      messages: [{ role: 'user', content: '2 + 2?' }],
      reasoning_effort: 'low',
      provider_options: { groq: { reasoning_format: 'parsed' }, mistral: { safe_prompt: true } },
    })
    expect(captured[0]!.body).toMatchObject({ model: 'openai/gpt-oss-120b', reasoning_effort: 'low', reasoning_format: 'parsed' })
    expect(captured[0]!.body.safe_prompt).toBeUndefined()
    expect(result.choices[0]!.message.reasoning).toBe('2 + 2 = 4.')
    expect(result.choices[0]!.message.content).toBe('4')
  })

  it('streams reasoning deltas from a reasoning model', async () => {
    serveChatCompletions(
      server,
      () =>
        sseResponse(
          [
            groqChunk({ role: 'assistant', reasoning: '2 + 2 ' }),
            groqChunk({ reasoning: '= 4.' }),
            groqChunk({ content: '4' }),
            groqChunk({}, 'stop', { x_groq: { id: 'req_1', usage: { prompt_tokens: 20, completion_tokens: 12, total_tokens: 32 } } }),
          ],
          { done: true },
        ),
      groqBaseURL,
    )
    const stream = router().stream({ model: 'groq/openai/gpt-oss-120b', messages: [{ role: 'user', content: '2 + 2?' }], provider_options: { groq: { reasoning_format: 'parsed' } } })
    const chunks: ChatChunk[] = []
    for await (const chunk of stream) chunks.push(chunk)
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.reasoning ?? '').join('')).toBe('2 + 2 = 4.')
    const result = await stream.finalResult()
    expect(result.choices[0]!.message).toMatchObject({ reasoning: '2 + 2 = 4.', content: '4' })
    expect(result.usage).toMatchObject({ prompt_tokens: 20, completion_tokens: 12 })
  })

  it('prices Groq cached tokens at the catalog cache-read price, streamed and not', async () => {
    const usage = { prompt_tokens: 2000, completion_tokens: 300, total_tokens: 2300, prompt_tokens_details: { cached_tokens: 1536 } }
    // openai/gpt-oss-120b on Groq in the catalog: input 0.15, cache read 0.075, output 0.60 USD per million tokens.
    // 464 × 0.15 / 1e6 = 0.0000696; 1536 × 0.075 / 1e6 = 0.0001152; 300 × 0.60 / 1e6 = 0.00018.
    const expected = { input: 0.0000696, cacheRead: 0.0001152, output: 0.00018, total: 0.0003648 }

    serveChatCompletions(server, () => groqCompletionResponse({ content: 'ok' }, { model: 'openai/gpt-oss-120b', usage }), groqBaseURL)
    const result = await router().chat({ model: 'groq/openai/gpt-oss-120b', messages: [{ role: 'user', content: 'hi' }] })
    expect(result.tokens).toMatchObject({ inputTokens: 464, cacheReadTokens: 1536, outputTokens: 300 })
    expect(result.usage).toMatchObject({ prompt_tokens: 2000 })
    for (const [part, value] of Object.entries(expected)) expect(result.cost[part as keyof typeof expected]).toBeCloseTo(value, 12)

    serveChatCompletions(
      server,
      () => sseResponse([groqChunk({ role: 'assistant', content: 'ok' }), groqChunk({}, 'stop', { x_groq: { id: 'req_2', usage } })], { done: true }),
      groqBaseURL,
    )
    const streamed = await router()
      .stream({ model: 'groq/openai/gpt-oss-120b', messages: [{ role: 'user', content: 'hi' }] })
      .finalResult()
    expect(streamed.tokens).toMatchObject({ inputTokens: 464, cacheReadTokens: 1536, outputTokens: 300 })
    expect(streamed.cost.total).toBeCloseTo(expected.total, 12)
  })
})
