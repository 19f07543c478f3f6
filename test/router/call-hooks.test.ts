import { describe, expect, it } from 'vitest'
import {
  AbortedError,
  InvalidRequestError,
  RateLimitError,
  StreamInterruptedError,
  abTest,
  createRouter,
  fallback,
  mockProvider,
  type ChatChunk,
  type RouterEvent,
} from '../../src/index.js'
import { coreOf } from '../../src/router/router.js'
import type { AttemptInfo, CachedAnswer, CacheHitInfo, CallInfo, CallOutcome } from '../../src/router/call-hooks.js'
import type { Attempt } from '../../src/spec/response.js'

const messages = [{ role: 'user' as const, content: 'hello' }]

function setup() {
  const primary = mockProvider({ id: 'a', models: { m: { text: 'from a', usage: { inputTokens: 10, outputTokens: 5 } } } })
  const backup = mockProvider({ id: 'b', models: { m: { text: 'from b', usage: { inputTokens: 10, outputTokens: 5 } } } })
  const events: RouterEvent[] = []
  const router = createRouter({
    providers: [primary, backup],
    prices: { 'a/m': { input: 1, output: 2 }, 'b/m': { input: 1, output: 2 } },
    routes: { main: fallback(['a/m', 'b/m'], { retries: 0 }) },
    onEvent: (event) => events.push(event),
  })
  return { router, primary, backup, events, core: coreOf(router) }
}

async function drain(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = []
  for await (const chunk of stream) chunks.push(chunk)
  return chunks
}

const textOf = (chunks: ChatChunk[]) => chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')

describe('call ids and call events', () => {
  it('gives every call its own id, carried by call-start, its attempts and call-end', async () => {
    const { router, events } = setup()
    const result = await router.chat({ model: 'main', messages }, { tags: { team: 'search' }, user: 'user-7' })
    await router.chat({ model: 'main', messages })
    const starts = events.filter((event) => event.type === 'call-start')
    expect(starts).toHaveLength(2)
    const [first, second] = starts.map((event) => event.callId)
    expect(first).not.toBe(second)
    expect(starts[0]).toMatchObject({ operation: 'chat', routeName: 'main', strategy: 'fallback', tags: { team: 'search' }, user: 'user-7' })
    const ofFirst = events.filter((event) => 'callId' in event && event.callId === first).map((event) => event.type)
    expect(ofFirst).toEqual(['call-start', 'attempt-start', 'attempt-end', 'call-end'])
    const end = events.find((event) => event.type === 'call-end' && event.callId === first)
    expect(end).toMatchObject({ outcome: 'success', cacheHit: false, cost: result.cost })
  })

  it('ends a failed call with its error, and a stream abandoned by its reader as aborted', async () => {
    const failing = mockProvider({ id: 'x', models: { m: { error: 'invalid' }, s: 'one two three' } })
    const events: RouterEvent[] = []
    const router = createRouter({ providers: [failing], onEvent: (event) => events.push(event) })
    await expect(router.chat({ model: 'x/m', messages })).rejects.toBeInstanceOf(InvalidRequestError)
    expect(events.at(-1)).toMatchObject({ type: 'call-end', outcome: 'error', error: { code: 'invalid_request' } })
    for await (const _chunk of router.stream({ model: 'x/s', messages })) break
    const end = events.at(-1)
    expect(end).toMatchObject({ type: 'call-end', operation: 'stream', outcome: 'error' })
    expect((end as { error?: unknown }).error).toBeInstanceOf(AbortedError)
  })

  it('passes tags and user to the features but never to the provider; the request user is the fallback', async () => {
    const { router, primary, core } = setup()
    const calls: CallInfo[] = []
    core.hooks.observe({ callStart: (call) => calls.push(call) })
    await router.chat({ model: 'main', messages, user: 'from-request' }, { tags: { feature: 'chat' } })
    await router.chat({ model: 'main', messages, user: 'from-request' }, { user: 'from-options' })
    expect(calls.map((call) => [call.kind, call.user, call.tags])).toEqual([
      ['call', 'from-request', { feature: 'chat' }],
      ['call', 'from-options', {}],
    ])
    for (const call of primary.calls) {
      expect(JSON.stringify(call.request)).not.toContain('feature')
      expect(JSON.stringify(call.request)).not.toContain('from-options')
    }
  })

  it('rejects malformed tags or user before any provider is called', async () => {
    const { router, primary } = setup()
    await expect(router.chat({ model: 'main', messages }, { tags: { team: 42 as unknown as string } })).rejects.toBeInstanceOf(InvalidRequestError)
    expect(() => router.stream({ model: 'main', messages }, { user: '' })).toThrow(InvalidRequestError)
    await expect(router.embed({ model: 'a/m', input: 'x' }, { tags: 'team' as unknown as Record<string, string> })).rejects.toBeInstanceOf(InvalidRequestError)
    expect(primary.calls).toHaveLength(0)
  })

  it('gives judge and shadow side calls their own id, the parent call id and their kind', async () => {
    const provider = mockProvider({ id: 'p', models: { alpha: 'a', beta: 'b', judge: 'TIE' } })
    const router = createRouter({
      providers: [provider],
      routes: { experiment: abTest({ variants: { a: 'p/alpha', b: 'p/beta' }, weights: { a: 1, b: 0 }, judge: 'p/judge', sampleRate: 1 }) },
    })
    const seen: AttemptInfo[] = []
    coreOf(router).hooks.add({ beforeAttempt: (attempt) => void seen.push(attempt) })
    await router.chat({ model: 'experiment', messages })
    await router.close()
    const served = seen.find((attempt) => attempt.call.kind === 'call')!
    expect(served.candidate.id).toBe('p/alpha')
    const shadow = seen.filter((attempt) => attempt.call.kind === 'shadow')
    const judges = seen.filter((attempt) => attempt.call.kind === 'judge')
    expect(shadow.map((attempt) => attempt.candidate.id)).toEqual(['p/beta'])
    expect(judges.map((attempt) => attempt.candidate.id)).toEqual(['p/judge', 'p/judge'])
    for (const side of [...shadow, ...judges]) {
      expect(side.call.parentCallId).toBe(served.call.callId)
      expect(side.call.callId).not.toBe(served.call.callId)
      // From the router's own id source, as every call's is.
      expect(side.call.callId).toMatch(/^[0-9a-z]{21,}$/)
    }
    expect(new Set(judges.map((attempt) => attempt.call.callId)).size).toBe(2)
  })
})

