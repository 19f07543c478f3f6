import Anthropic from '@anthropic-ai/sdk'
import { describe, expect, it, vi } from 'vitest'
import { createRouter, fallback, mockProvider, type MockReply, type ModelRequest } from '../../src/index.js'

type AnthropicAPIError = InstanceType<typeof Anthropic.APIError>

function setup(models: Record<string, MockReply | string> = {}) {
  const provider = mockProvider({
    id: 'mock',
    models: {
      chat: { text: 'Hello from the router', usage: { inputTokens: 10, cacheReadTokens: 40, cacheWriteTokens: 7, outputTokens: 5 } },
      tools: { text: 'Let me check.', toolCalls: [{ id: 'toolu_1', name: 'get_weather', arguments: { city: 'Paris' } }] },
      thinker: { reasoning: 'The user greets me.', text: 'Hi!' },
      ...models,
    },
  })
  const router = createRouter({
    providers: [provider],
    routes: { main: fallback(['mock/chat'], { retries: 0 }), ...Object.fromEntries(Object.keys(models).map((name) => [name, fallback([`mock/${name}`], { retries: 0 })])) },
  })
  const client = new Anthropic({ apiKey: 'unused', baseURL: 'http://switchyard.local', fetch: router.fetch, maxRetries: 0 })
  return { router, provider, client }
}

const hello: Anthropic.MessageParam[] = [{ role: 'user', content: 'Hello' }]
const weatherTool: Anthropic.Tool = { name: 'get_weather', description: 'Weather for a city', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }

describe('official anthropic client → router.fetch: messages', () => {
  it('answers with an Anthropic message: content blocks, stop_reason and usage with cache tokens', async () => {
    const { client } = setup()
    const message = await client.messages.create({ model: 'main', max_tokens: 100, messages: hello })
    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'mock/chat',
      content: [{ type: 'text', text: 'Hello from the router' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      // Anthropic's input_tokens is the uncached part, exactly like the canonical inputTokens.
      usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 40, cache_creation_input_tokens: 7 },
    })
    expect((message as unknown as { route: { name: string } }).route.name).toBe('main')
  })

  it('translates system blocks, cache_control, tools and tool_choice into the canonical request', async () => {
    const { client, provider } = setup()
    // temperature and top_k are gone from the newest SDK's types, but older clients still send them.
    const params = {
      model: 'mock/tools',
      max_tokens: 300,
      system: [
        { type: 'text', text: 'You are terse.' },
        { type: 'text', text: 'Long reference text', cache_control: { type: 'ephemeral', ttl: '1h' } },
      ],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Weather in Paris?', cache_control: { type: 'ephemeral' } }] }],
      tools: [{ ...weatherTool, cache_control: { type: 'ephemeral' } }],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      temperature: 0.2,
      top_k: 5,
      stop_sequences: ['END'],
      metadata: { user_id: 'user-7' },
    }
    const message = await client.messages.create(params as Anthropic.MessageCreateParamsNonStreaming)
    expect(message.stop_reason).toBe('tool_use')
    expect(message.content).toEqual([
      { type: 'text', text: 'Let me check.' },
      { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
    ])
    const received = provider.calls[0]!.request as ModelRequest
    expect(received.messages).toEqual([
      {
        role: 'system',
        content: [
          { type: 'text', text: 'You are terse.' },
          { type: 'text', text: 'Long reference text', cache_control: { type: 'ephemeral', ttl: '1h' } },
        ],
      },
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?', cache_control: { type: 'ephemeral' } }] },
    ])
    expect(received.tools).toEqual([
      { type: 'function', function: { name: 'get_weather', description: 'Weather for a city', parameters: weatherTool.input_schema }, cache_control: { type: 'ephemeral' } },
    ])
    expect(received).toMatchObject({ tool_choice: 'required', parallel_tool_calls: false, max_tokens: 300, temperature: 0.2, stop: ['END'], user: 'user-7' })
    expect(received.provider_options).toEqual({ anthropic: { top_k: 5 } })
  })

  it('honours top-level cache_control by marking the last block of the request', async () => {
    const { client, provider } = setup()
    await client.messages.create({ model: 'mock/chat', max_tokens: 10, cache_control: { type: 'ephemeral' }, system: 'Rules', messages: [{ role: 'user', content: 'Long document' }] })
    expect((provider.calls[0]!.request as ModelRequest).messages).toEqual([
      { role: 'system', content: 'Rules' },
      { role: 'user', content: [{ type: 'text', text: 'Long document', cache_control: { type: 'ephemeral' } }] },
    ])
  })

  it('turns tool_result blocks into tool messages answering the earlier tool_use', async () => {
    const { client, provider } = setup()
    await client.messages.create({
      model: 'mock/chat',
      max_tokens: 100,
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Checking both.' },
            { type: 'tool_use', id: 'toolu_a', name: 'get_weather', input: { city: 'Paris' } },
            { type: 'tool_use', id: 'toolu_b', name: 'get_weather', input: { city: 'Rome' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_a', content: '18°C' },
            { type: 'tool_result', tool_use_id: 'toolu_b', content: [{ type: 'text', text: 'station offline' }], is_error: true, cache_control: { type: 'ephemeral' } },
            { type: 'text', text: 'Summarise.' },
          ],
        },
      ],
      tools: [weatherTool],
    })
    expect((provider.calls[0]!.request as ModelRequest).messages).toEqual([
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: 'Checking both.',
        tool_calls: [
          { id: 'toolu_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'toolu_b', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_a', content: '18°C' },
      { role: 'tool', tool_call_id: 'toolu_b', content: [{ type: 'text', text: 'Error: station offline', cache_control: { type: 'ephemeral' } }] },
      { role: 'user', content: 'Summarise.' },
    ])
  })

  it('passes base64 and URL images as image_url parts, cache markers kept', async () => {
    const { client, provider } = setup()
    await client.messages.create({
      model: 'mock/chat',
      max_tokens: 100,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' }, cache_control: { type: 'ephemeral' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
            { type: 'text', text: 'Same animal?' },
          ],
        },
      ],
    })
    expect((provider.calls[0]!.request as ModelRequest).messages[0]).toEqual({
      role: 'user',
      content: [
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' }, cache_control: { type: 'ephemeral' } },
        { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
        { type: 'text', text: 'Same animal?' },
      ],
    })
  })

  it('returns reasoning as a thinking block and sends signed thinking back as reasoning + provider_data', async () => {
    const { client, provider } = setup()
    const message = await client.messages.create({ model: 'mock/thinker', max_tokens: 2000, messages: hello, thinking: { type: 'enabled', budget_tokens: 1024 } })
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'The user greets me.', signature: '' },
      { type: 'text', text: 'Hi!' },
    ])
    expect((provider.calls[0]!.request as ModelRequest).provider_options).toEqual({ anthropic: { thinking: { type: 'enabled', budget_tokens: 1024 } } })
    await client.messages.create({
      model: 'mock/chat',
      max_tokens: 2000,
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'Greeting.', signature: 'sig-123' }, { type: 'text', text: 'Hello!' }] },
        { role: 'user', content: 'Bye' },
      ],
    })
    expect((provider.calls[1]!.request as ModelRequest).messages[1]).toEqual({
      role: 'assistant',
      content: 'Hello!',
      reasoning: 'Greeting.',
      provider_data: { anthropic: { thinking_blocks: [{ type: 'thinking', signature: 'sig-123' }] } },
    })
  })
})

