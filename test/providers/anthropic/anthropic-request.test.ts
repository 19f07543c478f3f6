import { describe, expect, it } from 'vitest'
import { HttpResponse } from 'msw'
import {
  anthropic,
  createRouter,
  fallback,
  mockProvider,
  UnsupportedFeatureError,
  type ChatMessage,
  type ChatRequest,
  type FunctionTool,
} from '../../../src/index.js'
import { answerSchema, pngBase64, pngDataUrl } from '../../helpers/chat-fixtures.js'
import { useMswServer } from '../../helpers/msw.js'
import { messageResponse, serveMessages, testApiKey } from './anthropic-handlers.js'

const server = useMswServer()

function router() {
  return createRouter({ providers: [anthropic({ apiKey: testApiKey, models: ['claude-haiku-4-5', 'claude-sonnet-4-0', 'claude-3-5-haiku-latest'] })] })
}

/** Sends the request through the router and returns the body the Messages API received. */
async function sentBody(request: Omit<ChatRequest, 'model'> & { model?: string }): Promise<any> {
  const requests = serveMessages(server, () => HttpResponse.json(messageResponse([{ type: 'text', text: 'ok' }], 'end_turn')))
  await router().chat({ model: 'anthropic/claude-haiku-4-5', ...request })
  expect(requests).toHaveLength(1)
  return requests[0]!.body
}

const weather: FunctionTool = {
  type: 'function',
  function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
}
const clock: FunctionTool = { type: 'function', function: { name: 'get_time', description: 'The current time' } }

describe('anthropic request: prompt and parameters', () => {
  it('sends system and developer messages as system blocks and maps the sampling parameters', async () => {
    const body = await sentBody({
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
        { role: 'user', content: 'Hi' },
      ],
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 321,
      stop: 'END',
      user: 'user-42',
    })
    expect(body).toEqual({
      model: 'claude-haiku-4-5',
      system: [
        { type: 'text', text: 'You are terse.' },
        { type: 'text', text: 'Answer in French.' },
      ],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 321,
      stop_sequences: ['END'],
      metadata: { user_id: 'user-42' },
      stream: false,
    })
  })

  it('defaults max_tokens to 4096, accepts max_completion_tokens, and sends a stop list as is', async () => {
    expect((await sentBody({ messages: [{ role: 'user', content: 'Hi' }] })).max_tokens).toBe(4096)
    const body = await sentBody({ messages: [{ role: 'user', content: 'Hi' }], max_completion_tokens: 77, stop: ['a', 'b'] })
    expect(body.max_tokens).toBe(77)
    expect(body.stop_sequences).toEqual(['a', 'b'])
  })

  it('adds provider_options.anthropic last, one level deep, without replacing what the router set', async () => {
    const body = await sentBody({
      messages: [{ role: 'user', content: 'Hi' }],
      user: 'u1',
      max_tokens: 100,
      provider_options: { anthropic: { top_k: 5, metadata: { extra: true } }, openai: { seed: 1 } },
    })
    expect(body.top_k).toBe(5)
    expect(body.max_tokens).toBe(100)
    expect(body.metadata).toEqual({ user_id: 'u1', extra: true })
    expect(body.seed).toBeUndefined()
  })
})

describe('anthropic request: tools', () => {
  it('translates a multi-turn conversation with parallel tool calls and their results', async () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Weather in Paris, and the time?' },
      {
        role: 'assistant',
        content: '',
        tool_calls: [
          { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'toolu_2', type: 'function', function: { name: 'get_time', arguments: '' } },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_1', content: 'Sunny, 21°C' },
      { role: 'tool', tool_call_id: 'toolu_2', content: [{ type: 'text', text: '14:05' }] },
      { role: 'assistant', content: 'Sunny and 21°C; it is 14:05.' },
      { role: 'user', content: 'Thanks' },
    ]
    const body = await sentBody({ messages, tools: [weather, clock] })
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris, and the time?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_2', name: 'get_time', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: 'Sunny, 21°C' },
          { type: 'tool_result', tool_use_id: 'toolu_2', content: [{ type: 'text', text: '14:05' }] },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: 'Sunny and 21°C; it is 14:05.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
    ])
    expect(body.tools).toEqual([
      { name: 'get_weather', description: 'Weather for a city', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
      { name: 'get_time', description: 'The current time', input_schema: { type: 'object', properties: {} } },
    ])
    expect(body.tool_choice).toBeUndefined()
  })

  it('maps tool_choice and parallel_tool_calls: false', async () => {
    const base = { messages: [{ role: 'user' as const, content: 'Hi' }], tools: [weather] }
    expect((await sentBody({ ...base, tool_choice: 'auto' })).tool_choice).toEqual({ type: 'auto' })
    expect((await sentBody({ ...base, tool_choice: 'required' })).tool_choice).toEqual({ type: 'any' })
    expect((await sentBody({ ...base, tool_choice: 'none' })).tool_choice).toEqual({ type: 'none' })
    expect((await sentBody({ ...base, tool_choice: { type: 'function', function: { name: 'get_weather' } } })).tool_choice).toEqual({ type: 'tool', name: 'get_weather' })
    expect((await sentBody({ ...base, parallel_tool_calls: false })).tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true })
    expect((await sentBody({ ...base, tool_choice: 'required', parallel_tool_calls: false })).tool_choice).toEqual({ type: 'any', disable_parallel_tool_use: true })
  })
})

