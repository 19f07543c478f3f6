import OpenAI from 'openai'
import { describe, expect, it } from 'vitest'
import { createRouter, fallback, mockProvider, type MockReply, type ModelRequest } from '../../../src/index.js'
import { recordedChunks } from '../../helpers/recordings.js'
import { responsesSchemaErrors } from './responses-schemas.js'

type OpenAIAPIError = InstanceType<typeof OpenAI.APIError>

/** Event types with runs of the same delta event collapsed, to compare an order, not a token count. */
function eventOrder(events: Array<{ type: string }>): string[] {
  const types: string[] = []
  for (const { type } of events) if (!(type.endsWith('.delta') && types.at(-1) === type)) types.push(type)
  return types
}

function setup(models: Record<string, MockReply | string | Array<MockReply | string>> = {}) {
  const provider = mockProvider({
    id: 'mock',
    models: {
      chat: { text: 'Hello from the router', usage: { inputTokens: 10, cacheReadTokens: 4, cacheWriteTokens: 3, outputTokens: 5, reasoningTokens: 2 } },
      ...models,
    },
  })
  const router = createRouter({
    providers: [provider],
    prices: { 'mock/chat': { input: 1, output: 2, cacheRead: 0.5, cacheWrite: 1.25 } },
    routes: { main: fallback(['mock/chat'], { retries: 0 }) },
  })
  const client = new OpenAI({ apiKey: 'unused', baseURL: 'http://switchyard.local/v1', fetch: router.fetch, maxRetries: 0 })
  return { router, provider, client }
}

const weatherTool = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
  strict: true,
}