describe('beforeAttempt', () => {
  it('may refuse an attempt: it is recorded as failed and the strategy moves on', async () => {
    const { router, primary, core } = setup()
    core.hooks.add({
      beforeAttempt: (attempt) => {
        if (attempt.candidate.provider === 'a') throw new RateLimitError('budget for a is spent', { provider: 'a', model: 'm', retryable: true })
        return undefined
      },
    })
    const result = await router.chat({ model: 'main', messages })
    expect(result.route.provider).toBe('b')
    expect(result.route.attempts.map((attempt) => [attempt.provider, attempt.outcome, attempt.error?.code])).toEqual([
      ['a', 'error', 'rate_limited'],
      ['b', 'success', undefined],
    ])
    expect(primary.calls).toHaveLength(0)
  })

  it('may replace the request, and settles its ticket with the attempt record and its exact cost', async () => {
    const { router, primary, core } = setup()
    const settled: Attempt[] = []
    core.hooks.add({
      beforeAttempt: (attempt) => ({
        request: { ...attempt.request, max_tokens: 7 },
        settle: (record) => settled.push(record),
      }),
    })
    const result = await router.chat({ model: 'main', messages, max_tokens: 1000 })
    expect((primary.calls[0]!.request as { max_tokens?: number }).max_tokens).toBe(7)
    expect(settled).toEqual([result.route.attempts[0]])
    expect(settled[0]!.cost!.total).toBeCloseTo((10 * 1 + 5 * 2) / 1e6, 12)
  })

  it('may wait (a queue) before the provider is called, and the wait is not counted as latency', async () => {
    const { router, primary, core } = setup()
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    core.hooks.add({ beforeAttempt: async () => { await gate; return undefined } })
    const pending = router.chat({ model: 'main', messages })
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(primary.calls).toHaveLength(0)
    release()
    const result = await pending
    expect(result.route.attempts[0]!.latencyMs).toBeLessThan(result.route.latencyMs)
  })

  it('sees each streamed event; a ticket that throws after the first token interrupts the stream', async () => {
    const streaming = mockProvider({ id: 's', models: { m: { text: 'one two three four five six', chunkDelayMs: 1 } } })
    const router = createRouter({ providers: [streaming] })
    const seen: string[] = []
    const settled: Attempt[] = []
    coreOf(router).hooks.add({
      beforeAttempt: () => ({
        settle: (record) => settled.push(record),
        streamProgress: (event) => {
          if (event.type === 'text-delta') seen.push(event.text)
          if (seen.length === 3) throw new RateLimitError('per-call cost cap reached')
        },
      }),
    })
    const chunks: ChatChunk[] = []
    const error = await (async () => {
      for await (const chunk of router.stream({ model: 's/m', messages })) chunks.push(chunk)
    })().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(StreamInterruptedError)
    expect((error as StreamInterruptedError).cause).toBeInstanceOf(RateLimitError)
    expect(textOf(chunks)).toBe(seen.slice(0, 2).join(''))
    expect(settled).toHaveLength(1)
    expect(settled[0]!.outcome).toBe('error')
  })

  it('a ticket that throws before the first token fails that attempt, and the strategy falls back', async () => {
    const { router, core } = setup()
    core.hooks.add({
      beforeAttempt: (attempt) => ({
        settle: () => {},
        streamProgress: (event) => {
          if (attempt.candidate.provider === 'a' && event.type === 'text-delta') throw new RateLimitError('cap', { retryable: true })
        },
      }),
    })
    const chunks = await drain(router.stream({ model: 'main', messages }))
    expect(textOf(chunks)).toBe('from b')
    expect(chunks.at(-1)!.route!.attempts.map((attempt) => attempt.outcome)).toEqual(['error', 'success'])
  })
})

