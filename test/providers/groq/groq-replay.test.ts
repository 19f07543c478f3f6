import { HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { createRouter, groq, type FunctionTool } from '../../../src/index.js'
import { holidayMessages } from '../../helpers/chat-fixtures.js'
import { useMswServer } from '../../helpers/msw.js'
import { collectWithResult } from '../../helpers/streams.js'
import { serveChatCompletions } from '../../helpers/openai-handlers.js'
import { recordedChunks, recordedJson, sseResponse } from '../../helpers/recordings.js'
import { groqBaseURL, groqTestKey } from './groq-handlers.js'

const server = useMswServer()
const messages = holidayMessages
const weatherTool: FunctionTool = { type: 'function', function: { name: 'weather', description: 'The weather here' } }

// llama-3.3-70b-versatile in the catalog: 0.59 USD input and 0.79 USD output per million tokens.
const llamaInput = 0.59
const llamaOutput = 0.79

function router() {
  return createRouter({ providers: [groq({ apiKey: groqTestKey })], routes: { llama: 'groq/llama-3.3-70b-versatile' } })
}

describe('groq adapter replaying recorded traffic through groq-sdk', () => {
  it('returns the recorded text completion with its usage, finish reason and cost', async () => {
    const recorded = recordedJson('groq', 'groq-text')
    const captured = serveChatCompletions(server, () => HttpResponse.json(recorded), groqBaseURL)
    const result = await router().chat({ model: 'llama', messages })

    expect(captured[0]!.url).toBe('https://api.groq.com/openai/v1/chat/completions')
    expect(captured[0]!.headers.get('authorization')).toBe(`Bearer ${groqTestKey}`)
    expect(captured[0]!.body.stream).toBe(false)
    expect(result.model).toBe('groq/llama-3.3-70b-versatile')
    expect(result.choices[0]!.message.content).toBe(recorded.choices[0].message.content)
    expect(result.choices[0]!.finish_reason).toBe('stop')
    expect(result.tokens).toMatchObject({ inputTokens: 45, cacheReadTokens: 0, outputTokens: 607 })
    expect(result.usage).toMatchObject({ prompt_tokens: 45, completion_tokens: 607, total_tokens: 652 })
    // 45 × 0.59 / 1e6 = 0.00002655 input; 607 × 0.79 / 1e6 = 0.00047953 output.
    expect(result.cost.input).toBeCloseTo((45 * llamaInput) / 1e6, 12)
    expect(result.cost.output).toBeCloseTo((607 * llamaOutput) / 1e6, 12)
    expect(result.cost.total).toBeCloseTo(0.00050608, 12)
    expect(result.route).toMatchObject({ name: 'llama', provider: 'groq', model: 'llama-3.3-70b-versatile' })
  })

  it('returns the recorded no-argument tool call: id, name, arguments, usage and finish reason', async () => {
    const recorded = recordedJson('groq', 'groq-tool-call')
    serveChatCompletions(server, () => HttpResponse.json(recorded), groqBaseURL)
    const result = await router().chat({ model: 'llama', messages: [{ role: 'user', content: 'What is the weather?' }], tools: [weatherTool] })

    const message = result.choices[0]!.message
    expect(message.content).toBeNull()
    expect(message.tool_calls).toHaveLength(1)
    expect(message.tool_calls![0]).toMatchObject({ id: 'ax9fskhev', type: 'function', function: { name: 'weather' } })
    expect(JSON.parse(message.tool_calls![0]!.function.arguments)).toEqual({})
    expect(result.choices[0]!.finish_reason).toBe('tool_calls')
    expect(result.usage).toMatchObject({ prompt_tokens: 218, completion_tokens: 15, total_tokens: 233 })
    expect(result.cost.total).toBeCloseTo((218 * llamaInput + 15 * llamaOutput) / 1e6, 12)
  })

  it('streams the recorded long text; the last chunk carries the recorded usage and cost', async () => {
    const recorded = recordedChunks('groq', 'groq-text')
    const captured = serveChatCompletions(server, () => sseResponse(recorded, { done: true }), groqBaseURL)
    const { chunks, result } = await collectWithResult(router().stream({ model: 'llama', messages }))

    expect(captured[0]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } })
    const recordedText = recorded.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('')
    expect(recordedText.length).toBeGreaterThan(1000)
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(recordedText)
    expect(result.choices[0]!.message.content).toBe(recordedText)
    expect(result.choices[0]!.finish_reason).toBe('stop')
    const last = chunks.at(-1)!
    expect(last.usage).toMatchObject({ prompt_tokens: 45, completion_tokens: 662, total_tokens: 707 })
    expect(last.cost!.total).toBeCloseTo((45 * llamaInput + 662 * llamaOutput) / 1e6, 12)
  })

  it('streams the recorded tool call with its id, name and arguments', async () => {
    const recorded = recordedChunks('groq', 'groq-tool-call')
    serveChatCompletions(server, () => sseResponse(recorded, { done: true }), groqBaseURL)
    const { chunks, result } = await collectWithResult(router().stream({ model: 'llama', messages: [{ role: 'user', content: 'What is the weather?' }], tools: [weatherTool] }))

    const deltas = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? [])
    expect(deltas[0]).toMatchObject({ index: 0, id: 'tk85n1k4m', type: 'function', function: { name: 'weather' } })
    const call = result.choices[0]!.message.tool_calls![0]!
    expect(call).toMatchObject({ id: 'tk85n1k4m', function: { name: 'weather' } })
    expect(JSON.parse(call.function.arguments)).toEqual({})
    expect(result.choices[0]!.finish_reason).toBe('tool_calls')
    expect(result.usage).toMatchObject({ prompt_tokens: 210, completion_tokens: 15, total_tokens: 225 })
    expect(result.cost.total).toBeCloseTo((210 * llamaInput + 15 * llamaOutput) / 1e6, 12)
  })

  it('reads streamed usage from x_groq.usage when the chunk has no top-level usage', async () => {
    // The same recording as Groq sends it without stream_options: usage only inside x_groq.
    const recorded = recordedChunks('groq', 'groq-tool-call').map(({ usage: _usage, ...chunk }) => chunk)
    expect(recorded.at(-1)!.x_groq.usage.prompt_tokens).toBe(210)
    serveChatCompletions(server, () => sseResponse(recorded, { done: true }), groqBaseURL)
    const result = await router()
      .stream({ model: 'llama', messages: [{ role: 'user', content: 'What is the weather?' }], tools: [weatherTool] })
      .finalResult()
    expect(result.usage).toMatchObject({ prompt_tokens: 210, completion_tokens: 15, total_tokens: 225 })
    expect(result.cost.total).toBeCloseTo((210 * llamaInput + 15 * llamaOutput) / 1e6, 12)
  })

  it('keeps x_groq (request id, seed and usage), system_fingerprint and service_tier as provider metadata', async () => {
    const adapter = groq({ apiKey: groqTestKey })
    const signal = new AbortController().signal
    const recordedText = recordedJson('groq', 'groq-text')
    serveChatCompletions(server, () => HttpResponse.json(recordedText), groqBaseURL)
    const response = await adapter.chat({ model: 'llama-3.3-70b-versatile', messages }, { signal })
    expect(response.providerMetadata).toEqual({
      system_fingerprint: 'fp_f8b414701e',
      x_groq: { id: 'req_01kh52m3qqem4sw141xf026ehx', seed: 167346302 },
      service_tier: 'on_demand',
    })

    const recordedStream = recordedChunks('groq', 'groq-tool-call')
    serveChatCompletions(server, () => sseResponse(recordedStream, { done: true }), groqBaseURL)
    const events = []
    for await (const event of adapter.stream({ model: 'llama-3.3-70b-versatile', messages, tools: [weatherTool] }, { signal })) events.push(event)
    const finish = events.at(-1)!
    expect(finish.type).toBe('finish')
    const metadata = (finish as { providerMetadata?: Record<string, any> }).providerMetadata!
    expect(metadata.system_fingerprint).toBe('fp_f8b414701e')
    expect(metadata.x_groq).toMatchObject({ id: 'req_01kh52nj5yfcat8hrmvrk2j2hj', seed: 689520654, usage: { queue_time: 0.041520249, total_tokens: 225 } })
  })
})
