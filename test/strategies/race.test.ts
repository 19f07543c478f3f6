import { describe, expect, it, vi } from 'vitest'
import {
  AbortedError,
  AllCandidatesFailedError,
  ConfigurationError,
  InvalidRequestError,
  createRouter,
  mockProvider,
  race,
  type ModelRequest,
} from '../../src/index.js'

const messages = [{ role: 'user' as const, content: 'hi' }]

function lastUserText(request: ModelRequest): string {
  const content = request.messages.at(-1)!.content
  return typeof content === 'string' ? content : ''
}

describe('race: first', () => {
  it('returns the first answer and aborts the losers through their signals', async () => {
    const slow = mockProvider({ id: 'slow', models: { m: { text: 'slow answer', latencyMs: 5_000 } } })
    const quick = mockProvider({ id: 'quick', models: { m: { text: 'quick answer', latencyMs: 1, usage: { inputTokens: 10, outputTokens: 5 } } } })
    const medium = mockProvider({ id: 'medium', models: { m: { text: 'medium answer', latencyMs: 3_000 } } })
    const router = createRouter({
      providers: [slow, quick, medium],
      prices: { 'quick/m': { input: 1, output: 2 }, 'slow/m': { input: 1, output: 2 }, 'medium/m': { input: 1, output: 2 } },
      routes: { first: race(['slow/m', 'quick/m', 'medium/m']) },
    })
    const result = await router.chat({ model: 'first', messages })
    expect(result.choices[0]!.message.content).toBe('quick answer')
    expect(result.route.strategy).toBe('race')
    expect(slow.calls[0]!.signal.aborted).toBe(true)
    expect(medium.calls[0]!.signal.aborted).toBe(true)
    expect(quick.calls[0]!.signal.aborted).toBe(false)
    expect(result.route.attempts.map((attempt) => [attempt.provider, attempt.outcome])).toEqual([
      ['slow', 'aborted'],
      ['quick', 'success'],
      ['medium', 'aborted'],
    ])
    // The losers never reported usage, so only the winner's cost is known: (10×1 + 5×2)/1e6.
    expect(result.cost.total).toBeCloseTo(0.00002, 12)
    expect(result.route.attempts[0]!.cost).toBeUndefined()
  })

  it('races streams on the first token and continues with the winner alone', async () => {
    const slow = mockProvider({ id: 'slow', models: { m: { text: 'slow stream', latencyMs: 5_000 } } })
    const quick = mockProvider({ id: 'quick', models: { m: { text: 'the quick stream goes on', latencyMs: 1, chunkDelayMs: 2 } } })
    const router = createRouter({ providers: [slow, quick], routes: { first: race(['slow/m', 'quick/m']) } })
    const chunks: string[] = []
    for await (const chunk of router.stream({ model: 'first', messages })) chunks.push(chunk.choices[0]?.delta.content ?? '')
    expect(chunks.join('')).toBe('the quick stream goes on')
    expect(slow.calls[0]!.signal.aborted).toBe(true)
    expect(quick.calls[0]!.signal.aborted).toBe(false)
  })

  it('keeps one stream when two produce their first token together, and cancels the other', async () => {
    const a = mockProvider({ id: 'a', models: { m: { text: 'stream a', chunkDelayMs: 1 } } })
    const b = mockProvider({ id: 'b', models: { m: { text: 'stream b', chunkDelayMs: 1 } } })
    const router = createRouter({ providers: [a, b], routes: { first: race(['a/m', 'b/m']) } })
    const result = await router.stream({ model: 'first', messages }).finalResult()
    const winner = result.route.provider
    expect(result.choices[0]!.message.content).toBe(`stream ${winner}`)
    expect(result.route.attempts.map((attempt) => attempt.outcome).sort()).toEqual(['aborted', 'success'])
    const loser = winner === 'a' ? b : a
    expect(loser.calls[0]!.signal.aborted).toBe(true)
  })

  it('ignores a failure while another candidate can still answer, and reports all failures otherwise', async () => {
    const broken = mockProvider({ id: 'broken', models: { m: { error: 'server' } } })
    const fine = mockProvider({ id: 'fine', models: { m: { text: 'fine', latencyMs: 20 } } })
    const router = createRouter({
      providers: [broken, fine, mockProvider({ id: 'down', models: { m: { error: 'overloaded' } } })],
      routes: { first: race(['broken/m', 'fine/m']), none: race(['broken/m', 'down/m']) },
    })
    const result = await router.chat({ model: 'first', messages })
    expect(result.choices[0]!.message.content).toBe('fine')
    expect(result.route.attempts.map((attempt) => attempt.outcome)).toEqual(['error', 'success'])
    await expect(router.chat({ model: 'none', messages })).rejects.toBeInstanceOf(AllCandidatesFailedError)
  })

  it('stops at once on an invalid request, aborting the others', async () => {
    const invalid = mockProvider({ id: 'invalid', models: { m: { error: 'invalid' } } })
    const slow = mockProvider({ id: 'slow', models: { m: { text: 'never', latencyMs: 5_000 } } })
    const router = createRouter({ providers: [invalid, slow], routes: { first: race(['invalid/m', 'slow/m']) } })
    await expect(router.chat({ model: 'first', messages })).rejects.toBeInstanceOf(InvalidRequestError)
    expect(slow.calls[0]!.signal.aborted).toBe(true)
  })

  it('aborts every racer when the caller aborts', async () => {
    const a = mockProvider({ id: 'a', models: { m: { latencyMs: 5_000 } } })
    const b = mockProvider({ id: 'b', models: { m: { latencyMs: 5_000 } } })
    const router = createRouter({ providers: [a, b], routes: { first: race(['a/m', 'b/m']) } })
    const controller = new AbortController()
    const call = router.chat({ model: 'first', messages }, { signal: controller.signal })
    setTimeout(() => controller.abort(), 5)
    await expect(call).rejects.toMatchObject({ code: 'aborted' })
    expect(a.calls[0]!.signal.aborted && b.calls[0]!.signal.aborted).toBe(true)
  })
})

