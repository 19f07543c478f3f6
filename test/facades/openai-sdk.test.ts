import OpenAI from 'openai'
import { describe, expect, it, vi } from 'vitest'
import { createRouter, fallback, mockProvider, type MockReply, type ModelRequest } from '../../src/index.js'
import { openAISchemaErrors, openAIUsageKeys } from './openai-schemas.js'

type OpenAIAPIError = InstanceType<typeof OpenAI.APIError>

const weatherTool = {
  type: 'function' as const,
  function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
}

function setup(models: Record<string, MockReply | string | ((request: ModelRequest, call: number) => MockReply | string)> = {}) {
  const provider = mockProvider({
    id: 'mock',
    models: {
      chat: { text: 'Hello from the router', usage: { inputTokens: 10, cacheReadTokens: 4, outputTokens: 5, reasoningTokens: 2 } },
      tools: { toolCalls: [{ id: 'call_weather', name: 'get_weather', arguments: { city: 'Paris' } }] },
      embed: 'unused',
      ...models,
    },
  })
  const router = createRouter({
    providers: [provider],
    prices: { 'mock/chat': { input: 1, output: 2, cacheRead: 0.5 } },
    // Each extra model also gets a route without retries, so failures surface at once.
    routes: { main: fallback(['mock/chat'], { retries: 0 }), ...Object.fromEntries(Object.keys(models).map((name) => [name, fallback([`mock/${name}`], { retries: 0 })])) },
  })
  // maxRetries 0: the router already retried; the client must surface the first error it gets.
  const client = new OpenAI({ apiKey: 'unused', baseURL: 'http://switchyard.local/v1', fetch: router.fetch, maxRetries: 0 })
  return { router, provider, client }
}

const hello = [{ role: 'user' as const, content: 'Hello' }]

describe('official openai client → router.fetch: chat completions', () => {
  it('answers a text request with an OpenAI completion that passes the official schema', async () => {
    const { client } = setup()
    const completion = await client.chat.completions.create({ model: 'main', messages: hello })
    expect(completion.choices[0]!.message.content).toBe('Hello from the router')
    expect(completion.choices[0]!.finish_reason).toBe('stop')
    expect(completion.model).toBe('mock/chat')
    expect(openAISchemaErrors('CreateChatCompletionResponse', completion)).toEqual([])
    expect(Object.keys(completion.usage!).sort()).toEqual(openAIUsageKeys)
    // Canonical usage is uncached input 10 + cache read 4; OpenAI counts cached tokens inside prompt_tokens.
    expect(completion.usage).toMatchObject({ prompt_tokens: 14, completion_tokens: 5, total_tokens: 19, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 2 } })
    const extras = completion as unknown as { cost: { total: number }; route: { provider: string; name: string } }
    expect(extras.cost.total).toBeCloseTo((10 * 1 + 4 * 0.5 + 5 * 2) / 1e6, 12)
    expect(extras.route).toMatchObject({ provider: 'mock', name: 'main' })
  })

  it('works with router.fetch unbound and with a base path before /v1', async () => {
    const { router } = setup()
    const unbound = router.fetch
    const client = new OpenAI({ apiKey: 'unused', baseURL: 'http://switchyard.local/api/llm/v1', fetch: unbound, maxRetries: 0 })
    const completion = await client.chat.completions.create({ model: 'mock/chat', messages: hello })
    expect(completion.choices[0]!.message.content).toBe('Hello from the router')
  })

  it('forwards tools, tool_choice and response_format and returns tool calls', async () => {
    const { client, provider } = setup()
    const completion = await client.chat.completions.create({
      model: 'mock/tools',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [weatherTool],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      parallel_tool_calls: false,
    })
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls')
    expect(completion.choices[0]!.message.tool_calls).toEqual([{ id: 'call_weather', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }])
    expect(openAISchemaErrors('CreateChatCompletionResponse', completion)).toEqual([])
    const received = provider.calls[0]!.request as ModelRequest
    expect(received.tools).toEqual([weatherTool])
    expect(received.tool_choice).toEqual({ type: 'function', function: { name: 'get_weather' } })
    expect(received.parallel_tool_calls).toBe(false)

    const schema = { name: 'answer', schema: { type: 'object', properties: { city: { type: 'string' } } }, strict: true }
    await client.chat.completions.create({ model: 'mock/chat', messages: hello, response_format: { type: 'json_schema', json_schema: schema } })
    expect((provider.calls[1]!.request as ModelRequest).response_format).toEqual({ type: 'json_schema', json_schema: schema })
  })

  it('sends a tool result turn through unchanged', async () => {
    const { client, provider } = setup()
    const messages: OpenAI.ChatCompletionMessageParam[] = [
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '18°C and sunny' },
    ]
    await client.chat.completions.create({ model: 'mock/chat', messages, tools: [weatherTool] })
    expect((provider.calls[0]!.request as ModelRequest).messages).toEqual(messages)
  })

  it('passes images through as image_url parts', async () => {
    const { client, provider } = setup()
    const content: OpenAI.ChatCompletionContentPart[] = [
      { type: 'text', text: 'What is this?' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' } },
      { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
    ]
    await client.chat.completions.create({ model: 'mock/chat', messages: [{ role: 'user', content }] })
    expect((provider.calls[0]!.request as ModelRequest).messages[0]).toEqual({ role: 'user', content })
  })
})

