import { describe, expect, it } from 'vitest'
import { AbortedError, createRouter, mockProvider, StreamConsumedError, SwitchyardError } from '../../src/index.js'

function router() {
  return createRouter({ providers: [mockProvider({ id: 'mock', models: { chat: 'one two three four' } })] })
}
const request = { model: 'mock/chat', messages: [{ role: 'user' as const, content: 'Hi' }] }

describe('ChatStream misuse fails with typed errors', () => {
  it('a second iteration throws StreamConsumedError', async () => {
    const stream = router().stream(request)
    for await (const _chunk of stream) void _chunk
    const error = await (async () => {
      for await (const _chunk of stream) void _chunk
    })().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(StreamConsumedError)
    expect(error).toBeInstanceOf(SwitchyardError)
    expect((error as SwitchyardError).code).toBe('stream_consumed')
  })

  it('finalResult() after the consumer stopped early rejects with AbortedError', async () => {
    const stream = router().stream(request)
    for await (const _chunk of stream) break
    const error = await stream.finalResult().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(AbortedError)
    expect(error).toBeInstanceOf(SwitchyardError)
  })
})
