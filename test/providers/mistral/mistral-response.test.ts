import { describe, expect, it } from 'vitest'
import { createRouter, mistral, mockProvider, ProviderError, type ChatChunk, type FunctionTool } from '../../../src/index.js'
import { useMswServer } from '../../helpers/msw.js'
import { sseResponse } from '../../helpers/recordings.js'
import { mistralChunk, mistralCompletionResponse, mistralTestKey, serveMistral } from './mistral-handlers.js'

const server = useMswServer()
const ask = [{ role: 'user' as const, content: 'What is 2 + 2?' }]
const tools: FunctionTool[] = [
  { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
  { type: 'function', function: { name: 'get_time' } },
]

function router() {
  return createRouter({
    providers: [mistral({ apiKey: mistralTestKey })],
    // Hand-set prices, so the expected costs below can be worked out by hand.
    // The answers below name mistral-small-latest, the model that is then billed.
    prices: { 'mistral/mistral-medium-latest': { input: 2, output: 6, cacheRead: 0.2 }, 'mistral/mistral-small-latest': { input: 2, output: 6, cacheRead: 0.2 } },
  })
}

async function streamed(request: Parameters<ReturnType<typeof router>['stream']>[0]) {
  const stream = router().stream(request)
  const chunks: ChatChunk[] = []
  for await (const chunk of stream) chunks.push(chunk)
  return { chunks, result: await stream.finalResult() }
}

const thinking = (text: string) => ({ type: 'thinking', thinking: [{ type: 'text', text }] })

describe('mistral adapter: responses', () => {
  it('splits Magistral thinking chunks into reasoning and text chunks into content', async () => {
    serveMistral(server, 'chat/completions', () =>
      mistralCompletionResponse({ content: [thinking('2 and 2 make 4.'), { type: 'text', text: 'The answer ' }, { type: 'text', text: 'is 4.' }] }),
    )
    const result = await router().chat({ model: 'mistral/magistral-medium-latest', messages: ask })
    expect(result.choices[0]!.message.reasoning).toBe('2 and 2 make 4.')
    expect(result.choices[0]!.message.content).toBe('The answer is 4.')
  })

  it('streams thinking chunks as reasoning deltas before the text', async () => {
    serveMistral(server, 'chat/completions', () =>
      sseResponse(
        [
          mistralChunk({ role: 'assistant', content: [thinking('2 and 2 ')] }),
          mistralChunk({ content: [thinking('make 4.')] }),
          mistralChunk({ content: 'The answer is 4.' }),
          mistralChunk({ content: '' }, 'stop', { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 }),
        ],
        { done: true },
      ),
    )
    const { chunks, result } = await streamed({ model: 'mistral/magistral-medium-latest', messages: ask })
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.reasoning ?? '').join('')).toBe('2 and 2 make 4.')
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('The answer is 4.')
    expect(result.choices[0]!.message).toMatchObject({ reasoning: '2 and 2 make 4.', content: 'The answer is 4.' })
    expect(result.usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 20 })
  })

  it('turns tool arguments sent as an object into JSON text', async () => {
    serveMistral(server, 'chat/completions', () =>
      mistralCompletionResponse({ content: '', tool_calls: [{ id: 'abc123XYZ', function: { name: 'get_weather', arguments: { city: 'Lyon' } } }] }, { finishReason: 'tool_calls' }),
    )
    const result = await router().chat({ model: 'mistral/mistral-small-latest', messages: ask, tools })
    const call = result.choices[0]!.message.tool_calls![0]!
    expect(call.id).toBe('abc123XYZ')
    expect(typeof call.function.arguments).toBe('string')
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Lyon' })
    expect(result.choices[0]!.message.content).toBeNull()
  })

  it('returns parallel tool calls, a no-argument one included, in order', async () => {
    serveMistral(server, 'chat/completions', () =>
      mistralCompletionResponse(
        {
          content: null,
          tool_calls: [
            { id: 'call0AAAA', function: { name: 'get_weather', arguments: '{"city": "Paris"}' } },
            { id: 'call1BBBB', function: { name: 'get_time', arguments: '{}' } },
          ],
        },
        { finishReason: 'tool_calls' },
      ),
    )
    const result = await router().chat({ model: 'mistral/mistral-small-latest', messages: ask, tools })
    expect(result.choices[0]!.message.tool_calls!.map((call) => [call.id, call.function.name, JSON.parse(call.function.arguments)])).toEqual([
      ['call0AAAA', 'get_weather', { city: 'Paris' }],
      ['call1BBBB', 'get_time', {}],
    ])
    expect(result.choices[0]!.finish_reason).toBe('tool_calls')
  })

  it('streams parallel tool calls sent whole in one chunk without indexes as separate calls', async () => {
    serveMistral(server, 'chat/completions', () =>
      sseResponse(
        [
          mistralChunk({ role: 'assistant', content: '' }),
          mistralChunk(
            {
              content: null,
              tool_calls: [
                { id: 'call0AAAA', function: { name: 'get_weather', arguments: { city: 'Paris' } } },
                { id: 'call1BBBB', function: { name: 'get_time', arguments: '{}' } },
              ],
            },
            'tool_calls',
            { prompt_tokens: 50, completion_tokens: 30, total_tokens: 80 },
          ),
        ],
        { done: true },
      ),
    )
    const { chunks, result } = await streamed({ model: 'mistral/mistral-small-latest', messages: ask, tools })
    const starts = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []).filter((delta) => delta.id)
    expect(starts.map((delta) => [delta.index, delta.id, delta.function?.name])).toEqual([
      [0, 'call0AAAA', 'get_weather'],
      [1, 'call1BBBB', 'get_time'],
    ])
    const calls = result.choices[0]!.message.tool_calls!
    expect(calls.map((call) => [call.id, call.function.name, JSON.parse(call.function.arguments)])).toEqual([
      ['call0AAAA', 'get_weather', { city: 'Paris' }],
      ['call1BBBB', 'get_time', {}],
    ])
    expect(result.choices[0]!.finish_reason).toBe('tool_calls')
  })

  it('joins a tool call whose arguments are streamed in pieces after the first chunk', async () => {
    serveMistral(server, 'chat/completions', () =>
      sseResponse(
        [
          mistralChunk({ role: 'assistant', tool_calls: [{ id: 'call0AAAA', index: 0, function: { name: 'get_weather', arguments: '{"city": ' } }] }),
          mistralChunk({ tool_calls: [{ index: 0, function: { name: '', arguments: '"Nice"}' } }] }),
          mistralChunk({}, 'tool_calls', { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 }),
        ],
        { done: true },
      ),
    )
    const { result } = await streamed({ model: 'mistral/mistral-small-latest', messages: ask, tools })
    expect(result.choices[0]!.message.tool_calls).toHaveLength(1)
    expect(result.choices[0]!.message.tool_calls![0]).toMatchObject({ id: 'call0AAAA', function: { name: 'get_weather', arguments: '{"city": "Nice"}' } })
  })

  it.each([
    ['stop', 'stop'],
    ['length', 'length'],
    ['model_length', 'length'],
    ['tool_calls', 'tool_calls'],
  ])('maps finish reason %s to %s', async (wire, canonical) => {
    serveMistral(server, 'chat/completions', () =>
      mistralCompletionResponse(
        wire === 'tool_calls' ? { content: null, tool_calls: [{ id: 'call0AAAA', function: { name: 'get_time', arguments: '{}' } }] } : { content: 'partial' },
        { finishReason: wire },
      ),
    )
    const result = await router().chat({ model: 'mistral/mistral-small-latest', messages: ask, tools })
    expect(result.choices[0]!.finish_reason).toBe(canonical)
  })

  it('treats finish reason "error" as a retryable failure, so fallback answers instead', async () => {
    serveMistral(server, 'chat/completions', () => mistralCompletionResponse({ content: 'half an ans' }, { finishReason: 'error' }))
    const backup = mockProvider({ id: 'backup', models: { m: { text: 'a whole answer' } } })
    const fallbackRouter = createRouter({ providers: [mistral({ apiKey: mistralTestKey }), backup] })
    const result = await fallbackRouter.chat({ model: ['mistral/mistral-small-latest', 'backup/m'], messages: ask })
    expect(result.choices[0]!.message.content).toBe('a whole answer')
    const failed = result.route.attempts.filter((attempt) => attempt.provider === 'mistral')
    expect(failed.length).toBeGreaterThan(0)
    for (const attempt of failed) {
      expect(attempt.error).toBeInstanceOf(ProviderError)
      expect(attempt.error!.retryable).toBe(true)
      expect(attempt.error!.message).toContain('finish reason "error"')
    }
  })

  it('prices cached prompt tokens at the cache-read price (non-streamed, prompt_tokens_details)', async () => {
    serveMistral(server, 'chat/completions', () =>
      mistralCompletionResponse(
        { content: 'ok' },
        { usage: { prompt_tokens: 2000, completion_tokens: 100, total_tokens: 2100, prompt_tokens_details: { cached_tokens: 1500 } } },
      ),
    )
    const result = await router().chat({ model: 'mistral/mistral-medium-latest', messages: ask })
    expect(result.tokens).toMatchObject({ inputTokens: 500, cacheReadTokens: 1500, outputTokens: 100 })
    expect(result.usage).toMatchObject({ prompt_tokens: 2000, prompt_tokens_details: { cached_tokens: 1500 } })
    // 500 × 2 / 1e6 = 0.001 input; 1500 × 0.2 / 1e6 = 0.0003 cache read; 100 × 6 / 1e6 = 0.0006 output.
    expect(result.cost.input).toBeCloseTo(0.001, 12)
    expect(result.cost.cacheRead).toBeCloseTo(0.0003, 12)
    expect(result.cost.output).toBeCloseTo(0.0006, 12)
    expect(result.cost.total).toBeCloseTo(0.0019, 12)
  })

  it('prices cached prompt tokens in a stream the same way (num_cached_tokens)', async () => {
    serveMistral(server, 'chat/completions', () =>
      sseResponse([mistralChunk({ role: 'assistant', content: 'ok' }), mistralChunk({ content: '' }, 'stop', { prompt_tokens: 2000, completion_tokens: 100, total_tokens: 2100, num_cached_tokens: 1500 })], {
        done: true,
      }),
    )
    const { chunks } = await streamed({ model: 'mistral/mistral-medium-latest', messages: ask })
    const last = chunks.at(-1)!
    expect(last.tokens).toMatchObject({ inputTokens: 500, cacheReadTokens: 1500, outputTokens: 100 })
    expect(last.cost!.total).toBeCloseTo(0.0019, 12)
  })
})