describe('race: hedge', () => {
  it('does not start the second candidate when the first answers within hedgeMs', async () => {
    const primary = mockProvider({ id: 'primary', models: { m: { text: 'primary', latencyMs: 1 } } })
    const backup = mockProvider({ id: 'backup', models: { m: 'backup' } })
    const router = createRouter({ providers: [primary, backup], routes: { hedged: race(['primary/m', 'backup/m'], { mode: 'hedge', hedgeMs: 2_000 }) } })
    const result = await router.chat({ model: 'hedged', messages })
    expect(result.route.provider).toBe('primary')
    expect(backup.calls).toHaveLength(0)
    expect(result.route.attempts).toHaveLength(1)
  })

  it('starts the next candidate after hedgeMs and aborts the slow one when the hedge wins', async () => {
    const primary = mockProvider({ id: 'primary', models: { m: { text: 'primary', latencyMs: 5_000 } } })
    const backup = mockProvider({ id: 'backup', models: { m: { text: 'backup', latencyMs: 1 } } })
    const router = createRouter({ providers: [primary, backup], routes: { hedged: race(['primary/m', 'backup/m'], { mode: 'hedge', hedgeMs: 5 }) } })
    const result = await router.chat({ model: 'hedged', messages })
    expect(result.route.provider).toBe('backup')
    expect(primary.calls[0]!.signal.aborted).toBe(true)
    expect(result.route.attempts.map((attempt) => [attempt.provider, attempt.outcome])).toEqual([
      ['primary', 'aborted'],
      ['backup', 'success'],
    ])
  })

  it('starts the next candidate at once when the running one fails, without waiting out hedgeMs', async () => {
    const primary = mockProvider({ id: 'primary', models: { m: { error: 'server' } } })
    const backup = mockProvider({ id: 'backup', models: { m: 'backup' } })
    // With a 60 s hedge delay, this call only finishes within the test timeout if the failure frees the slot.
    const router = createRouter({ providers: [primary, backup], routes: { hedged: race(['primary/m', 'backup/m'], { mode: 'hedge', hedgeMs: 60_000 }) } })
    const result = await router.chat({ model: 'hedged', messages })
    expect(result.route.provider).toBe('backup')
  })
})

