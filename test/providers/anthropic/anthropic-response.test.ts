import { describe, expect, it } from 'vitest'
import { HttpResponse } from 'msw'
import { anthropic, createRouter, type ChatRequest } from '../../../src/index.js'
import { useMswServer } from '../../helpers/msw.js'
import { collect } from '../../helpers/streams.js'
import { anthropicSse, messageResponse, serveMessages, streamEvents, testApiKey } from './anthropic-handlers.js'

const server = useMswServer()

function router() {
  return createRouter({ providers: [anthropic({ apiKey: testApiKey })] })
}

const request: ChatRequest = { model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hi' }] }

function textBlock(index: number, parts: string[]): unknown[] {
  return [
    { type: 'content_block_start', index, content_block: { type: 'text', text: '' } },
    ...parts.map((text) => ({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } })),
    { type: 'content_block_stop', index },
  ]
}

function toolBlock(index: number, id: string, name: string, parts: string[]): unknown[] {
  return [
    { type: 'content_block_start', index, content_block: { type: 'tool_use', id, name, input: {} } },
    ...parts.map((partial_json) => ({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } })),
    { type: 'content_block_stop', index },
  ]
}

function thinkingBlock(index: number, parts: string[], signature: string): unknown[] {
  return [
    { type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } },
    ...parts.map((thinking) => ({ type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking } })),
    { type: 'content_block_delta', index, delta: { type: 'signature_delta', signature } },
    { type: 'content_block_stop', index },
  ]
}

describe('anthropic response: parallel tool calls', () => {
  it('numbers streamed tool calls in order, after a text block, including one without arguments', async () => {
    serveMessages(server, () =>
      anthropicSse(
        streamEvents({
          blocks: [
            textBlock(0, ['Let me check.']),
            toolBlock(1, 'toolu_a', 'get_weather', ['{"city":', ' "Paris"}']),
            toolBlock(2, 'toolu_b', 'get_time', ['']),
          ],
          stopReason: 'tool_use',
          outputTokens: 60,
        }),
      ),
    )
    const stream = router().stream(request)
    const chunks = await collect(stream)
    const starts = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []).filter((delta) => delta.id)
    expect(starts.map((delta) => [delta.index, delta.id, delta.function?.name])).toEqual([
      [0, 'toolu_a', 'get_weather'],
      [1, 'toolu_b', 'get_time'],
    ])
    const result = await stream.finalResult()
    const message = result.choices[0]!.message
    expect(message.content).toBe('Let me check.')
    expect(message.tool_calls!.map((call) => [call.id, call.function.name, JSON.parse(call.function.arguments)])).toEqual([
      ['toolu_a', 'get_weather', { city: 'Paris' }],
      ['toolu_b', 'get_time', {}],
    ])
    expect(result.choices[0]!.finish_reason).toBe('tool_calls')
    expect(result.tokens).toMatchObject({ inputTokens: 10, outputTokens: 60 })
  })

  it('returns non-streamed parallel tool calls with `{}` for an empty input', async () => {
    serveMessages(server, () =>
      HttpResponse.json(
        messageResponse(
          [
            { type: 'tool_use', id: 'toolu_a', name: 'get_weather', input: { city: 'Paris' } },
            { type: 'tool_use', id: 'toolu_b', name: 'get_time', input: {} },
          ],
          'tool_use',
        ),
      ),
    )
    const result = await router().chat(request)
    expect(result.choices[0]!.message.tool_calls).toEqual([
      { id: 'toolu_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      { id: 'toolu_b', type: 'function', function: { name: 'get_time', arguments: '{}' } },
    ])
    expect(result.choices[0]!.message.content).toBeNull()
  })
})

