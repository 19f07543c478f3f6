import { describe, expect, it } from 'vitest'
import { createRouter, mockProvider } from '../../src/index.js'
import { openAIChunkWriter } from '../../src/facades/openai-chunk-json.js'
import type { OpenAIChatCompletionChunk } from '../../src/facades/openai-types.js'
import { recordedChunks } from '../helpers/recordings.js'

/** Every chunk written by one writer, in order, as a stream's chunks are. */
function written(chunks: readonly unknown[]): string[] {
  const write = openAIChunkWriter()
  return chunks.map((chunk) => write(chunk as OpenAIChatCompletionChunk))
}

async function facadeChunks(reply: Parameters<typeof mockProvider>[0]['models'][string], includeUsage: boolean): Promise<OpenAIChatCompletionChunk[]> {
  const router = createRouter({ providers: [mockProvider({ id: 'mock', models: { chat: reply } })] })
  const chunks: OpenAIChatCompletionChunk[] = []
  const stream = await router.openai.chat.completions.create({ model: 'mock/chat', messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: includeUsage } })
  for await (const chunk of stream) chunks.push(chunk)
  return chunks
}

describe('openAIChunkWriter: the same JSON text as JSON.stringify', () => {
  it('for the chunks the OpenAI facade streams: text, role, finish, usage, cost and route', async () => {
    for (const includeUsage of [true, false]) {
      const chunks = await facadeChunks({ text: 'Hello "there", line\nnext \u2028 é 😀 \\ end' }, includeUsage)
      expect(chunks.length).toBeGreaterThan(3)
      expect(written(chunks)).toEqual(chunks.map((chunk) => JSON.stringify(chunk)))
    }
  })

  it('for tool calls and reasoning', async () => {
    const chunks = await facadeChunks({ reasoning: 'Think first.', toolCalls: [{ id: 'call_1', name: 'lookup', arguments: { city: 'Paris' } }] }, true)
    expect(chunks.some((chunk) => chunk.choices[0]?.delta.tool_calls)).toBe(true)
    expect(written(chunks)).toEqual(chunks.map((chunk) => JSON.stringify(chunk)))
  })

  it('for recorded OpenAI wire chunks, whose extra fields (system_fingerprint, service_tier) it must keep', () => {
    const chunks = recordedChunks('openai', 'openai-text')
    expect(written(chunks)).toEqual(chunks.map((chunk) => JSON.stringify(chunk)))
  })

  it('for chunks whose frame changes, keys come in another order, or values are not strings', () => {
    const frame = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'openai/gpt-4o' }
    const choice = (delta: unknown, finishReason: unknown = null, index: unknown = 0) => ({ index, delta, finish_reason: finishReason, logprobs: null })
    const chunks: unknown[] = [
      { ...frame, choices: [choice({ content: 'a' })], usage: null },
      { ...frame, id: 'chatcmpl-2', choices: [choice({ content: 'b' })], usage: null },
      { ...frame, model: 'other/model', choices: [choice({ content: 'c' })] },
      { ...frame, created: 1_700_000_001, choices: [choice({ role: 'assistant', content: '' })] },
      { ...frame, choices: [choice({}, 'stop')] },
      { ...frame, choices: [choice({ content: null })] },
      { ...frame, choices: [choice({ content: undefined })] },
      { ...frame, choices: [choice({ content: 'x' }, null, 2)] },
      { ...frame, choices: [choice(null)] },
      { ...frame, choices: [choice(['x'])] },
      { ...frame, choices: [{ delta: { content: 'x' }, index: 0, finish_reason: null, logprobs: null }] },
      { ...frame, choices: [{ ...choice({ content: 'x' }), extra: true }] },
      { ...frame, choices: [choice({ content: 'x' }), choice({ content: 'y' }, null, 1)] },
      { ...frame, choices: [] },
      { model: frame.model, id: frame.id, object: frame.object, created: frame.created, choices: [choice({ content: 'x' })] },
      { ...frame, choices: [choice({ content: 'x' })], usage: undefined },
      { ...frame, choices: [choice({ content: 'x' })], usage: null, provider_metadata: { a: 1 } },
      { ...frame, created: Number.NaN, choices: [choice({ content: 'x' })] },
      { ...frame, choices: [{ ...choice({ content: 'x' }), logprobs: { content: [] } }] },
      { ...frame, choices: [choice({ content: 'x', toJSON: () => 'replaced' })] },
    ]
    expect(written(chunks)).toEqual(chunks.map((chunk) => JSON.stringify(chunk)))
  })
})
