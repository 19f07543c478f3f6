import { HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { createRouter, mistral, type FunctionTool } from '../../../src/index.js'
import { holidayMessages } from '../../helpers/chat-fixtures.js'
import { useMswServer } from '../../helpers/msw.js'
import { collectWithResult } from '../../helpers/streams.js'
import { recordedChunks, recordedJson, sseResponse } from '../../helpers/recordings.js'
import { mistralTestKey, serveMistral } from './mistral-handlers.js'

const server = useMswServer()
const messages = holidayMessages
const weatherTool: FunctionTool = {
  type: 'function',
  function: { name: 'weather', description: 'Weather at a location', parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] } },
}

// mistral-small-latest in the catalog: 0.10 USD input and 0.30 USD output per million tokens.
const smallInput = 0.1
const smallOutput = 0.3

function router() {
  return createRouter({ providers: [mistral({ apiKey: mistralTestKey })], routes: { small: 'mistral/mistral-small-latest' } })
}

describe('mistral adapter replaying recorded traffic through @mistralai/mistralai', () => {
  it('returns the recorded text completion with its usage, finish reason and cost', async () => {
    const recorded = recordedJson('mistral', 'mistral-text')
    const captured = serveMistral(server, 'chat/completions', () => HttpResponse.json(recorded))
    const result = await router().chat({ model: 'small', messages })

    expect(captured).toHaveLength(1)
    expect(captured[0]!.body.stream).toBe(false)
    expect(captured[0]!.headers.get('authorization')).toBe(`Bearer ${mistralTestKey}`)
    expect(result.model).toBe('mistral/mistral-small-latest')
    expect(result.choices[0]!.message.content).toBe(recorded.choices[0].message.content)
    expect(result.choices[0]!.message.tool_calls).toBeUndefined()
    expect(result.choices[0]!.finish_reason).toBe('stop')
    expect(result.tokens).toMatchObject({ inputTokens: 13, cacheReadTokens: 0, outputTokens: 434 })
    expect(result.usage).toMatchObject({ prompt_tokens: 13, completion_tokens: 434, total_tokens: 447 })
    // 13 × 0.10 / 1e6 + 434 × 0.30 / 1e6 = 0.0000013 + 0.0001302
    expect(result.cost.input).toBeCloseTo((13 * smallInput) / 1e6, 12)
    expect(result.cost.output).toBeCloseTo((434 * smallOutput) / 1e6, 12)
    expect(result.cost.total).toBeCloseTo(0.0001315, 12)
    expect(result.route).toMatchObject({ name: 'small', provider: 'mistral', model: 'mistral-small-latest' })
  })

  it('returns the recorded tool call: id, name, parsed arguments, usage and finish reason', async () => {
    const recorded = recordedJson('mistral', 'mistral-tool-call')
    serveMistral(server, 'chat/completions', () => HttpResponse.json(recorded))
    const result = await router().chat({ model: 'small', messages: [{ role: 'user', content: 'Weather in San Francisco?' }], tools: [weatherTool] })

    const message = result.choices[0]!.message
    expect(message.content).toBeNull()
    expect(message.tool_calls).toHaveLength(1)
    expect(message.tool_calls![0]).toMatchObject({ id: 'gSIMJiOkT', type: 'function', function: { name: 'weather' } })
    expect(JSON.parse(message.tool_calls![0]!.function.arguments)).toEqual({ location: 'San Francisco' })
    expect(result.choices[0]!.finish_reason).toBe('tool_calls')
    expect(result.usage).toMatchObject({ prompt_tokens: 124, completion_tokens: 22, total_tokens: 146 })
    expect(result.cost.total).toBeCloseTo((124 * smallInput + 22 * smallOutput) / 1e6, 12)
  })

  it('streams the recorded text chunks; the last chunk carries the recorded usage and cost', async () => {
    const recorded = recordedChunks('mistral', 'mistral-text')
    const captured = serveMistral(server, 'chat/completions', () => sseResponse(recorded, { done: true }))
    const { chunks, result } = await collectWithResult(router().stream({ model: 'small', messages }))

    expect(captured[0]!.body.stream).toBe(true)
    const recordedText = recorded.map((chunk) => chunk.choices[0].delta.content ?? '').join('')
    expect(recordedText).toBe('Hello, world! This is a test response.')
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(recordedText)
    expect(chunks.find((chunk) => chunk.choices[0]?.finish_reason)?.choices[0]!.finish_reason).toBe('stop')
    const last = chunks.at(-1)!
    expect(last.usage).toMatchObject({ prompt_tokens: 13, completion_tokens: 8, total_tokens: 21 })
    expect(last.cost!.total).toBeCloseTo((13 * smallInput + 8 * smallOutput) / 1e6, 12)
    expect(result.choices[0]!.message.content).toBe(recordedText)
  })

  it('streams the recorded tool call (sent whole, without an index) as one complete call', async () => {
    const recorded = recordedChunks('mistral', 'mistral-tool-call')
    serveMistral(server, 'chat/completions', () => sseResponse(recorded, { done: true }))
    const { chunks, result } = await collectWithResult(router().stream({ model: 'small', messages: [{ role: 'user', content: 'Weather in San Francisco?' }], tools: [weatherTool] }))

    const deltas = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? [])
    expect(deltas[0]).toMatchObject({ index: 0, id: 'gSIMJiOkT', type: 'function', function: { name: 'weather' } })
    expect(JSON.parse(deltas.map((delta) => delta.function?.arguments ?? '').join(''))).toEqual({ location: 'San Francisco' })
    const call = result.choices[0]!.message.tool_calls![0]!
    expect(call).toMatchObject({ id: 'gSIMJiOkT', function: { name: 'weather' } })
    expect(JSON.parse(call.function.arguments)).toEqual({ location: 'San Francisco' })
    expect(result.choices[0]!.message.tool_calls).toHaveLength(1)
    expect(result.choices[0]!.finish_reason).toBe('tool_calls')
    expect(result.usage).toMatchObject({ prompt_tokens: 124, completion_tokens: 22, total_tokens: 146 })
    expect(result.cost.total).toBeCloseTo((124 * smallInput + 22 * smallOutput) / 1e6, 12)
  })
})