describe('official openai client → router.fetch: streaming', () => {
  it('streams chunks that pass the official schema; without include_usage there is no usage chunk', async () => {
    const { client } = setup()
    const stream = await client.chat.completions.create({ model: 'main', messages: hello, stream: true })
    const chunks: OpenAI.ChatCompletionChunk[] = []
    for await (const chunk of stream) chunks.push(chunk)
    for (const chunk of chunks) expect(openAISchemaErrors('CreateChatCompletionStreamResponse', chunk)).toEqual([])
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('Hello from the router')
    expect(chunks.every((chunk) => chunk.choices.length === 1)).toBe(true)
    expect(chunks.filter((chunk) => 'usage' in chunk)).toEqual([])
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('stop')
    // Cost and route still arrive, on the last chunk.
    expect((chunks.at(-1) as unknown as { cost: { total: number } }).cost.total).toBeGreaterThan(0)
  })

  it('with include_usage ends with a usage chunk without choices, and every other chunk has usage null', async () => {
    const { client } = setup()
    const stream = await client.chat.completions.create({ model: 'main', messages: hello, stream: true, stream_options: { include_usage: true } })
    const chunks: OpenAI.ChatCompletionChunk[] = []
    for await (const chunk of stream) chunks.push(chunk)
    for (const chunk of chunks) expect(openAISchemaErrors('CreateChatCompletionStreamResponse', chunk)).toEqual([])
    const last = chunks.at(-1)!
    expect(last.choices).toEqual([])
    expect(Object.keys(last.usage!).sort()).toEqual(openAIUsageKeys)
    expect(last.usage).toMatchObject({ prompt_tokens: 14, completion_tokens: 5, total_tokens: 19 })
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true)
    expect((last as unknown as { route: { provider: string } }).route.provider).toBe('mock')
  })

  it('assembles streamed tool calls with the SDK stream helper (finalChatCompletion)', async () => {
    const { client } = setup()
    const runner = client.chat.completions.stream({ model: 'mock/tools', messages: [{ role: 'user', content: 'Weather?' }], tools: [weatherTool] })
    const final = await runner.finalChatCompletion()
    expect(final.choices[0]!.finish_reason).toBe('tool_calls')
    expect(final.choices[0]!.message.tool_calls).toEqual([{ id: 'call_weather', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }])
  })

  it('reports a failure after the first token as an APIError raised by the SDK during iteration', async () => {
    const { client } = setup({ broken: { text: 'one two three four', error: 'server', failAfterChunks: 2 } })
    const stream = await client.chat.completions.create({ model: 'broken', messages: hello, stream: true })
    const received: string[] = []
    const error = await (async () => {
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '')
    })().then(
      () => undefined,
      (caught: unknown) => caught,
    )
    expect(received.join('')).toBe('one two ')
    expect(error).toBeInstanceOf(OpenAI.APIError)
    expect((error as OpenAIAPIError).message).toMatch(/stream failed after it had started/)
  })
})

