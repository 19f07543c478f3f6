import { describe, expect, it } from 'vitest'
import { StreamAssembler } from '../../src/internal/stream-assembler.js'
import { responseEvents } from '../../src/router/response-events.js'
import type { ModelResponse } from '../../src/spec/response.js'
import type { StreamEvent } from '../../src/spec/stream-event.js'
import type { Usage } from '../../src/spec/usage.js'

const usage: Usage = { inputTokens: 7, cacheReadTokens: 2, cacheWriteTokens: 0, outputTokens: 5, reasoningTokens: 1 }

function assemble(events: StreamEvent[]) {
  const assembler = new StreamAssembler('chunk-id', 1_700_000_000, 'p/m')
  const emitted = events.map((event) => assembler.push(event))
  return { assembler, emitted, chunks: emitted.filter((chunk) => chunk !== undefined) }
}

describe('StreamAssembler', () => {
  it('turns text deltas into OpenAI chunks (role on the first), and the finish into the finishing chunk', () => {
    const { assembler, emitted, chunks } = assemble([
      { type: 'response-start', id: 'resp-1', model: 'm-2025' },
      { type: 'text-delta', text: 'Hel' },
      { type: 'text-delta', text: '' },
      { type: 'text-delta', text: 'lo' },
      { type: 'finish', finishReason: 'stop', usage },
    ])
    // response-start and the empty delta produce no chunk.
    expect(emitted.map((chunk) => chunk !== undefined)).toEqual([false, true, false, true, true])
    expect(chunks.map((chunk) => chunk.choices[0]!.delta)).toEqual([{ role: 'assistant', content: 'Hel' }, { content: 'lo' }, {}])
    expect(chunks.map((chunk) => chunk.choices[0]!.finish_reason)).toEqual([null, null, 'stop'])
    expect(chunks.every((chunk) => chunk.id === 'chunk-id' && chunk.model === 'p/m' && chunk.created === 1_700_000_000)).toBe(true)
    expect(assembler.finished).toBe(true)
    expect(assembler.partialText).toBe('Hello')
    expect(assembler.chunks).toEqual(chunks)
    expect(assembler.response()).toEqual({ id: 'resp-1', model: 'm-2025', message: { role: 'assistant', content: 'Hello' }, finishReason: 'stop', usage })
  })

  it('streams tool calls by index, sends only the argument text not streamed yet, and orders them in the response', () => {
    const { assembler, chunks } = assemble([
      { type: 'tool-call-start', index: 1, id: 'call-b', name: 'second' },
      { type: 'tool-call-start', index: 0, id: 'call-a', name: 'first' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"x":' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '' },
      { type: 'tool-call-end', index: 1, id: 'call-b', name: 'second', arguments: '{"x":1}' },
      { type: 'tool-call-end', index: 0, id: 'call-a', name: 'first', arguments: '{}' },
      { type: 'finish', finishReason: 'tool_calls', usage },
    ])
    expect(chunks.map((chunk) => chunk.choices[0]!.delta.tool_calls)).toEqual([
      [{ index: 1, id: 'call-b', type: 'function', function: { name: 'second', arguments: '' } }],
      [{ index: 0, id: 'call-a', type: 'function', function: { name: 'first', arguments: '' } }],
      [{ index: 1, function: { arguments: '{"x":' } }],
      [{ index: 1, function: { arguments: '1}' } }],
      [{ index: 0, function: { arguments: '{}' } }],
      undefined,
    ])
    const response = assembler.response()
    expect(response.message.content).toBeNull()
    expect(response.message.tool_calls).toEqual([
      { id: 'call-a', type: 'function', function: { name: 'first', arguments: '{}' } },
      { id: 'call-b', type: 'function', function: { name: 'second', arguments: '{"x":1}' } },
    ])
  })

  it('starts and finishes a tool call sent whole in one chunk', () => {
    const { chunks, assembler } = assemble([{ type: 'tool-call-end', index: 0, id: 'whole', name: 'lookup', arguments: '{"q":"paris"}' }])
    expect(chunks).toHaveLength(1)
    expect(chunks[0]!.choices[0]!.delta).toEqual({
      role: 'assistant',
      tool_calls: [{ index: 0, id: 'whole', type: 'function', function: { name: 'lookup', arguments: '{"q":"paris"}' } }],
    })
    expect(assembler.chunks).toHaveLength(1)
  })

  it('keeps reasoning, refusal and provider data; without a finish it is unfinished and guesses no usage', () => {
    const { assembler, chunks } = assemble([
      { type: 'reasoning-delta', text: 'thinking' },
      { type: 'provider-data', data: { anthropic: { signature: 's1' } } },
      { type: 'provider-data', data: { other: 1 } },
      { type: 'refusal-delta', text: 'I cannot' },
    ])
    expect(chunks.map((chunk) => chunk.choices[0]!.delta)).toEqual([{ role: 'assistant', reasoning: 'thinking' }, { refusal: 'I cannot' }])
    expect(assembler.finished).toBe(false)
    const response = assembler.response()
    expect(response.message).toEqual({ role: 'assistant', content: '', reasoning: 'thinking', refusal: 'I cannot', provider_data: { anthropic: { signature: 's1' }, other: 1 } })
    expect(response.finishReason).toBe('stop')
    expect(response.id).toBe('chunk-id')
    expect(response.usage).toEqual({ inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 })
  })

  it('assembles the events of a whole response back into that response', () => {
    const response: ModelResponse = {
      id: 'r',
      model: 'm',
      message: {
        role: 'assistant',
        content: 'Here you go',
        reasoning: 'first I think',
        tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
        provider_data: { google: { textSignature: 'sig' } },
      },
      finishReason: 'tool_calls',
      usage,
      providerMetadata: { system_fingerprint: 'fp' },
    }
    expect(assemble(responseEvents(response)).assembler.response()).toEqual(response)
  })
})