describe('official anthropic client → router.fetch: streaming', () => {
  it('streams the named events in Anthropic order', async () => {
    const { client } = setup()
    const stream = await client.messages.create({ model: 'mock/tools', max_tokens: 100, messages: hello, stream: true })
    const events: Anthropic.RawMessageStreamEvent[] = []
    for await (const event of stream) events.push(event)
    const shape = events.map((event) => ('content_block' in event ? `${event.type}:${event.content_block.type}` : 'delta' in event && 'type' in event.delta ? `${event.type}:${event.delta.type}` : event.type))
    expect(shape).toEqual([
      'message_start',
      'content_block_start:text',
      // "Let me check." arrives word by word.
      'content_block_delta:text_delta',
      'content_block_delta:text_delta',
      'content_block_delta:text_delta',
      'content_block_stop',
      'content_block_start:tool_use',
      'content_block_delta:input_json_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ])
    const closing = events.find((event) => event.type === 'message_delta')!
    expect(closing).toMatchObject({ delta: { stop_reason: 'tool_use' } })
  })

  it('the SDK stream helper assembles the final message: text, tool input, usage with cache tokens', async () => {
    const { client } = setup()
    const text: string[] = []
    const stream = client.messages.stream({ model: 'mock/tools', max_tokens: 100, messages: hello, tools: [weatherTool] }).on('text', (delta) => text.push(delta))
    const message = await stream.finalMessage()
    expect(text.join('')).toBe('Let me check.')
    expect(message.content).toEqual([
      { type: 'text', text: 'Let me check.' },
      { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
    ])
    expect(message.stop_reason).toBe('tool_use')
    const cached = await client.messages.stream({ model: 'main', max_tokens: 100, messages: hello }).finalMessage()
    expect(cached.usage).toMatchObject({ input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 40, cache_creation_input_tokens: 7 })
  })

  it('streams reasoning as a thinking block', async () => {
    const { client } = setup()
    const message = await client.messages.stream({ model: 'mock/thinker', max_tokens: 2000, messages: hello }).finalMessage()
    expect(message.content.map((block) => block.type)).toEqual(['thinking', 'text'])
    expect(message.content[0]).toMatchObject({ type: 'thinking', thinking: 'The user greets me.' })
  })

  it('a failure mid-stream arrives as an error event the SDK raises as an APIError', async () => {
    const { client } = setup({ broken: { text: 'one two three four', error: 'overloaded', failAfterChunks: 2 } })
    const error = await client.messages.stream({ model: 'broken', max_tokens: 100, messages: hello }).finalMessage().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(Anthropic.APIError)
    expect((error as AnthropicAPIError).message).toMatch(/overloaded_error|stream failed after it had started/)
  })
})

describe('official anthropic client → router.fetch: models', () => {
  it('lists and retrieves models in the Anthropic shape', async () => {
    const { client } = setup()
    const ids: string[] = []
    for await (const model of client.models.list()) ids.push(model.id)
    expect(ids).toEqual(['main', 'mock/chat', 'mock/tools', 'mock/thinker'])
    expect(await client.models.retrieve('mock/chat')).toMatchObject({ type: 'model', id: 'mock/chat', display_name: 'mock/chat' })
    expect(await client.models.retrieve('nobody/x').catch((caught: unknown) => caught)).toBeInstanceOf(Anthropic.NotFoundError)
  })
})

describe('official anthropic client → router.fetch: errors and abort', () => {
  const cases: Array<[string, MockReply['error'], number, new (...args: any[]) => Error]> = [
    ['rate limit', 'rate_limit', 429, Anthropic.RateLimitError],
    ['provider authentication', 'auth', 401, Anthropic.AuthenticationError],
    ['invalid request', 'invalid', 400, Anthropic.BadRequestError],
    ['provider overloaded', 'overloaded', 503, Anthropic.InternalServerError],
  ]
  for (const [name, kind, status, errorClass] of cases) {
    it(`${name} → HTTP ${status}, raised as the SDK's ${errorClass.name}`, async () => {
      const { client } = setup({ failing: { error: kind, retryAfterMs: 3000 } })
      const error = (await client.messages.create({ model: 'failing', max_tokens: 10, messages: hello }).catch((caught: unknown) => caught)) as AnthropicAPIError
      expect(error).toBeInstanceOf(errorClass)
      expect(error.status).toBe(status)
      expect((error.error as { type: string }).type).toBe('error')
      if (status === 429) expect(error.headers?.get('retry-after')).toBe('3')
    })
  }

  it('an unknown model is a not_found_error; a missing max_tokens or bad block is an invalid_request_error', async () => {
    const { client, provider } = setup()
    const unknown = (await client.messages.create({ model: 'nobody/x', max_tokens: 10, messages: hello }).catch((caught: unknown) => caught)) as AnthropicAPIError
    expect(unknown).toBeInstanceOf(Anthropic.NotFoundError)
    expect((unknown.error as { error: { type: string } }).error.type).toBe('not_found_error')
    for (const params of [
      { model: 'main', messages: hello },
      { model: 'main', max_tokens: 10, messages: [] },
      { model: 'main', max_tokens: 10, messages: [{ role: 'system', content: 'x' }] },
      { model: 'main', max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'text', data: 'x', media_type: 'text/plain' } }] }] },
      { model: 'main', max_tokens: 10, messages: hello, tools: [{ type: 'web_search_20250305', name: 'web_search' }] },
    ]) {
      const error = (await client.messages.create(params as Anthropic.MessageCreateParamsNonStreaming).catch((caught: unknown) => caught)) as AnthropicAPIError
      expect(error).toBeInstanceOf(Anthropic.BadRequestError)
      expect((error.error as { error: { type: string } }).error.type).toBe('invalid_request_error')
    }
    expect(provider.calls).toEqual([])
  })

  it('aborting the SDK request aborts the routed call and raises the SDK abort error', async () => {
    const { client, provider } = setup({ slow: { text: 'late', latencyMs: 10_000 } })
    const controller = new AbortController()
    const pending = client.messages.create({ model: 'mock/slow', max_tokens: 10, messages: hello }, { signal: controller.signal }).catch((caught: unknown) => caught)
    await vi.waitFor(() => expect(provider.calls).toHaveLength(1))
    controller.abort()
    expect(await pending).toBeInstanceOf(Anthropic.APIUserAbortError)
    expect(provider.calls[0]!.signal.aborted).toBe(true)
  })

  it('aborting a stream helper mid-way stops the provider stream', async () => {
    const { client, provider } = setup({ slow: { text: 'one two three', chunkDelayMs: 10_000 } })
    const stream = client.messages.stream({ model: 'mock/slow', max_tokens: 10, messages: hello })
    stream.on('text', () => stream.abort())
    expect(await stream.finalMessage().catch((caught: unknown) => caught)).toBeInstanceOf(Anthropic.APIUserAbortError)
    await vi.waitFor(() => expect(provider.calls[0]!.signal.aborted).toBe(true))
  })
})
