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

describe('ChatStream finalResult()', () => {
  it('asked for while the stream is read, before its end, resolves with the result the last chunk carries', async () => {
    const stream = router().stream(request)
    const iterator = stream[Symbol.asyncIterator]()
    await iterator.next()
    const result = stream.finalResult()
    let last: { cost?: unknown } | undefined
    for (let step = await iterator.next(); !step.done; step = await iterator.next()) last = step.value
    const final = await result
    expect(final.choices[0]!.message.content).toBe('one two three four')
    expect(final.cost).toEqual(last?.cost)
    expect(await stream.finalResult()).toBe(final)
  })

  it('asked for after the end resolves with the same result every time', async () => {
    const stream = router().stream(request)
    for await (const _chunk of stream) void _chunk
    const first = await stream.finalResult()
    expect(first.choices[0]!.message.content).toBe('one two three four')
    expect(await stream.finalResult()).toBe(first)
  })
})

describe('ChatStream read through its iterator by hand', () => {
  it('next() called again before the last one settled takes the chunks in turn, as a generator would', async () => {
    const iterator = router().stream(request)[Symbol.asyncIterator]()
    const results = await Promise.all([iterator.next(), iterator.next(), iterator.next(), iterator.next(), iterator.next(), iterator.next(), iterator.next()])
    const texts = results.filter((result) => !result.done && result.value.choices.length > 0).map((result) => result.value.choices[0]!.delta.content ?? '')
    expect(texts.join('')).toBe('one two three four')
    const last = results.find((result) => !result.done && result.value.choices.length === 0)
    expect(last?.value.route?.provider).toBe('mock')
    expect(results.at(-1)).toEqual({ value: undefined, done: true })
  })

  it('return() while a next() is pending waits for it, then ends the call as aborted', async () => {
    const events: string[] = []
    const routed = router()
    routed.on((event) => {
      if (event.type === 'call-end') events.push(event.outcome)
    })
    const stream = routed.stream(request)
    const iterator = stream[Symbol.asyncIterator]()
    const first = iterator.next()
    const returned = iterator.return!()
    expect((await first).done).toBe(false)
    expect(await returned).toEqual({ value: undefined, done: true })
    expect(await iterator.next()).toEqual({ value: undefined, done: true })
    expect(events).toEqual(['error'])
    await expect(stream.finalResult()).rejects.toBeInstanceOf(AbortedError)
  })
})
