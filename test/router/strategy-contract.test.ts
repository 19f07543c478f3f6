import { describe, expect, it } from 'vitest'
import {
  AbortedError,
  InvalidRequestError,
  StrategyError,
  createRouter,
  fallback,
  mockProvider,
  tryInOrder,
  type AttemptResult,
  type ChatChunk,
  type Strategy,
  type StrategyContext,
  type StreamAttemptResult,
} from '../../src/index.js'
import { cheapestWithin } from '../../examples/cheapest-within-budget.js'

const messages = [{ role: 'user' as const, content: 'hello' }]

function providers() {
  return [
    mockProvider({ id: 'a', models: { m: { text: 'answer from a', usage: { inputTokens: 4, outputTokens: 3 } } } }),
    mockProvider({ id: 'b', models: { m: { text: 'answer from b', usage: { inputTokens: 4, outputTokens: 3 } } } }),
  ]
}

function strategy(name: string, run: (context: StrategyContext) => Promise<unknown>): Strategy {
  return { specificationVersion: 'v1', name, models: ['a/m', 'b/m'], run: run as Strategy['run'] }
}

async function drain(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = []
  for await (const chunk of stream) chunks.push(chunk)
  return chunks
}

const textOf = (chunks: ChatChunk[]) => chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')

describe('a custom strategy may wrap, copy or re-create the attempt results it returns', () => {
  // Tries b first, then a: a reordering strategy; then hands back a copy of what it got.
  const copying = strategy('copying', async (context) => {
    const result = await tryInOrder(context, [context.candidate('b/m'), context.candidate('a/m')])
    return { ...result }
  })

  // A wrapper object of its own, with members that delegate; for streams it rewrites the text.
  const wrapping = strategy('wrapping', async (context) => {
    const result = await context.attempt(context.candidate('a/m'))
    const base = {
      operation: result.operation,
      candidate: result.candidate,
      attempt: result.attempt,
      settled: result.settled,
      cancel: () => result.cancel(),
      text: () => result.text(),
    }
    if (result.operation === 'chat') return { ...base, response: { ...result.response, message: { ...result.response.message, content: 'rewritten' } } }
    if (result.operation === 'embed') return { ...base, embedding: result.embedding }
    const live: StreamAttemptResult = result
    return {
      ...base,
      async *events() {
        for await (const event of live.events()) yield event.type === 'text-delta' ? { ...event, text: event.text.toUpperCase() } : event
      },
    }
  })

  it('works for chat: the copy is recognised by its attempt record, the wrapper\'s response is used', async () => {
    const router = createRouter({ providers: providers(), prices: { 'b/m': { input: 1, output: 1 } } })
    const copied = await router.chat({ messages }, { strategy: copying })
    expect(copied.choices[0]!.message.content).toBe('answer from b')
    expect(copied.route).toMatchObject({ provider: 'b', strategy: 'copying', name: null })
    expect(copied.cost.total).toBeCloseTo(7 / 1e6, 12)
    const wrapped = await router.chat({ messages }, { strategy: wrapping })
    expect(wrapped.choices[0]!.message.content).toBe('rewritten')
    expect(wrapped.route.provider).toBe('a')
  })

  it('works for streams: a copy streams the live attempt, a wrapper\'s own events() are what the caller gets', async () => {
    const router = createRouter({ providers: providers() })
    const copied = await drain(router.stream({ messages }, { strategy: copying }))
    expect(textOf(copied)).toBe('answer from b')
    expect(copied.at(-1)!.route!.attempts.map((attempt) => attempt.outcome)).toEqual(['success'])
    const stream = router.stream({ messages }, { strategy: wrapping })
    const wrapped = await drain(stream)
    expect(textOf(wrapped)).toBe('ANSWER FROM A')
    const result = await stream.finalResult()
    expect(result.route.attempts[0]).toMatchObject({ provider: 'a', outcome: 'success' })
    expect(result.tokens.outputTokens).toBe(3)
  })

  it('works for embeddings', async () => {
    const router = createRouter({ providers: providers() })
    const copied = await router.embed({ input: ['x', 'y'] }, { strategy: copying })
    expect(copied.model).toBe('b/m')
    expect(copied.data).toHaveLength(2)
    const wrapped = await router.embed({ input: 'x' }, { strategy: wrapping })
    expect(wrapped.route.provider).toBe('a')
  })
})