describe('official openai client → router.fetch: errors', () => {
  const cases: Array<[string, MockReply['error'], number, new (...args: any[]) => Error]> = [
    ['rate limit', 'rate_limit', 429, OpenAI.RateLimitError],
    ['provider authentication', 'auth', 401, OpenAI.AuthenticationError],
    ['invalid request', 'invalid', 400, OpenAI.BadRequestError],
    ['provider server error', 'server', 502, OpenAI.InternalServerError],
    ['provider overloaded', 'overloaded', 503, OpenAI.InternalServerError],
  ]
  for (const [name, kind, status, errorClass] of cases) {
    it(`${name} → HTTP ${status}, raised as the SDK's ${errorClass.name}`, async () => {
      const { client } = setup({ failing: { error: kind, retryAfterMs: 7000 } })
      const error = await client.chat.completions.create({ model: 'failing', messages: hello }).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(errorClass)
      expect((error as OpenAIAPIError).status).toBe(status)
      if (status === 429) expect((error as OpenAIAPIError).headers?.get('retry-after')).toBe('7')
    })
  }

  it('an unknown model is a 404 NotFoundError with code model_not_found', async () => {
    const { client } = setup()
    const error = (await client.chat.completions.create({ model: 'nobody/model', messages: hello }).catch((caught: unknown) => caught)) as OpenAIAPIError
    expect(error).toBeInstanceOf(OpenAI.NotFoundError)
    expect(error.code).toBe('model_not_found')
    expect(error.message).toContain('Unknown model "nobody/model"')
  })

  it('invalid parameters are a 400 before any provider is called', async () => {
    const { client, provider } = setup()
    for (const params of [
      { model: 'main', messages: [] },
      { model: 'main', messages: hello, n: 2 },
      { model: 'main', messages: hello, temperature: 7 },
      { model: 'main', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }] }] },
    ]) {
      const error = await client.chat.completions.create(params as OpenAI.ChatCompletionCreateParamsNonStreaming).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(OpenAI.BadRequestError)
    }
    expect(provider.calls).toEqual([])
  })

  it('the same failure on a streaming call is still a proper HTTP status, not a broken stream', async () => {
    const { client } = setup({ failing: { error: 'rate_limit', retryAfterMs: 2000 } })
    const error = await client.chat.completions.create({ model: 'failing', messages: hello, stream: true }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(OpenAI.RateLimitError)
  })
})

describe('official openai client → router.fetch: abort', () => {
  it("aborting the SDK request aborts the routed call and the SDK raises its abort error", async () => {
    const { client, provider } = setup({ slow: { text: 'late', latencyMs: 10_000 } })
    const controller = new AbortController()
    const pending = client.chat.completions.create({ model: 'mock/slow', messages: hello }, { signal: controller.signal }).catch((caught: unknown) => caught)
    await vi.waitFor(() => expect(provider.calls).toHaveLength(1))
    controller.abort()
    expect(await pending).toBeInstanceOf(OpenAI.APIUserAbortError)
    expect(provider.calls[0]!.signal.aborted).toBe(true)
  })

  it('aborting mid-stream stops the provider stream', async () => {
    const { client, provider } = setup({ slow: { text: 'one two three four five', chunkDelayMs: 10_000 } })
    const controller = new AbortController()
    const stream = await client.chat.completions.create({ model: 'mock/slow', messages: hello, stream: true }, { signal: controller.signal })
    const received: string[] = []
    const error = await (async () => {
      for await (const chunk of stream) {
        received.push(chunk.choices[0]?.delta.content ?? '')
        controller.abort()
      }
    })().then(
      () => undefined,
      (caught: unknown) => caught,
    )
    expect(received).toEqual(['one '])
    // The openai SDK ends iteration quietly when its own signal aborts the body.
    expect(error).toBeUndefined()
    await vi.waitFor(() => expect(provider.calls[0]!.signal.aborted).toBe(true))
  })
})

describe('official openai client → router.fetch: embeddings and models', () => {
  it('embeds with the SDK default (base64) and with float, both passing the official schema', async () => {
    const { client, router } = setup()
    const direct = await router.embed({ model: 'mock/embed', input: ['first text', 'second text'] })
    const viaBase64 = await client.embeddings.create({ model: 'mock/embed', input: ['first text', 'second text'] })
    expect(viaBase64.data).toHaveLength(2)
    viaBase64.data.forEach((item, index) => {
      expect(item.embedding).toHaveLength(8)
      item.embedding.forEach((value, position) => expect(value).toBeCloseTo(direct.data[index]!.embedding[position]!, 6))
    })
    const viaFloat = await client.embeddings.create({ model: 'mock/embed', input: 'first text', encoding_format: 'float' })
    expect(viaFloat.data[0]!.embedding).toEqual(direct.data[0]!.embedding)
    expect(openAISchemaErrors('CreateEmbeddingResponse', viaFloat)).toEqual([])
    expect(viaFloat.usage.prompt_tokens).toBeGreaterThan(0)
  })

  it('lists routes and provider models, and retrieves one', async () => {
    const { client } = setup()
    const page = await client.models.list()
    expect(page.data.map((model) => [model.id, model.owned_by])).toEqual([
      ['main', 'switchyard'],
      ['mock/chat', 'mock'],
      ['mock/tools', 'mock'],
      ['mock/embed', 'mock'],
    ])
    expect((await client.models.retrieve('mock/tools')).owned_by).toBe('mock')
    expect(await client.models.retrieve('nobody/x').catch((caught: unknown) => caught)).toBeInstanceOf(OpenAI.NotFoundError)
  })
})