describe('lookup and complete (the response cache path)', () => {
  const stored = (): CachedAnswer => ({
    candidate: { id: 'a/m', provider: 'a', model: 'm' },
    response: {
      id: 'stored-1',
      model: 'm',
      message: { role: 'assistant', content: 'stored answer' },
      finishReason: 'stop',
      usage: { inputTokens: 10, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 3, reasoningTokens: 0 },
    },
    events: [
      { type: 'text-delta', text: 'stored ' },
      { type: 'text-delta', text: 'answer' },
      { type: 'finish', finishReason: 'stop', usage: { inputTokens: 10, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 3, reasoningTokens: 0 } },
    ],
    originalCostUsd: 0.00002,
  })

  it('serves a chat call from a stored answer without calling a provider', async () => {
    const { router, primary, backup, core, events } = setup()
    const lookups: Array<[string, string]> = []
    const hits: CacheHitInfo[] = []
    core.hooks.add({ lookup: async (call, request, model) => (lookups.push([call.callId, model]), request.messages.length === 1 ? stored() : undefined) })
    core.hooks.observe({ cacheHit: (_call, answer) => hits.push(answer) })
    const result = await router.chat({ model: 'main', messages })
    expect(result.choices[0]!.message.content).toBe('stored answer')
    expect(result.route).toMatchObject({ cacheHit: true, provider: 'a', model: 'm', name: 'main', attempts: [] })
    expect(result.cost.total).toBe(0)
    expect(result.usage.completion_tokens).toBe(3)
    expect(primary.calls.length + backup.calls.length).toBe(0)
    expect(lookups).toEqual([[expect.any(String), 'main']])
    expect(hits).toHaveLength(1)
    expect(events.find((event) => event.type === 'call-end')).toMatchObject({ outcome: 'success', cacheHit: true })
  })

  it('replays a stored answer to a streaming caller, chunk by chunk, with route.cacheHit', async () => {
    const { router, primary, core } = setup()
    core.hooks.add({ lookup: async () => stored() })
    const stream = router.stream({ model: ['a/m', 'b/m'], messages })
    const chunks = await drain(stream)
    expect(chunks.slice(0, -1).map((chunk) => chunk.choices[0]!.delta.content ?? null)).toEqual(['stored ', 'answer', null])
    const last = chunks.at(-1)!
    expect(last.route).toMatchObject({ cacheHit: true, attempts: [], provider: 'a' })
    expect(last.cost!.total).toBe(0)
    expect((await stream.finalResult()).choices[0]!.message.content).toBe('stored answer')
    expect(primary.calls).toHaveLength(0)
  })

  it('replays a stored non-streamed answer (no events) to a streaming caller', async () => {
    const { router, core } = setup()
    core.hooks.add({ lookup: async () => ({ ...stored(), events: [] }) })
    const chunks = await drain(router.stream({ model: 'main', messages }))
    expect(textOf(chunks)).toBe('stored answer')
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('stop')
  })

  it('treats a failing lookup as a miss and says so', async () => {
    const { router, core, events } = setup()
    core.hooks.add({ lookup: async () => { throw new Error('store down') } })
    const result = await router.chat({ model: 'main', messages })
    expect(result.choices[0]!.message.content).toBe('from a')
    expect(events.some((event) => event.type === 'warning' && event.code === 'lookup_failed')).toBe(true)
  })

  it('offers every finished chat and stream answer, replayable, with the model key and original cost', async () => {
    const { router, core } = setup()
    const offered: Array<{ call: CallInfo; model: string; answer: CachedAnswer }> = []
    core.hooks.add({ complete: (call, _request, model, answer) => offered.push({ call, model, answer }) })
    const chat = await router.chat({ model: 'main', messages })
    const streamed = await router.stream({ model: 'b/m', messages }).finalResult()
    expect(offered.map((entry) => [entry.call.operation, entry.model, entry.answer.candidate.id])).toEqual([
      ['chat', 'main', 'a/m'],
      ['stream', 'b/m', 'b/m'],
    ])
    expect(offered[0]!.answer.originalCostUsd).toBe(chat.cost.total)
    expect(offered[1]!.answer.originalCostUsd).toBe(streamed.cost.total)
    expect(offered[1]!.answer.response.message.content).toBe('from b')
    // What was offered replays as what the callers received.
    core.hooks.add({ lookup: async () => offered[0]!.answer })
    const replayed = await drain(router.stream({ model: 'main', messages }))
    expect(textOf(replayed)).toBe('from a')
    core.hooks.lookups.splice(0)
    core.hooks.add({ lookup: async () => offered[1]!.answer })
    expect((await router.chat({ model: 'main', messages })).choices[0]!.message.content).toBe('from b')
  })

  it('offers nothing for failed calls or interrupted streams', async () => {
    const broken = mockProvider({ id: 'x', models: { fail: { error: 'invalid' }, cut: { text: 'a b c d', error: 'server', failAfterChunks: 1 } } })
    const router = createRouter({ providers: [broken] })
    const offered: CachedAnswer[] = []
    coreOf(router).hooks.add({ complete: (_call, _request, _model, answer) => offered.push(answer) })
    await expect(router.chat({ model: 'x/fail', messages })).rejects.toThrow()
    await expect(drain(router.stream({ model: 'x/cut', messages }))).rejects.toBeInstanceOf(StreamInterruptedError)
    expect(offered).toEqual([])
  })
})