describe('anthropic request: images and cache_control', () => {
  it('sends data: URLs as base64 sources and https URLs as url sources', async () => {
    const body = await sentBody({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare these.' },
            { type: 'image_url', image_url: { url: pngDataUrl } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'high' } },
          ],
        },
      ],
    })
    expect(body.messages[0].content).toEqual([
      { type: 'text', text: 'Compare these.' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: pngBase64 } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
    ])
  })

  it('keeps cache_control markers on system, text, image, tool-result parts and tools', async () => {
    const ephemeral = { type: 'ephemeral' as const }
    const body = await sentBody({
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Long policy document', cache_control: ephemeral }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Long context', cache_control: { type: 'ephemeral', ttl: '1h' } },
            { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' }, cache_control: ephemeral },
          ],
        },
        { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_9', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] },
        { role: 'tool', tool_call_id: 'toolu_9', content: [{ type: 'text', text: 'Snow', cache_control: ephemeral }] },
      ],
      tools: [{ ...weather, cache_control: ephemeral }],
    })
    expect(body.system).toEqual([{ type: 'text', text: 'Long policy document', cache_control: { type: 'ephemeral' } }])
    expect(body.messages[0].content).toEqual([
      { type: 'text', text: 'Long context', cache_control: { type: 'ephemeral', ttl: '1h' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' }, cache_control: { type: 'ephemeral' } },
    ])
    expect(body.messages[2].content).toEqual([
      { type: 'tool_result', tool_use_id: 'toolu_9', content: [{ type: 'text', text: 'Snow', cache_control: { type: 'ephemeral' } }] },
    ])
    expect(body.tools[0].cache_control).toEqual({ type: 'ephemeral' })
  })
})

describe('anthropic request: JSON output', () => {

  it('uses native structured output (output_config.format) on models that have it', async () => {
    const body = await sentBody({
      messages: [{ role: 'user', content: '2+2?' }],
      response_format: { type: 'json_schema', json_schema: { name: 'sum', schema: answerSchema, strict: true } },
    })
    expect(body.output_config).toEqual({ format: { type: 'json_schema', schema: answerSchema } })
    expect(body.tools).toBeUndefined()
    expect(body.tool_choice).toBeUndefined()
  })

  it('emulates json_object with a forced tool taking any object', async () => {
    const body = await sentBody({ messages: [{ role: 'user', content: 'JSON please' }], response_format: { type: 'json_object' } })
    expect(body.tools).toEqual([{ name: 'json', description: 'Respond with the answer as this JSON object.', input_schema: { type: 'object' } }])
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'json' })
    expect(body.output_config).toBeUndefined()
  })

  it('emulates json_schema with a forced tool on models without native structured output', async () => {
    const body = await sentBody({
      model: 'anthropic/claude-sonnet-4-0',
      messages: [{ role: 'user', content: '2+2?' }],
      response_format: { type: 'json_schema', json_schema: { name: 'sum', description: 'The sum', schema: answerSchema } },
    })
    expect(body.tools).toEqual([{ name: 'json', description: 'The sum', input_schema: answerSchema }])
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'json' })
  })
})