describe('anthropic response: thinking', () => {
  it('returns thinking as reasoning, with its signature in provider_data, and round-trips it', async () => {
    serveMessages(server, () =>
      HttpResponse.json(
        messageResponse(
          [
            { type: 'thinking', thinking: 'Two plus two is four.', signature: 'sig-1' },
            { type: 'redacted_thinking', data: 'encrypted' },
            { type: 'text', text: '4' },
          ],
          'end_turn',
          { output_tokens: 40, output_tokens_details: { thinking_tokens: 30 } } as unknown as Record<string, number>,
        ),
      ),
    )
    const result = await router().chat({ ...request, reasoning_effort: 'low' })
    const message = result.choices[0]!.message
    expect(message.content).toBe('4')
    expect(message.reasoning).toBe('Two plus two is four.')
    expect(message.provider_data).toEqual({
      anthropic: { thinking_blocks: [{ type: 'thinking', signature: 'sig-1' }, { type: 'redacted_thinking', data: 'encrypted' }] },
    })
    expect(result.tokens).toMatchObject({ outputTokens: 40, reasoningTokens: 30 })

    const requests = serveMessages(server, () => HttpResponse.json(messageResponse([{ type: 'text', text: 'ok' }], 'end_turn')))
    await router().chat({ ...request, messages: [...request.messages, message, { role: 'user', content: 'And 3+3?' }] })
    expect(requests[0]!.body.messages[1].content).toEqual([
      { type: 'thinking', thinking: 'Two plus two is four.', signature: 'sig-1' },
      { type: 'redacted_thinking', data: 'encrypted' },
      { type: 'text', text: '4' },
    ])
  })

  it('streams thinking_delta as reasoning and keeps each block text when there are several', async () => {
    serveMessages(server, () =>
      anthropicSse(
        streamEvents({
          blocks: [thinkingBlock(0, ['Let me ', 'think.'], 'sig-a'), toolBlock(1, 'toolu_x', 'get_time', []), thinkingBlock(2, ['Done.'], 'sig-b'), textBlock(3, ['It is noon.'])],
          stopReason: 'end_turn',
        }),
      ),
    )
    const stream = router().stream(request)
    const chunks = await collect(stream)
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.reasoning ?? '').join('')).toBe('Let me think.Done.')
    const result = await stream.finalResult()
    const message = result.choices[0]!.message
    expect(message.reasoning).toBe('Let me think.Done.')
    expect(message.content).toBe('It is noon.')
    expect(message.provider_data).toEqual({
      anthropic: {
        thinking_blocks: [
          { type: 'thinking', signature: 'sig-a', thinking: 'Let me think.' },
          { type: 'thinking', signature: 'sig-b', thinking: 'Done.' },
        ],
      },
    })
  })
})

describe('anthropic response: finish reasons and metadata', () => {
  const cases: Array<[string, string]> = [
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['pause_turn', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['refusal', 'content_filter'],
  ]
  it.each(cases)('maps stop_reason %s to %s', async (stopReason, finishReason) => {
    serveMessages(server, () => HttpResponse.json(messageResponse([{ type: 'text', text: 'x' }], stopReason)))
    const result = await router().chat(request)
    expect(result.choices[0]!.finish_reason).toBe(finishReason)
  })

  it('keeps the matched stop sequence in providerMetadata', async () => {
    serveMessages(server, () => HttpResponse.json({ ...messageResponse([{ type: 'text', text: 'one two' }], 'stop_sequence'), stop_sequence: 'THREE' }))
    const adapter = anthropic({ apiKey: testApiKey })
    const response = await adapter.chat({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'count' }], stop: ['THREE'] }, { signal: new AbortController().signal })
    expect(response.finishReason).toBe('stop')
    expect(response.providerMetadata).toMatchObject({ stop_sequence: 'THREE' })
  })
})