describe('race: best', () => {
  function judgedRouter() {
    const brief = mockProvider({ id: 'brief', models: { m: { text: 'Paris.', usage: { inputTokens: 10, outputTokens: 2 } } } })
    const thorough = mockProvider({ id: 'thorough', models: { m: { text: 'Paris is the capital of France.', latencyMs: 10, usage: { inputTokens: 10, outputTokens: 8 } } } })
    const judge = mockProvider({
      id: 'judge',
      // The scripted judge names the answer that mentions France.
      models: {
        j: (request) => ({
          text: String(1 + ['<answer_1>', '<answer_2>'].findIndex((tag) => lastUserText(request).split(tag)[1]!.split('</answer')[0]!.includes('France'))),
          usage: { inputTokens: 100, outputTokens: 1 },
        }),
      },
    })
    const router = createRouter({
      providers: [brief, thorough, judge],
      prices: { 'brief/m': { input: 1, output: 1 }, 'thorough/m': { input: 1, output: 1 }, 'judge/j': { input: 1, output: 1 } },
      routes: { best: race(['brief/m', 'thorough/m'], { mode: 'best', judge: 'judge/j', timeoutMs: 5_000 }) },
    })
    return { router, judge }
  }

  it('waits for every answer and returns the one the judge picks; the loser is kept on record with its cost', async () => {
    const { router, judge } = judgedRouter()
    const result = await router.chat({ model: 'best', messages: [{ role: 'user', content: 'Capital of France?' }] })
    expect(result.choices[0]!.message.content).toBe('Paris is the capital of France.')
    expect(judge.calls).toHaveLength(1)
    const prompt = lastUserText(judge.calls[0]!.request as ModelRequest)
    expect(prompt).toContain('Capital of France?')
    expect(prompt).toContain('<answer_1>\nParis.\n</answer_1>')
    // The judge's own attempt is a side call, not part of the caller's route.
    expect(result.route.attempts.map((attempt) => [attempt.provider, attempt.outcome])).toEqual([
      ['brief', 'aborted'],
      ['thorough', 'success'],
    ])
    // Both answers and the judge were paid for: (10 + 2)/1e6 + (10 + 8)/1e6 + (100 + 1)/1e6.
    expect(result.cost.total).toBeCloseTo(0.000131, 12)
    expect(result.cost.input).toBeCloseTo(0.00012, 12)
  })

  it('judges whole streamed answers, then streams the winner, buffered, from its first token', async () => {
    const { router } = judgedRouter()
    const chunks: string[] = []
    let final
    for await (const chunk of router.stream({ model: 'best', messages: [{ role: 'user', content: 'Capital of France?' }] })) {
      chunks.push(chunk.choices[0]?.delta.content ?? '')
      final = chunk
    }
    expect(chunks.join('')).toBe('Paris is the capital of France.')
    // The loser's stream ended before it was cancelled, so its reported usage still counts.
    expect(final!.route!.attempts.map((attempt) => [attempt.provider, attempt.outcome, attempt.cost?.total])).toEqual([
      ['brief', 'aborted', 0.000012],
      ['thorough', 'success', 0.000018],
    ])
    // The judge's (100 + 1)/1e6 is part of what the call cost.
    expect(final!.cost!.total).toBeCloseTo(0.000131, 12)
  })

  it('closes every answer (recorded as aborted, with its cost) when the caller aborts while the judge deliberates', async () => {
    const brief = mockProvider({ id: 'brief', models: { m: { text: 'Paris.', usage: { inputTokens: 10, outputTokens: 2 } } } })
    const thorough = mockProvider({ id: 'thorough', models: { m: { text: 'Paris is the capital of France.', usage: { inputTokens: 10, outputTokens: 8 } } } })
    const judge = mockProvider({ id: 'judge', models: { j: { text: '1', latencyMs: 5_000 } } })
    const router = createRouter({
      providers: [brief, thorough, judge],
      prices: { 'brief/m': { input: 1, output: 1 }, 'thorough/m': { input: 1, output: 1 }, 'judge/j': { input: 1, output: 1 } },
      routes: { best: race(['brief/m', 'thorough/m'], { mode: 'best', judge: 'judge/j' }) },
    })
    const ended: Array<[string, string, number | null | undefined]> = []
    router.on((event) => {
      if (event.type === 'attempt-end' && event.attempt.provider !== 'judge') {
        ended.push([event.attempt.provider, event.attempt.outcome, event.attempt.cost?.total])
      }
    })
    const controller = new AbortController()
    const stream = router.stream({ model: 'best', messages: [{ role: 'user', content: 'Capital of France?' }] }, { signal: controller.signal })
    const iteration = stream[Symbol.asyncIterator]().next()
    await vi.waitFor(() => expect(judge.calls).toHaveLength(1))
    controller.abort()
    await expect(iteration).rejects.toBeInstanceOf(AbortedError)
    // Both streams had been read to their end, so their reported usage is still paid for.
    expect(ended.sort()).toEqual([
      ['brief', 'aborted', 0.000012],
      ['thorough', 'aborted', 0.000018],
    ])
  })

  it('needs a judge, and the judge model is checked at createRouter like route models', () => {
    expect(() => race(['a/m', 'b/m'], { mode: 'best' })).toThrow(ConfigurationError)
    const providers = [mockProvider({ id: 'a', models: { m: 'x' } }), mockProvider({ id: 'b', models: { m: 'y' } })]
    expect(() => createRouter({ providers, routes: { best: race(['a/m', 'b/m'], { mode: 'best', judge: 'nobody/judge' }) } })).toThrow(/unknown provider "nobody"/)
  })
})