describe('anthropic request: thinking', () => {
  it('maps reasoning_effort to a thinking budget and makes room for it in max_tokens', async () => {
    const body = await sentBody({ messages: [{ role: 'user', content: 'Think' }], reasoning_effort: 'medium' })
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 8192 })
    expect(body.max_tokens).toBe(8192 + 4096)
    const capped = await sentBody({ messages: [{ role: 'user', content: 'Think' }], reasoning_effort: 'high', max_tokens: 6000 })
    expect(capped.thinking).toEqual({ type: 'enabled', budget_tokens: 3000 })
    expect(capped.max_tokens).toBe(6000)
  })

  it('sends earlier reasoning back as signed thinking blocks before the text and tool calls', async () => {
    const body = await sentBody({
      messages: [
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: null,
          reasoning: 'The user wants the weather.',
          provider_data: { anthropic: { thinking_blocks: [{ type: 'thinking', signature: 'sig-abc' }, { type: 'redacted_thinking', data: 'opaque' }] } },
          tool_calls: [{ id: 'toolu_5', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } }],
        },
        { role: 'tool', tool_call_id: 'toolu_5', content: 'Hot' },
        // Reasoning from another provider has no Anthropic signature and is not sent as thinking.
        { role: 'assistant', content: 'It is hot.', reasoning: 'unsigned thoughts' },
        { role: 'user', content: 'Thanks' },
      ],
      tools: [weather],
    })
    expect(body.messages[1].content).toEqual([
      { type: 'thinking', thinking: 'The user wants the weather.', signature: 'sig-abc' },
      { type: 'redacted_thinking', data: 'opaque' },
      { type: 'tool_use', id: 'toolu_5', name: 'get_weather', input: { city: 'Rome' } },
    ])
    expect(body.messages[3].content).toEqual([{ type: 'text', text: 'It is hot.' }])
  })
})

describe('anthropic request: what cannot be translated', () => {
  const adapter = anthropic({ apiKey: testApiKey })
  const signal = new AbortController().signal
  const cases: Array<[string, Partial<ChatRequest> & { model?: string }]> = [
    ['seed', { seed: 7 }],
    ['presence_penalty', { presence_penalty: 0.5 }],
    ['frequency_penalty', { frequency_penalty: 0.5 }],
    ['temperature', { temperature: 1.5 }],
    ['system_message_position', { messages: [{ role: 'user', content: 'Hi' }, { role: 'system', content: 'late' }] }],
    ['image_url', { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://example.com/a.png' } }] }] }],
    ['image_url', { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/svg+xml;base64,PHN2Zz4=' } }] }] }],
    ['reasoning_effort', { model: 'claude-3-5-haiku-latest', reasoning_effort: 'low' }],
    ['reasoning_effort', { reasoning_effort: 'low', max_tokens: 1000 }],
    ['response_format', { response_format: { type: 'json_object' }, tools: [weather] }],
    ['response_format', { response_format: { type: 'json_object' }, reasoning_effort: 'low' }],
    ['tool_calls', { messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '[1,2]' } }] }] }],
  ]

  it.each(cases)('rejects %s with UnsupportedFeatureError before any request', async (feature, overrides) => {
    const requests = serveMessages(server, () => HttpResponse.json(messageResponse([], 'end_turn')))
    const request = { model: 'claude-haiku-4-5', messages: [{ role: 'user' as const, content: 'Hi' }], ...overrides }
    const error = await adapter.chat(request, { signal }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(UnsupportedFeatureError)
    expect((error as UnsupportedFeatureError).feature).toBe(feature)
    expect((error as UnsupportedFeatureError).provider).toBe('anthropic')
    expect((error as Error).message).toMatch(/^anthropic\//)
    expect(requests).toHaveLength(0)
    // Once the adapter's code is loaded (its first call), the router's synchronous pre-check rejects it too.
    expect(() => adapter.checkSupport!(request)).toThrow(UnsupportedFeatureError)
  })

  it('lets a fallback chain move past Anthropic for an unsupported feature', async () => {
    const requests = serveMessages(server, () => HttpResponse.json(messageResponse([], 'end_turn')))
    const chained = createRouter({
      providers: [anthropic({ apiKey: testApiKey }), mockProvider({ id: 'backup', models: { m: 'from backup' } })],
      routes: { main: fallback(['anthropic/claude-haiku-4-5', 'backup/m'], { retries: 0 }) },
    })
    const result = await chained.chat({ model: 'main', messages: [{ role: 'user', content: 'Hi' }], seed: 1 })
    expect(result.choices[0]!.message.content).toBe('from backup')
    expect(result.route.attempts[0]!.error).toBeInstanceOf(UnsupportedFeatureError)
    expect(requests).toHaveLength(0)
  })
})
