import { describe, expect, it } from 'vitest'
import { AbortedError, ProviderError, createRouter, mockProvider } from '../../src/index.js'
import { neverAbortedSignal } from '../../src/internal/abortable.js'
import { AttemptRecorder } from '../../src/router/attempt-recorder.js'
import { AttemptSignal } from '../../src/router/attempt-signal.js'
import { LiveStreamAttempt } from '../../src/router/live-stream-attempt.js'
import { coreOf } from '../../src/router/router.js'
import type { Attempt } from '../../src/spec/response.js'
import type { StreamEvent } from '../../src/spec/stream-event.js'
import type { Usage } from '../../src/spec/usage.js'

const candidate = { id: 'p/m', provider: 'p', model: 'm' }
const usage: Usage = { inputTokens: 1_000, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 500, reasoningTokens: 0 }
const events: StreamEvent[] = [
  { type: 'text-delta', text: 'one ' },
  { type: 'text-delta', text: 'two ' },
  { type: 'text-delta', text: 'three' },
  { type: 'finish', finishReason: 'stop', usage },
]

/** A provider stream that counts its reads, can fail at one of them and records being closed. */
function providerStream(failAt?: number) {
  const log = { reads: 0, closed: false }
  let index = 1 // the first event is already buffered by the attempt runner
  const iterator: AsyncIterator<StreamEvent> = {
    async next() {
      log.reads += 1
      await new Promise((resolve) => setTimeout(resolve, 1))
      if (index === failAt) throw new ProviderError('connection reset')
      return index < events.length ? { done: false, value: events[index++]! } : { done: true, value: undefined }
    },
    async return() {
      log.closed = true
      return { done: true, value: undefined }
    },
  }
  return { iterator, log }
}

function liveAttempt(failAt?: number) {
  const router = createRouter({ providers: [mockProvider({ id: 'p', models: { m: 'x' } })], prices: { 'p/m': { input: 1, output: 2 } } })
  const record: Attempt = { provider: 'p', model: 'm', latencyMs: 0, outcome: 'success' }
  const signal = new AttemptSignal(neverAbortedSignal(), undefined, undefined)
  const recorder = new AttemptRecorder(coreOf(router), candidate, record, null, { callId: 'call-1' }, undefined, 1, undefined)
  const { iterator, log } = providerStream(failAt)
  const live = new LiveStreamAttempt(candidate, record, [events[0]!], iterator, signal, recorder)
  return { live, log, record }
}

async function collect(source: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const received: StreamEvent[] = []
  for await (const event of source) received.push(event)
  return received
}

describe('LiveStreamAttempt', () => {
  it('yields the buffered first event, then the rest as the provider sends it; settling records usage and cost', async () => {
    const { live, record } = liveAttempt()
    expect(live.operation).toBe('stream')
    expect(await collect(live.events())).toEqual(events)
    live.settle({ usage })
    expect(await live.settled).toBe(record)
    expect(record.outcome).toBe('success')
    expect(record.cost!.total).toBeCloseTo((1_000 * 1 + 500 * 2) / 1e6, 12)
  })

  it('text() reads to the end and keeps every event for events(), with one provider read per event', async () => {
    const { live, log } = liveAttempt()
    const [text, received] = await Promise.all([live.text(), collect(live.events())])
    expect(text).toBe('one two three')
    expect(received).toEqual(events)
    // Three more events and the end: four reads, shared by both readers.
    expect(log.reads).toBe(4)
    expect(await collect(live.events())).toEqual(events)
  })

  it('cancel() aborts the attempt, closes the provider stream and records it as aborted, once', async () => {
    const { live, log, record } = liveAttempt()
    live.cancel()
    expect(live.signal.aborted).toBe(true)
    expect(log.closed).toBe(true)
    expect(record.outcome).toBe('aborted')
    expect(record.error).toBeInstanceOf(AbortedError)
    expect(await live.settled).toBe(record)
    live.settle({ usage })
    expect(record.outcome).toBe('aborted')
  })

  it('a provider failure mid-stream rejects events(); settling the failure closes the stream', async () => {
    const { live, log, record } = liveAttempt(2)
    const received: StreamEvent[] = []
    const failure = await (async () => {
      for await (const event of live.events()) received.push(event)
    })().catch((caught: unknown) => caught)
    expect(failure).toBeInstanceOf(ProviderError)
    expect(received).toEqual(events.slice(0, 2))
    live.settle({ error: failure as ProviderError })
    expect(record.outcome).toBe('error')
    expect(record.cost).toBeUndefined()
    expect(log.closed).toBe(true)
  })

  it('an abandoned stream that had reported usage still counts its cost', async () => {
    const { live, record } = liveAttempt()
    await live.text()
    live.settle({ error: new AbortedError('the consumer left'), aborted: true })
    expect(record.outcome).toBe('aborted')
    expect(record.cost!.total).toBeCloseTo(0.002, 12)
  })

  it('settled as a success before the provider stream ended (a strategy\'s own events()), it closes that stream', async () => {
    const { live, log } = liveAttempt()
    live.settle({ usage })
    expect(log.closed).toBe(true)
  })
})