describe('anthropic response: prompt caching usage and cost', () => {
  // claude-sonnet-4-5 list prices (USD per million tokens): input 3, cache write 3.75, cache read 0.3, output 15.
  const usage = { input_tokens: 100, cache_read_input_tokens: 2000, cache_creation_input_tokens: 500 }
  const expectedCost = {
    input: (100 * 3) / 1e6, // 0.0003
    cacheRead: (2000 * 0.3) / 1e6, // 0.0006
    cacheWrite: (500 * 3.75) / 1e6, // 0.001875
    output: (50 * 15) / 1e6, // 0.00075
  }
  const expectedTotal = 0.003525

  function expectCachedCall(result: { usage: any; tokens: any; cost: any }) {
    expect(result.tokens).toMatchObject({ inputTokens: 100, cacheReadTokens: 2000, cacheWriteTokens: 500, outputTokens: 50 })
    expect(result.usage).toMatchObject({ prompt_tokens: 2600, total_tokens: 2650 })
    expect(result.usage.prompt_tokens_details.cached_tokens).toBe(2000)
    expect(result.cost.input).toBeCloseTo(expectedCost.input, 12)
    expect(result.cost.cacheRead).toBeCloseTo(expectedCost.cacheRead, 12)
    expect(result.cost.cacheWrite).toBeCloseTo(expectedCost.cacheWrite, 12)
    expect(result.cost.output).toBeCloseTo(expectedCost.output, 12)
    expect(result.cost.total).toBeCloseTo(expectedTotal, 12)
  }

  it('prices cache reads and writes separately (non-streamed)', async () => {
    serveMessages(server, () => HttpResponse.json(messageResponse([{ type: 'text', text: 'cached' }], 'end_turn', { ...usage, output_tokens: 50 })))
    expectCachedCall(await router().chat(request))
  })

  // Of the 500 written tokens, 300 were written with ttl: '1h', billed at 6 / 1M (2× input) in the catalog.
  const splitUsage = { ...usage, cache_creation: { ephemeral_5m_input_tokens: 200, ephemeral_1h_input_tokens: 300 } }
  const splitCacheWrite = (200 * 3.75 + 300 * 6) / 1e6 // 0.00075 + 0.0018 = 0.00255
  const splitTotal = expectedCost.input + expectedCost.cacheRead + splitCacheWrite + expectedCost.output // 0.0042

  function expectSplitCall(result: { tokens: any; cost: any }) {
    expect(result.tokens).toMatchObject({ cacheWriteTokens: 500, cacheWrite1hTokens: 300 })
    expect(result.cost.cacheWrite).toBeCloseTo(splitCacheWrite, 12)
    expect(result.cost.total).toBeCloseTo(0.0042, 12)
    expect(splitTotal).toBeCloseTo(0.0042, 12)
  }

  it('prices 1-hour cache writes at their own rate (non-streamed)', async () => {
    const body = messageResponse([{ type: 'text', text: 'cached' }], 'end_turn', { ...usage, output_tokens: 50 })
    serveMessages(server, () => HttpResponse.json({ ...body, usage: { ...body.usage, cache_creation: splitUsage.cache_creation } }))
    expectSplitCall(await router().chat(request))
  })

  it('prices 1-hour cache writes at their own rate (streamed: the split comes with message_start)', async () => {
    const events = streamEvents({ usage, blocks: [textBlock(0, ['cached'])], stopReason: 'end_turn', outputTokens: 50 }) as any[]
    events[0].message.usage.cache_creation = splitUsage.cache_creation
    serveMessages(server, () => anthropicSse(events))
    expectSplitCall(await router().stream(request).finalResult())
  })

  it('prices cache reads and writes separately (streamed: cache counts from message_start)', async () => {
    serveMessages(server, () => anthropicSse(streamEvents({ usage, blocks: [textBlock(0, ['cached'])], stopReason: 'end_turn', outputTokens: 50 })))
    const stream = router().stream(request)
    const chunks = await collect(stream)
    expectCachedCall(await stream.finalResult())
    expect(chunks.at(-1)!.cost!.total).toBeCloseTo(expectedTotal, 12)
  })
})
