import { describe, expect, it } from 'vitest'
import { createRouter, mistral, type FunctionTool } from '../../../src/index.js'
import { answerSchema, clockTool, clockToolOnOpenAIWire, imageQuestion, imageQuestionOnOpenAIWire, samplingParameters, weatherAndTimeConversation, weatherAndTimeQuestion, weatherTool, weatherToolOnOpenAIWire } from '../../helpers/chat-fixtures.js'
import { useMswServer } from '../../helpers/msw.js'
import { sseResponse } from '../../helpers/recordings.js'
import { mistralChunk, mistralCompletionResponse, mistralTestKey, serveMistral } from './mistral-handlers.js'

const server = useMswServer()

function router(settings: Parameters<typeof mistral>[0] = {}) {
  return createRouter({ providers: [mistral({ apiKey: mistralTestKey, ...settings })] })
}

/** The shared weatherTool, made strict: Mistral sends `strict` on. */
const strictWeatherTool: FunctionTool = { ...weatherTool, function: { ...weatherTool.function, strict: true } }

describe('mistral adapter: request translation (the body the SDK sends)', () => {
  it('sends system, multi-turn with tool results (toolCallId and name), parallel tools, a no-argument tool and sampling parameters', async () => {
    const captured = serveMistral(server, 'chat/completions', () => mistralCompletionResponse({ content: 'Sunny, 14:05.' }))
    const messages = weatherAndTimeConversation({ callIds: ['k9Xz3QaB1', 'b7Tq2LmN8'], timeResult: [{ type: 'text', text: '14:05' }] })
    const result = await router().chat({
      model: 'mistral/mistral-large-latest',
      messages,
      tools: [strictWeatherTool, clockTool],
      tool_choice: 'auto',
      parallel_tool_calls: true,
      ...samplingParameters,
      max_tokens: 256,
      seed: 7,
      presence_penalty: 0.1,
      frequency_penalty: 0.2,
    })

    expect(result.choices[0]!.message.content).toBe('Sunny, 14:05.')
    expect(captured).toHaveLength(1)
    expect(captured[0]!.url).toBe('https://api.mistral.ai/v1/chat/completions')
    expect(captured[0]!.body).toEqual({
      model: 'mistral-large-latest',
      stream: false,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: weatherAndTimeQuestion },
        {
          role: 'assistant',
          content: null,
          prefix: false,
          tool_calls: [
            { id: 'k9Xz3QaB1', type: 'function', index: 0, function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'b7Tq2LmN8', type: 'function', index: 1, function: { name: 'get_time', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'k9Xz3QaB1', name: 'get_weather', content: 'sunny, 21°C' },
        { role: 'tool', tool_call_id: 'b7Tq2LmN8', name: 'get_time', content: '14:05' },
      ],
      tools: [
        { type: 'function', function: { ...weatherToolOnOpenAIWire.function, strict: true } },
        clockToolOnOpenAIWire,
      ],
      tool_choice: 'auto',
      parallel_tool_calls: true,
      ...samplingParameters,
      max_tokens: 256,
      random_seed: 7,
      presence_penalty: 0.1,
      frequency_penalty: 0.2,
    })
  })

  it('rewrites tool call ids from other providers to the nine letters or digits Mistral accepts, keeping calls and results paired', async () => {
    const captured = serveMistral(server, 'chat/completions', () => mistralCompletionResponse({ content: 'done' }))
    const foreignIds = ['call_Xk2mQ9vLp3RtY8wZ', 'toolu_01A09q90qw90lq917835lq9', 'gSIMJiOkT']
    await router().chat({
      model: 'mistral/mistral-small-latest',
      messages: [
        { role: 'user', content: 'Three things, please.' },
        { role: 'assistant', content: null, tool_calls: foreignIds.map((id) => ({ id, type: 'function' as const, function: { name: 'get_time', arguments: '{}' } })) },
        ...foreignIds.map((id) => ({ role: 'tool' as const, tool_call_id: id, content: 'ok' })),
      ],
      tools: [clockTool],
    })
    const [, assistant, ...results] = captured[0]!.body.messages
    const sentIds: string[] = assistant.tool_calls.map((call: { id: string }) => call.id)
    for (const id of sentIds) expect(id).toMatch(/^[A-Za-z0-9]{9}$/)
    expect(new Set(sentIds).size).toBe(3)
    // An id that is already valid (a Mistral one) is sent unchanged.
    expect(sentIds[2]).toBe('gSIMJiOkT')
    expect(results.map((result: { tool_call_id: string }) => result.tool_call_id)).toEqual(sentIds)
  })

  it.each([
    ['auto', 'auto'],
    ['none', 'none'],
    ['required', 'any'],
  ] as const)('maps tool_choice %s to %s', async (choice, wire) => {
    const captured = serveMistral(server, 'chat/completions', () => mistralCompletionResponse({ content: 'ok' }))
    await router().chat({ model: 'mistral/mistral-small-latest', messages: [{ role: 'user', content: 'hi' }], tools: [clockTool], tool_choice: choice })
    expect(captured[0]!.body.tool_choice).toBe(wire)
  })

  it('maps a named tool_choice to a function choice', async () => {
    const captured = serveMistral(server, 'chat/completions', () => mistralCompletionResponse({ content: 'ok' }))
    await router().chat({
      model: 'mistral/mistral-small-latest',
      messages: [{ role: 'user', content: 'hi' }],
      tools: [strictWeatherTool, clockTool],
      tool_choice: { type: 'function', function: { name: 'get_time' } },
    })
    expect(captured[0]!.body.tool_choice).toEqual({ type: 'function', function: { name: 'get_time' } })
  })

  it('sends image parts as image_url content chunks (https and data URLs, detail kept)', async () => {
    const captured = serveMistral(server, 'chat/completions', () => mistralCompletionResponse({ content: 'A cat.' }))
    await router().chat({
      model: 'mistral/pixtral-large-latest',
      messages: [imageQuestion],
    })
    expect(captured[0]!.body.messages).toEqual([imageQuestionOnOpenAIWire])
  })

  it('sends json_schema output as response_format.json_schema with name, schema and strict', async () => {
    const captured = serveMistral(server, 'chat/completions', () => mistralCompletionResponse({ content: '{"city":"Paris"}' }))
    const result = await router().chat({
      model: 'mistral/mistral-small-latest',
      messages: [{ role: 'user', content: 'A city, as JSON.' }],
      response_format: { type: 'json_schema', json_schema: { name: 'city', description: 'One city', schema: answerSchema, strict: true } },
    })
    expect(captured[0]!.body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'city', description: 'One city', schema: answerSchema, strict: true } })
    expect(JSON.parse(result.choices[0]!.message.content!)).toEqual({ city: 'Paris' })
  })

  it('sends json_object output as response_format json_object', async () => {
    const captured = serveMistral(server, 'chat/completions', () => mistralCompletionResponse({ content: '{}' }))
    await router().chat({ model: 'mistral/mistral-small-latest', messages: [{ role: 'user', content: 'JSON please' }], response_format: { type: 'json_object' } })
    expect(captured[0]!.body.response_format).toEqual({ type: 'json_object' })
  })

  it('merges provider_options.mistral, accepting the API’s snake_case names, and sends max_completion_tokens as max_tokens', async () => {
    const captured = serveMistral(server, 'chat/completions', () => mistralCompletionResponse({ content: 'ok' }))
    await router().chat({
      model: 'mistral/mistral-small-latest',
      messages: [{ role: 'developer', content: 'Answer in French.' }, { role: 'user', content: 'hi' }],
      max_completion_tokens: 64,
      provider_options: { mistral: { safe_prompt: true, promptMode: 'reasoning' }, openai: { store: true } },
    })
    const body = captured[0]!.body
    expect(body.safe_prompt).toBe(true)
    expect(body.prompt_mode).toBe('reasoning')
    expect(body.max_tokens).toBe(64)
    expect(body.store).toBeUndefined()
    expect(body.messages[0]).toEqual({ role: 'system', content: 'Answer in French.' })
  })

  it('streams with the same translation, custom headers and a base URL ending in /v1', async () => {
    const baseURL = 'https://mistral.example.com/v1'
    const captured = serveMistral(server, 'chat/completions', () => sseResponse([mistralChunk({ role: 'assistant', content: 'ok' }, 'stop', { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 })], { done: true }), baseURL)
    const chunks = []
    for await (const chunk of router({ baseURL, headers: { 'x-team': 'search' } }).stream({ model: 'mistral/mistral-small-latest', messages: [{ role: 'user', content: 'hi' }], temperature: 0 })) chunks.push(chunk)
    expect(captured[0]!.url).toBe('https://mistral.example.com/v1/chat/completions')
    expect(captured[0]!.headers.get('x-team')).toBe('search')
    expect(captured[0]!.body).toMatchObject({ stream: true, temperature: 0, model: 'mistral-small-latest' })
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('ok')
  })
})
