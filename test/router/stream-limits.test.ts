import { describe, expect, it, vi } from 'vitest'
import { createRouter, fallback, mockProvider, race, StreamInterruptedError, TimeoutError, type ChatChunk } from '../../src/index.js'
import { useMswServer } from '../helpers/msw.js'
import { anthropicWire } from '../helpers/provider-wire/anthropic-wire.js'
import { googleWire } from '../helpers/provider-wire/google-wire.js'
import { openAIWire } from '../helpers/provider-wire/openai-wire.js'

const messages = [{ role: 'user' as const, content: 'Hi' }]

async function readAll(stream: AsyncIterable<ChatChunk>): Promise<{ text: string; error: unknown }> {
  let text = ''
  try {
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? ''
  } catch (error) {
    return { text, error }
  }
  return { text, error: undefined }
}

/** A stream that answers a few words, then stalls until the router gives up on it. */
const stalling = { text: 'one two three four', chunkDelayMs: 60_000 }

describe('a stream that stalls after its first token ends, with its partial output', () => {
  const server = useMswServer()

  for (const wire of [openAIWire, anthropicWire, googleWire]) {
    it(`${wire.provider}: the real SDK's stream goes quiet → StreamInterruptedError after streams.idleTimeoutMs, and the HTTP request is aborted`, async () => {
      const chunks = wire.text().chunks as unknown[]
      // Everything up to the first text, then silence with the connection open.
      const anthropicText = chunks.findIndex((chunk) => JSON.stringify(chunk).includes('text_delta'))
      const sent = anthropicText >= 0 ? anthropicText + 1 : Math.min(3, chunks.length - 1)
      const calls = wire.serveChat(server, (call) => wire.hangingStreamResponse(chunks.slice(0, sent), call.signal))
      const router = createRouter({ providers: [wire.create()], routes: { once: fallback([`${wire.provider}/${wire.model}`], { retries: 0 }) }, streams: { idleTimeoutMs: 300 } })
      const { error } = await readAll(router.stream({ model: 'once', messages }))
      expect(error).toBeInstanceOf(StreamInterruptedError)
      expect((error as StreamInterruptedError).cause).toBeInstanceOf(TimeoutError)
      expect((error as Error).message).toMatch(/sent nothing for 300 ms/)
      await vi.waitFor(() => expect(calls[0]!.signal.aborted).toBe(true), { timeout: 5_000 })
    })
  }

  it('keeps the partial output on the error (mock provider)', async () => {
    const router = createRouter({ providers: [mockProvider({ id: 'mock', models: { slow: stalling } })], streams: { idleTimeoutMs: 100 } })
    const { text, error } = await readAll(router.stream({ model: 'mock/slow', messages }))
    expect(error).toBeInstanceOf(StreamInterruptedError)
    expect(text).toBe('one ')
    expect((error as StreamInterruptedError).partialText).toBe('one ')
  })

  it('as the winner of a race', async () => {
    const router = createRouter({
      providers: [mockProvider({ id: 'mock', models: { fast: stalling, slow: { text: 'late', latencyMs: 5_000 } } })],
      routes: { first: race(['mock/fast', 'mock/slow']) },
      streams: { idleTimeoutMs: 100 },
    })
    const { text, error } = await readAll(router.stream({ model: 'first', messages }))
    expect(error).toBeInstanceOf(StreamInterruptedError)
    expect(text).toBe('one ')
  })

  it('through router.fetch: the SSE stream ends with the dialect\'s error event instead of hanging', async () => {
    const router = createRouter({ providers: [mockProvider({ id: 'mock', models: { slow: stalling } })], streams: { idleTimeoutMs: 100 } })
    const response = await router.fetch('http://switchyard.local/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'mock/slow', messages, stream: true }),
    })
    const events = (await response.text()).split('\n\n').filter(Boolean)
    expect(JSON.parse(events.at(-1)!.slice('data: '.length))).toMatchObject({ error: { code: 'stream_interrupted' } })
  })

  it('streams.deadlineMs bounds a stream that keeps trickling', async () => {
    const trickle = { text: Array.from({ length: 50 }, (_, index) => `w${index}`).join(' '), chunkDelayMs: 40 }
    const router = createRouter({ providers: [mockProvider({ id: 'mock', models: { trickle } })], streams: { idleTimeoutMs: 1_000, deadlineMs: 300 } })
    const { text, error } = await readAll(router.stream({ model: 'mock/trickle', messages }))
    expect(error).toBeInstanceOf(StreamInterruptedError)
    expect((error as Error).message).toMatch(/deadline/)
    expect(text.length).toBeGreaterThan(0)
  })

  it('streams of one router at once, on its one idle timer: the one that stalls ends on time, the others are untouched', async () => {
    const router = createRouter({
      providers: [mockProvider({ id: 'mock', models: { slow: stalling, paced: { text: 'a b c d e f g h', chunkDelayMs: 40 } } })],
      streams: { idleTimeoutMs: 150 },
    })
    const started = performance.now()
    const stalled = readAll(router.stream({ model: 'mock/slow', messages })).then((outcome) => ({ ...outcome, at: performance.now() - started }))
    // Started later than the stalled one, and still reading when its timeout fires.
    await new Promise((resolve) => setTimeout(resolve, 60))
    const [first, second] = await Promise.all([readAll(router.stream({ model: 'mock/paced', messages })), readAll(router.stream({ model: 'mock/paced', messages }))])
    const quiet = await stalled
    expect(quiet.error).toBeInstanceOf(StreamInterruptedError)
    expect(quiet.text).toBe('one ')
    // Not before its pending read waited the whole timeout (the paced streams' reads kept the timer busy meanwhile).
    expect(quiet.at).toBeGreaterThanOrEqual(140)
    expect(first).toEqual({ text: 'a b c d e f g h', error: undefined })
    expect(second).toEqual({ text: 'a b c d e f g h', error: undefined })
  })

  it('a healthy stream with pauses shorter than the idle timeout is untouched', async () => {
    const router = createRouter({ providers: [mockProvider({ id: 'mock', models: { paced: { text: 'a b c d', chunkDelayMs: 50 } } })], streams: { idleTimeoutMs: 500 } })
    const { text, error } = await readAll(router.stream({ model: 'mock/paced', messages }))
    expect(error).toBeUndefined()
    expect(text).toBe('a b c d')
  })

  it('rejects malformed stream options at createRouter()', () => {
    const providers = [mockProvider({ models: { a: 'x' } })]
    expect(() => createRouter({ providers, streams: { idleTimeoutMs: -1 } })).toThrow(/streams\.idleTimeoutMs/)
    expect(() => createRouter({ providers, streams: { deadlineMs: 0 } })).toThrow(/streams\.deadlineMs/)
  })
})
