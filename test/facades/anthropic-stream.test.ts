import { describe, expect, it } from 'vitest'
import { AnthropicStreamTranslator } from '../../src/facades/anthropic-stream.js'
import type { ChatChunk, ChatChunkDelta } from '../../src/index.js'

function chunk(delta: ChatChunkDelta, finishReason: ChatChunk['choices'][0]['finish_reason'] = null): ChatChunk {
  return { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'mock/m', choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }] }
}

describe('AnthropicStreamTranslator', () => {
  it('opens one block per kind in turn and addresses late tool arguments to their own block', () => {
    const translator = new AnthropicStreamTranslator('mock/m')
    const events = [
      chunk({ role: 'assistant', reasoning: 'Plan.' }),
      chunk({ content: 'Calling two tools.' }),
      chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'first', arguments: '{"a":' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'second', arguments: '{}' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '1}' } }] }),
      chunk({}, 'tool_calls'),
    ].flatMap((item) => translator.push(item))
    expect(events.map((event) => [event.type, 'index' in event ? event.index : undefined])).toEqual([
      ['message_start', undefined],
      ['content_block_start', 0],
      ['content_block_delta', 0],
      ['content_block_stop', 0],
      ['content_block_start', 1],
      ['content_block_delta', 1],
      ['content_block_stop', 1],
      ['content_block_start', 2],
      ['content_block_delta', 2],
      ['content_block_stop', 2],
      ['content_block_start', 3],
      ['content_block_delta', 3],
      ['content_block_delta', 2],
    ])
    const toolArguments = events.filter((event) => event.type === 'content_block_delta' && event.index === 2).map((event) => (event as { delta: { partial_json: string } }).delta.partial_json)
    expect(toolArguments.join('')).toBe('{"a":1}')
  })
})