describe('a strategy\'s mistake is a StrategyError that names the strategy', () => {
  async function failureOf(run: (context: StrategyContext) => Promise<unknown>, operation: 'chat' | 'stream' | 'embed' = 'chat') {
    const router = createRouter({ providers: providers() })
    const options = { strategy: strategy('broken', run) }
    const call =
      operation === 'chat'
        ? router.chat({ messages }, options)
        : operation === 'stream'
          ? drain(router.stream({ messages }, options))
          : router.embed({ input: 'x' }, options)
    const error = await call.catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(StrategyError)
    expect((error as StrategyError).strategy).toBe('broken')
    expect((error as StrategyError).code).toBe('strategy_error')
    expect((error as StrategyError).message).toContain('Strategy "broken"')
    return error as StrategyError
  }

  it('resolving with nothing, or with something that is not an attempt result', async () => {
    expect((await failureOf(async () => undefined)).message).toContain('resolved with undefined, not an attempt result')
    expect((await failureOf(async () => 'a/m')).message).toContain('resolved with string')
    expect((await failureOf(async () => ({ candidate: { id: 'a/m' } }), 'stream')).message).toContain('not an attempt result')
  })

  it('an attempt result with no response, or one this call did not make', async () => {
    const noResponse = await failureOf(async (context) => {
      const { response: _response, ...rest } = (await context.attempt(context.candidate('a/m'))) as AttemptResult & { response?: unknown }
      return rest
    })
    expect(noResponse.message).toContain('has no `response`')
    const noEmbedding = await failureOf(async (context) => {
      const { embedding: _embedding, ...rest } = (await context.attempt(context.candidate('a/m'))) as AttemptResult & { embedding?: unknown }
      return rest
    }, 'embed')
    expect(noEmbedding.message).toContain('has no `embedding`')
    const forged = await failureOf(async (context) => {
      const real = await context.attempt(context.candidate('a/m'))
      return { ...real, attempt: { ...real.attempt } }
    })
    expect(forged.message).toContain('did not make')
  })

  it('an attempt result of another operation', async () => {
    const error = await failureOf(async (context) => {
      const side = context.fork({ operation: 'chat' })
      return side.attempt(side.candidate('a/m'))
    }, 'stream')
    expect(error.message).toContain('resolved with a chat attempt result for a stream call')
    // Of the same operation, a side call's attempt is still not one of this call's own.
    const sideAnswer = await failureOf(async (context) => {
      const side = context.fork({ operation: 'chat' })
      return side.attempt(side.candidate('a/m'))
    }, 'chat')
    expect(sideAnswer.message).toContain('did not make')
  })

  it('a strategy that throws an untyped error, such as a TypeError on an embed call', async () => {
    const error = await failureOf(async (context) => {
      // A chat-only strategy reading messages on an embed call: a plain TypeError.
      const request = context.request as { messages: Array<{ content: string }> }
      return request.messages[0]!.content
    }, 'embed')
    expect(error.message).toContain('threw TypeError')
    expect(error.cause).toBeInstanceOf(TypeError)
  })

  it('is never retried and never a reason to fall back; typed errors a strategy throws pass through', async () => {
    const router = createRouter({ providers: providers() })
    const error = await router.chat({ messages }, { strategy: strategy('typed', async () => { throw new InvalidRequestError('no such thing') }) }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(InvalidRequestError)
    const aborted = new AbortController()
    aborted.abort()
    const abortedError = await router
      .chat({ messages }, { signal: aborted.signal, strategy: strategy('raw', async () => { throw new Error('boom') }) })
      .catch((caught: unknown) => caught)
    expect(abortedError).toBeInstanceOf(AbortedError)
    expect(new StrategyError('x', 'y').retryable).toBe(false)
  })
})

describe('the custom-strategy example', () => {
  function exampleRouter() {
    return createRouter({
      providers: [
        mockProvider({ id: 'slowcheap', models: { m: { text: 'cheap but slow', latencyMs: 1 } } }),
        mockProvider({ id: 'mid', models: { m: 'mid price' } }),
      ],
      prices: { 'slowcheap/m': { input: 0.1, output: 0.4 }, 'mid/m': { input: 1, output: 4 } },
      routes: { budgeted: cheapestWithin(['slowcheap/m', 'mid/m'], 100) },
    })
  }

  it('serves router.embed() (it narrows on the operation instead of casting the request)', async () => {
    const router = exampleRouter()
    const result = await router.embed({ model: 'budgeted', input: ['one', 'two'] })
    expect(result.model).toBe('slowcheap/m')
    expect(result.data.map((item) => item.index)).toEqual([0, 1])
    expect(result.route).toMatchObject({ name: 'budgeted', strategy: 'cheapest-within-budget' })
  })

  it('serves chat and streams', async () => {
    const router = exampleRouter()
    expect((await router.chat({ model: 'budgeted', messages })).choices[0]!.message.content).toBe('cheap but slow')
    expect(textOf(await drain(router.stream({ model: 'budgeted', messages })))).toBe('cheap but slow')
  })
})

describe('strategies passed per call', () => {
  it('may leave model out; a route name given as model is reported as the route', async () => {
    const router = createRouter({ providers: providers(), routes: { main: 'a/m' } })
    const fallbackToB = fallback(['b/m'])
    const withoutModel = await router.chat({ messages }, { strategy: fallbackToB })
    expect(withoutModel.route).toMatchObject({ name: null, provider: 'b' })
    const named = await router.chat({ model: 'main', messages }, { strategy: fallbackToB })
    expect(named.route).toMatchObject({ name: 'main', provider: 'b' })
  })

  it('still needs a model without a strategy, and a strategy of a known contract version', async () => {
    const router = createRouter({ providers: providers() })
    expect(() => router.stream({ messages } as never)).toThrow(/`model` is required/)
    const future = { ...fallback(['a/m']), specificationVersion: 'v2' } as unknown as Strategy
    await expect(router.chat({ messages }, { strategy: future })).rejects.toThrow(/specification "v2"/)
    expect(() => createRouter({ providers: providers(), routes: { later: future } })).toThrow(/runs "v1" strategies/)
  })
})
