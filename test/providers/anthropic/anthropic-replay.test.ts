import { describe, expect, it } from 'vitest'
import { HttpResponse } from 'msw'
import { anthropic, createRouter, type ChatChunk, type ChatRequest } from '../../../src/index.js'
import { useMswServer } from '../../helpers/msw.js'
import { collect } from '../../helpers/streams.js'
import { recordedChunks, recordedJson } from '../../helpers/recordings.js'
import { anthropicSse, serveMessages, testApiKey } from './anthropic-handlers.js'

const server = useMswServer()

function router() {
  return createRouter({ providers: [anthropic({ apiKey: testApiKey, models: ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-fable-5', 'claude-sonnet-4-0'] })] })
}

const hello: ChatRequest = { model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hello, how are you?' }] }

const weatherTool = {
  type: 'function' as const,
  function: { name: 'json', description: 'Weather report', parameters: { type: 'object', properties: { elements: { type: 'array' } } } },
}

function streamedText(chunks: ChatChunk[]): string {
  return chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')
}

function serveRecordedJson(name: string) {
  return serveMessages(server, () => HttpResponse.json(recordedJson('anthropic', name)))
}

function serveRecordedStream(name: string) {
  return serveMessages(server, () => anthropicSse(recordedChunks('anthropic', name)))
}

describe('anthropic: recorded text', () => {
  it('replays the non-streamed answer', async () => {
    const requests = serveRecordedJson('anthropic-text')
    const result = await router().chat(hello)
    expect(result.choices[0]!.message.content).toBe(
      "Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything I can help you with?",
    )
    expect(result.choices[0]!.finish_reason).toBe('stop')
    expect(result.id).toBe('msg_01VdEjxAP5ahtHKrrRdNBteQ')
    expect(result.tokens).toMatchObject({ inputTokens: 12, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 29 })
    expect(result.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 29 })
    expect(result.route.provider).toBe('anthropic')
    expect(requests[0]!.body.stream).toBe(false)
    expect(requests[0]!.headers.get('authorization')).toBe(`Bearer ${testApiKey}`)
  })

  it('replays the streamed answer, with usage from message_start and message_delta', async () => {
    const requests = serveRecordedStream('anthropic-text')
    const stream = router().stream(hello)
    const chunks = await collect(stream)
    expect(streamedText(chunks)).toBe(
      "Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?",
    )
    const result = await stream.finalResult()
    expect(result.choices[0]!.finish_reason).toBe('stop')
    expect(result.tokens).toMatchObject({ inputTokens: 12, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 30 })
    expect(chunks.at(-1)!.tokens).toMatchObject({ inputTokens: 12, outputTokens: 30 })
    expect(requests[0]!.body.stream).toBe(true)
  })
})

describe('anthropic: recorded tool call', () => {
  const request: ChatRequest = {
    model: 'anthropic/claude-haiku-4-5',
    messages: [{ role: 'user', content: 'Weather in San Francisco?' }],
    tools: [weatherTool],
  }

  it('replays the non-streamed tool_use block as a tool call', async () => {
    serveRecordedJson('anthropic-json-tool.1')
    const result = await router().chat(request)
    const message = result.choices[0]!.message
    expect(message.content).toBeNull()
    expect(message.tool_calls).toHaveLength(1)
    expect(message.tool_calls![0]!.id).toBe('toolu_01Q9ExVZnzZj7E2QQYHYtNUa')
    expect(message.tool_calls![0]!.function.name).toBe('json')
    expect(JSON.parse(message.tool_calls![0]!.function.arguments)).toEqual(recordedJson('anthropic', 'anthropic-json-tool.1').content[0].input)
    expect(result.choices[0]!.finish_reason).toBe('tool_calls')
    expect(result.tokens).toMatchObject({ inputTokens: 1151, outputTokens: 87, cacheReadTokens: 0, cacheWriteTokens: 0 })
  })

  it('replays the input_json_delta stream as tool-call chunks', async () => {
    serveRecordedStream('anthropic-json-tool.1')
    const stream = router().stream(request)
    const chunks = await collect(stream)
    const toolDeltas = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? [])
    expect(toolDeltas[0]).toMatchObject({ index: 0, id: 'toolu_01KFbKqPYSuAKujiL6mTfzYA', type: 'function', function: { name: 'json' } })
    expect(toolDeltas.map((delta) => delta.function?.arguments ?? '').join('')).toBe(
      '{"elements": [{"location": "San Francisco", "temperature": 58, "condition": "sunny"}]}',
    )
    const result = await stream.finalResult()
    const call = result.choices[0]!.message.tool_calls![0]!
    expect(call.id).toBe('toolu_01KFbKqPYSuAKujiL6mTfzYA')
    expect(JSON.parse(call.function.arguments)).toEqual({ elements: [{ location: 'San Francisco', temperature: 58, condition: 'sunny' }] })
    expect(result.choices[0]!.finish_reason).toBe('tool_calls')
    expect(result.tokens).toMatchObject({ inputTokens: 849, outputTokens: 47, cacheReadTokens: 0, cacheWriteTokens: 0 })
  })

  // The recording is the forced-tool JSON emulation; on a model without native structured
  // output the adapter sends the same thing and returns the tool input as the text answer.
  const jsonRequest: ChatRequest = {
    model: 'anthropic/claude-sonnet-4-0',
    messages: [{ role: 'user', content: 'Weather in four cities?' }],
    response_format: { type: 'json_schema', json_schema: { name: 'weather', schema: { type: 'object', properties: { elements: { type: 'array' } }, required: ['elements'] } } },
  }

  it('returns emulated JSON output as text content (non-streamed)', async () => {
    const requests = serveRecordedJson('anthropic-json-tool.1')
    const result = await router().chat(jsonRequest)
    const message = result.choices[0]!.message
    expect(message.tool_calls).toBeUndefined()
    expect(JSON.parse(message.content!)).toEqual(recordedJson('anthropic', 'anthropic-json-tool.1').content[0].input)
    expect(result.choices[0]!.finish_reason).toBe('stop')
    expect(requests[0]!.body.tools).toEqual([
      { name: 'json', description: 'Respond with the answer as this JSON object.', input_schema: { type: 'object', properties: { elements: { type: 'array' } }, required: ['elements'] } },
    ])
    expect(requests[0]!.body.tool_choice).toEqual({ type: 'tool', name: 'json' })
    expect(requests[0]!.body.output_config).toBeUndefined()
  })

  it('returns emulated JSON output as text deltas (streamed)', async () => {
    serveRecordedStream('anthropic-json-tool.1')
    const stream = router().stream(jsonRequest)
    const chunks = await collect(stream)
    expect(chunks.some((chunk) => chunk.choices[0]?.delta.tool_calls)).toBe(false)
    expect(JSON.parse(streamedText(chunks))).toEqual({ elements: [{ location: 'San Francisco', temperature: 58, condition: 'sunny' }] })
    const result = await stream.finalResult()
    expect(result.choices[0]!.finish_reason).toBe('stop')
    expect(result.tokens).toMatchObject({ inputTokens: 849, outputTokens: 47 })
  })
})

describe('anthropic: recorded refusal', () => {
  const request: ChatRequest = { model: 'anthropic/claude-fable-5', messages: [{ role: 'user', content: 'something disallowed' }] }

  it('replays the non-streamed refusal as content_filter', async () => {
    serveRecordedJson('anthropic-refusal')
    const result = await router().chat(request)
    expect(result.choices[0]!.message.content).toBeNull()
    expect(result.choices[0]!.message.tool_calls).toBeUndefined()
    expect(result.choices[0]!.finish_reason).toBe('content_filter')
    expect(result.tokens).toMatchObject({ inputTokens: 18, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 })
  })

  it('replays the streamed refusal as content_filter', async () => {
    serveRecordedStream('anthropic-refusal')
    const stream = router().stream(request)
    const chunks = await collect(stream)
    expect(streamedText(chunks)).toBe('')
    const result = await stream.finalResult()
    expect(result.choices[0]!.finish_reason).toBe('content_filter')
    expect(result.tokens).toMatchObject({ inputTokens: 18, outputTokens: 5 })
  })
})