describe('official openai client → router.fetch: responses.create', () => {
  it('answers a text request with a Response that passes the official schema, with usage, cost and route', async () => {
    const { client, provider } = setup()
    const response = await client.responses.create({ model: 'main', instructions: 'Be brief.', input: 'Hello' })
    expect(responsesSchemaErrors('Response', response)).toEqual([])
    expect(response.output_text).toBe('Hello from the router')
    expect(response.status).toBe('completed')
    expect(response.model).toBe('mock/chat')
    expect(response.output).toHaveLength(1)
    expect(response.output[0]).toMatchObject({ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Hello from the router' }] })
    // Responses' input_tokens counts every input token; cached and cache-written ones are details of it.
    expect(response.usage).toEqual({
      input_tokens: 17,
      input_tokens_details: { cached_tokens: 4, cache_write_tokens: 3 },
      output_tokens: 5,
      output_tokens_details: { reasoning_tokens: 2 },
      total_tokens: 22,
    })
    const extras = response as unknown as { cost: { total: number }; route: { name: string; provider: string } }
    expect(extras.cost.total).toBeCloseTo((10 * 1 + 4 * 0.5 + 3 * 1.25 + 5 * 2) / 1e6, 12)
    expect(extras.route).toMatchObject({ name: 'main', provider: 'mock' })
    expect(provider.calls[0]!.request).toMatchObject({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello' }] })
  })

  it('translates input items, function tools, function_call_output, text.format, reasoning effort and max_output_tokens', async () => {
    const { client, provider } = setup({ tools: { toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }] } })
    const schema = { type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'], additionalProperties: false }
    const response = await client.responses.create({
      model: 'mock/tools',
      input: [
        { role: 'developer', content: 'Use tools.' },
        { role: 'user', content: [{ type: 'input_text', text: 'Weather in Paris?' }, { type: 'input_image', image_url: 'https://example.com/paris.png', detail: 'low' }] },
        { type: 'function_call', call_id: 'call_0', name: 'get_weather', arguments: '{"city":"Rome"}' },
        { type: 'function_call_output', call_id: 'call_0', output: '{"temperature":21}' },
        { role: 'assistant', content: [{ type: 'output_text', text: 'Rome is 21°C.', annotations: [] }] },
        { role: 'user', content: 'And Paris?' },
      ] as OpenAI.Responses.ResponseInput,
      tools: [weatherTool],
      tool_choice: { type: 'function', name: 'get_weather' },
      parallel_tool_calls: false,
      text: { format: { type: 'json_schema', name: 'weather', schema, strict: true } },
      reasoning: { effort: 'low' },
      max_output_tokens: 300,
      temperature: 0.2,
    })
    expect(responsesSchemaErrors('Response', response)).toEqual([])
    expect(response.output).toEqual([
      { type: 'function_call', id: expect.stringMatching(/^fc_/), call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' },
    ])
    const request = provider.calls[0]!.request as ModelRequest
    expect(request.messages).toEqual([
      { role: 'developer', content: 'Use tools.' },
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }, { type: 'image_url', image_url: { url: 'https://example.com/paris.png', detail: 'low' } }] },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } }] },
      { role: 'tool', tool_call_id: 'call_0', content: '{"temperature":21}' },
      { role: 'assistant', content: 'Rome is 21°C.' },
      { role: 'user', content: 'And Paris?' },
    ])
    expect(request.tools).toEqual([{ type: 'function', function: { name: 'get_weather', description: 'Weather for a city', parameters: weatherTool.parameters, strict: true } }])
    expect(request.tool_choice).toEqual({ type: 'function', function: { name: 'get_weather' } })
    expect(request.parallel_tool_calls).toBe(false)
    expect(request.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'weather', schema, strict: true } })
    expect(request.reasoning_effort).toBe('low')
    expect(request.max_tokens).toBe(300)
    expect(request.temperature).toBe(0.2)
  })

  it('reports a max_output_tokens stop as an incomplete response', async () => {
    const { client } = setup({ long: { text: 'cut off', finishReason: 'length' } })
    const response = await client.responses.create({ model: 'mock/long', input: 'Write a lot', max_output_tokens: 16 })
    expect(responsesSchemaErrors('Response', response)).toEqual([])
    expect(response.status).toBe('incomplete')
    expect(response.incomplete_details).toEqual({ reason: 'max_output_tokens' })
  })

  it('returns reasoning as a reasoning item with its summary, and gets it back on the next turn', async () => {
    const { client, provider } = setup({ think: { reasoning: 'Twelve plus seven is nineteen.', text: '19' } })
    const response = await client.responses.create({ model: 'mock/think', input: '12 + 7?' })
    expect(responsesSchemaErrors('Response', response)).toEqual([])
    expect(response.output.map((item) => item.type)).toEqual(['reasoning', 'message'])
    expect(response.output[0]).toMatchObject({ type: 'reasoning', summary: [{ type: 'summary_text', text: 'Twelve plus seven is nineteen.' }] })
    await client.responses.create({ model: 'mock/think', input: [{ role: 'user', content: '12 + 7?' }, ...(response.output as OpenAI.Responses.ResponseInputItem[]), { role: 'user', content: 'Times 3?' }] })
    expect((provider.calls[1]!.request as ModelRequest).messages[1]).toEqual({ role: 'assistant', content: '19', reasoning: 'Twelve plus seven is nineteen.' })
  })

  it('streams text as the real event sequence, in the recorded order, each event valid', async () => {
    const { client } = setup()
    const stream = await client.responses.create({ model: 'main', input: 'Hello', stream: true })
    const events: OpenAI.Responses.ResponseStreamEvent[] = []
    for await (const event of stream) events.push(event)
    for (const event of events) expect(responsesSchemaErrors('ResponseStreamEvent', event), event.type).toEqual([])
    expect(eventOrder(events)).toEqual(eventOrder(recordedChunks('openai-responses', 'azure-text.1')))
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index))
    const text = events.filter((event) => event.type === 'response.output_text.delta').map((event) => (event as { delta: string }).delta).join('')
    expect(text).toBe('Hello from the router')
    const completed = events.at(-1) as OpenAI.Responses.ResponseCompletedEvent
    expect(completed.response.usage).toMatchObject({ input_tokens: 17, output_tokens: 5, total_tokens: 22 })
    expect((completed.response as unknown as { cost: { total: number } }).cost.total).toBeGreaterThan(0)
  })

  it('streams reasoning and a function call in the order of the recorded OpenAI stream', async () => {
    const { client } = setup({ calc: { reasoning: 'Add first.', toolCalls: [{ id: 'call_calc', name: 'calculator', arguments: { a: 12, b: 7, op: 'add' } }] } })
    const events: OpenAI.Responses.ResponseStreamEvent[] = []
    for await (const event of await client.responses.create({ model: 'mock/calc', input: '12 + 7', stream: true })) events.push(event)
    for (const event of events) expect(responsesSchemaErrors('ResponseStreamEvent', event), event.type).toEqual([])
    // The recording holds several steps of an agent loop; the first response is reasoning + a call.
    const recorded = recordedChunks('openai-responses', 'openai-reasoning-encrypted-content.1')
    const firstResponse = recorded.slice(0, recorded.findIndex((event) => event.type === 'response.completed') + 1)
    expect(eventOrder(events)).toEqual(eventOrder(firstResponse))
    const done = events.find((event) => event.type === 'response.function_call_arguments.done') as OpenAI.Responses.ResponseFunctionCallArgumentsDoneEvent
    expect(JSON.parse(done.arguments)).toEqual({ a: 12, b: 7, op: 'add' })
  })

  it('responses.stream(): the SDK helper assembles the final response and its text', async () => {
    const { client } = setup({ tools: { text: 'Checking.', toolCalls: [{ id: 'call_w', name: 'get_weather', arguments: { city: 'Paris' } }] } })
    const deltas: string[] = []
    const stream = client.responses.stream({ model: 'mock/tools', input: 'Weather?', tools: [weatherTool] })
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta))
    const final = await stream.finalResponse()
    expect(deltas.join('')).toBe('Checking.')
    expect(final.output_text).toBe('Checking.')
    expect(final.output.map((item) => item.type)).toEqual(['message', 'function_call'])
    expect(final.output[1]).toMatchObject({ call_id: 'call_w', name: 'get_weather', arguments: '{"city":"Paris"}' })
  })

  it('falls back before the first event: the stream starts on the next model, invisibly', async () => {
    const provider = mockProvider({ id: 'mock', models: { down: { error: 'server' }, up: 'served by the second model' } })
    const router = createRouter({ providers: [provider], routes: { chain: fallback(['mock/down', 'mock/up'], { retries: 0 }) } })
    const client = new OpenAI({ apiKey: 'unused', baseURL: 'http://switchyard.local/v1', fetch: router.fetch, maxRetries: 0 })
    const final = await client.responses.stream({ model: 'chain', input: 'Hi' }).finalResponse()
    expect(final.output_text).toBe('served by the second model')
    expect(final.model).toBe('mock/up')
    expect(provider.calls.map((call) => call.model)).toEqual(['down', 'up'])
  })

  it('a stream that breaks after it started ends with error and response.failed, which the SDK raises', async () => {
    const { router, client } = setup({ breaks: { text: 'one two three four', failAfterChunks: 2, error: 'server' } })
    const response = await router.fetch('http://switchyard.local/v1/responses', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'mock/breaks', input: 'Hi', stream: true }) })
    expect(response.status).toBe(200)
    const body = await response.text()
    const events = body.split('\n\n').filter(Boolean).map((block) => {
      const [eventLine, dataLine] = block.split('\n')
      const event = JSON.parse(dataLine!.slice('data: '.length))
      expect(eventLine).toBe(`event: ${event.type}`)
      return event
    })
    for (const event of events) expect(responsesSchemaErrors('ResponseStreamEvent', event), event.type).toEqual([])
    expect(events.slice(-2).map((event) => event.type)).toEqual(['error', 'response.failed'])
    expect(events.at(-1).response).toMatchObject({ status: 'failed', error: { code: 'server_error' } })
    // The recorded OpenAI failure has the same tail.
    expect(recordedChunks('openai-responses', 'openai-error.1').slice(-2).map((event) => event.type)).toEqual(['error', 'response.failed'])

    const stream = await client.responses.create({ model: 'mock/breaks', input: 'Hi', stream: true })
    const seen: string[] = []
    const failure = await (async () => {
      for await (const event of stream) seen.push(event.type)
    })().catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(OpenAI.APIError)
    expect(seen).toContain('response.output_text.delta')
  })

  it.each([
    [{ previous_response_id: 'resp_123' }, 'previous_response_id'],
    [{ store: true }, 'store'],
    [{ conversation: 'conv_1' }, 'conversation'],
    [{ tools: [{ type: 'web_search' }] }, 'tools[0].type'],
    [{ tools: [{ type: 'file_search', vector_store_ids: ['vs_1'] }] }, 'tools[0].type'],
    [{ input: [{ type: 'item_reference', id: 'msg_1' }] }, 'item_reference'],
    [{ include: ['file_search_call.results'] }, 'include'],
    [{ reasoning: { effort: 'xhigh' } }, 'reasoning.effort'],
  ])('refuses %j with a 400 in OpenAI\'s error shape naming the field', async (extra, field) => {
    const { client, provider } = setup()
    const error = (await client.responses.create({ model: 'main', input: 'Hi', ...(extra as object) } as OpenAI.Responses.ResponseCreateParamsNonStreaming).catch((caught: unknown) => caught)) as OpenAIAPIError
    expect(error).toBeInstanceOf(OpenAI.BadRequestError)
    expect(error.message).toContain(field)
    expect((error.error as { type: string }).type).toBe('invalid_request_error')
    expect(provider.calls).toHaveLength(0)
  })

  it('retrieving a stored response is a 400 saying the router stores none', async () => {
    const { client } = setup()
    const error = (await client.responses.retrieve('resp_123').catch((caught: unknown) => caught)) as OpenAIAPIError
    expect(error).toBeInstanceOf(OpenAI.BadRequestError)
    expect(error.message).toContain('store')
  })

  it('an unknown model is a 404 naming the model parameter, before any event', async () => {
    const { client } = setup()
    const error = (await client.responses.create({ model: 'nope/model', input: 'Hi', stream: true }).catch((caught: unknown) => caught)) as OpenAIAPIError
    expect(error).toBeInstanceOf(OpenAI.NotFoundError)
    expect((error.error as { param: string }).param).toBe('model')
  })

  it('router.openai.responses.create works in-process, streamed and not, with an AbortSignal', async () => {
    const { router } = setup()
    const response = await router.openai.responses.create({ model: 'main', input: 'Hi' })
    expect(response.output[0]).toMatchObject({ type: 'message' })
    const stream = await router.openai.responses.create({ model: 'main', input: 'Hi', stream: true })
    const types: string[] = []
    for await (const event of stream) types.push(event.type)
    expect(types[0]).toBe('response.created')
    expect(types.at(-1)).toBe('response.completed')
    const controller = new AbortController()
    controller.abort()
    await expect(router.openai.responses.create({ model: 'main', input: 'Hi' }, { signal: controller.signal })).rejects.toMatchObject({ code: 'aborted' })
  })
})