describe('observers', () => {
  it('see the call and each attempt from start to end; a throwing observer changes nothing', async () => {
    const { router, core } = setup()
    const log: string[] = []
    core.hooks.observe({ callStart: () => { throw new Error('observer bug') } })
    core.hooks.observe({
      callStart: (call) => log.push(`call-start ${call.operation}`),
      attemptStart: (attempt, id) => log.push(`attempt-start ${id} ${attempt.candidate.id} ${(attempt.request as { model: string }).model}`),
      attemptFirstToken: (_attempt, id) => log.push(`first-token ${id}`),
      attemptEnd: (_attempt, id, record, response) => log.push(`attempt-end ${id} ${record.outcome} ${response ? 'response' : 'none'}`),
      callEnd: (_call, outcome: CallOutcome) => log.push(`call-end ${outcome.ok}`),
    })
    await router.chat({ model: 'main', messages })
    await drain(router.stream({ model: 'main', messages }))
    expect(log).toEqual([
      'call-start chat',
      'attempt-start 1 a/m m',
      'attempt-end 1 success response',
      'call-end true',
      'call-start stream',
      'attempt-start 1 a/m m',
      'first-token 1',
      'attempt-end 1 success response',
      'call-end true',
    ])
  })
})

describe('close()', () => {
  it('waits for tracked background work and clean-up steps, then refuses new calls', async () => {
    const { router, core } = setup()
    const order: string[] = []
    let finish!: () => void
    core.background.track(new Promise<void>((resolve) => (finish = resolve)).then(() => void order.push('background work')))
    core.background.onClose(() => void order.push('clean-up'))
    const closing = router.close().then(() => order.push('closed'))
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(order).toEqual([])
    finish()
    await closing
    expect(order).toEqual(['background work', 'clean-up', 'closed'])
    await expect(router.chat({ model: 'main', messages })).rejects.toThrow(/closed/)
  })
})
