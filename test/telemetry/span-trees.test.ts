import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_REQUEST_STREAM,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  GEN_AI_OPERATION_NAME_VALUE_CHAT,
} from '@opentelemetry/semantic-conventions/incubating'
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions'
import { describe, expect, it } from 'vitest'
import { abTest, AbortedError, createRouter, fallback, mockProvider, race, type ChatChunk, type Strategy } from '../../src/index.js'
import { childrenOf, parentOf, useOpenTelemetry } from '../helpers/open-telemetry.js'

const otel = useOpenTelemetry()
const messages = [{ role: 'user' as const, content: 'Name the capital of France.' }]
const price = { input: 1, output: 2 }

function telemetry() {
  return { tracer: otel.tracer, meter: otel.meter() }
}

/** Runs `work` inside an application span, as a request handler would; returns that span's id. */
async function insideApplicationSpan<Result>(work: () => Promise<Result>): Promise<{ result: Result; applicationSpanId: string }> {
  return otel.tracer.startActiveSpan('handle request', async (span) => {
    try {
      return { result: await work(), applicationSpanId: span.spanContext().spanId }
    } finally {
      span.end()
    }
  })
}

describe('span trees', () => {
  it('a fallback: one call span under the caller, one attempt span per retry and fallback step', async () => {
    const primary = mockProvider({ id: 'primary', models: { large: { error: 'server' } } })
    const backup = mockProvider({ id: 'backup', models: { small: { text: 'Paris.', usage: { inputTokens: 12, outputTokens: 3, cacheReadTokens: 4 } } } })
    const router = createRouter({
      providers: [primary, backup],
      prices: { 'primary/large': price, 'backup/small': price },
      routes: { main: fallback(['primary/large', 'backup/small'], { retries: 1, minRetryDelayMs: 1 }) },
      telemetry: telemetry(),
    })
    const { result, applicationSpanId } = await insideApplicationSpan(() => router.chat({ model: 'main', messages, temperature: 0.2 }))

    const spans = otel.spans()
    const call = spans.find((span) => span.attributes['switchyard.call.kind'] === 'call')!
    expect(parentOf(call)).toBe(applicationSpanId)
    expect(call.name).toBe('chat main')
    expect(call.kind).toBe(SpanKind.INTERNAL)
    expect(call.attributes).toMatchObject({
      [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_NAME_VALUE_CHAT,
      [ATTR_GEN_AI_REQUEST_MODEL]: 'main',
      [ATTR_GEN_AI_PROVIDER_NAME]: 'backup',
      [ATTR_GEN_AI_RESPONSE_MODEL]: 'small',
      [ATTR_GEN_AI_RESPONSE_FINISH_REASONS]: ['stop'],
      'switchyard.route': 'main',
      'switchyard.strategy': 'fallback',
      'switchyard.attempts': 3,
      'switchyard.fallback': true,
      'switchyard.cache.hit': false,
      'switchyard.call.cost_usd': result.cost.total,
    })

    const attempts = childrenOf(spans, call)
    expect(attempts.map((span) => span.name)).toEqual(['chat large', 'chat large', 'chat small'])
    expect(attempts.every((span) => span.kind === SpanKind.CLIENT)).toBe(true)
    for (const failed of attempts.slice(0, 2)) {
      expect(failed.status.code).toBe(SpanStatusCode.ERROR)
      expect(failed.attributes[ATTR_ERROR_TYPE]).toBe('provider_error')
      expect(failed.attributes['switchyard.attempt.outcome']).toBe('error')
    }
    const answered = attempts[2]!
    expect(answered.status.code).toBe(SpanStatusCode.UNSET)
    expect(answered.attributes).toMatchObject({
      [ATTR_GEN_AI_PROVIDER_NAME]: 'backup',
      [ATTR_GEN_AI_REQUEST_MODEL]: 'small',
      [ATTR_GEN_AI_REQUEST_TEMPERATURE]: 0.2,
      [ATTR_GEN_AI_RESPONSE_MODEL]: 'small',
      // The conventions count cache reads inside the input tokens.
      [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: result.usage.prompt_tokens,
      [ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: 4,
      [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: 3,
      'switchyard.attempt.outcome': 'success',
      'switchyard.attempt.cost_usd': result.cost.total,
    })
    expect(result.usage.prompt_tokens).toBe(16)
    // Token usage lives on attempt spans only, so summing over spans never counts it twice.
    expect(call.attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS]).toBeUndefined()
  })

  it('a race: every entrant is a child of the call, the loser is marked cancelled, not failed', async () => {
    const quick = mockProvider({ id: 'quick', models: { m: { text: 'fast answer', latencyMs: 5 } } })
    const slow = mockProvider({ id: 'slow', models: { m: { text: 'slow answer', latencyMs: 2_000 } } })
    const router = createRouter({ providers: [quick, slow], routes: { first: race(['quick/m', 'slow/m']) }, telemetry: telemetry() })
    const result = await router.chat({ model: 'first', messages })
    expect(result.route.provider).toBe('quick')

    const spans = otel.spans()
    const call = spans.find((span) => span.attributes['switchyard.call.kind'] === 'call')!
    expect(call.attributes['switchyard.strategy']).toBe('race')
    const entrants = childrenOf(spans, call)
    expect(entrants).toHaveLength(2)
    const winner = entrants.find((span) => span.attributes['switchyard.provider'] === 'quick')!
    const loser = entrants.find((span) => span.attributes['switchyard.provider'] === 'slow')!
    expect(winner.attributes['switchyard.attempt.outcome']).toBe('success')
    expect(loser.attributes['switchyard.attempt.outcome']).toBe('cancelled')
    expect(loser.attributes[ATTR_ERROR_TYPE]).toBe('cancelled')
    expect(loser.status.code).toBe(SpanStatusCode.UNSET)
    // Cancelled at once, not after the 2 s the slow model would have taken.
    expect(loser.duration[0]).toBe(0)
    expect(loser.ended).toBe(true)
  })

  it('an A/B call: the shadow run and both judge calls are call spans of their own under the call, each with its attempt', async () => {
    const variantA = mockProvider({ id: 'va', models: { m: 'Paris.' } })
    const variantB = mockProvider({ id: 'vb', models: { m: 'It is Paris, France.' } })
    const judge = mockProvider({ id: 'judge', models: { m: 'TIE' } })
    const router = createRouter({
      providers: [variantA, variantB, judge],
      prices: { 'va/m': price, 'vb/m': price, 'judge/m': price },
      // random() = 0: variant a serves, the call is sampled, b runs in the shadow.
      routes: { exp: abTest({ variants: { a: 'va/m', b: 'vb/m' }, judge: 'judge/m', sampleRate: 1, random: () => 0 }) },
      telemetry: telemetry(),
    })
    const { applicationSpanId } = await insideApplicationSpan(() => router.chat({ model: 'exp', messages }))
    await router.close()

    const spans = otel.spans()
    const calls = spans.filter((span) => span.attributes['switchyard.call.kind'] === 'call' && span.attributes['switchyard.attempt.number'] === undefined)
    expect(calls).toHaveLength(1)
    const call = calls[0]!
    expect(parentOf(call)).toBe(applicationSpanId)
    expect(call.attributes['switchyard.strategy']).toBe('abTest')
    const children = childrenOf(spans, call)
    // The served attempt is the call's only attempt span; the side calls are call spans (INTERNAL).
    const attemptsOfCall = children.filter((span) => span.kind === SpanKind.CLIENT)
    expect(attemptsOfCall.map((span) => span.attributes['switchyard.provider'])).toEqual(['va'])
    const sideCalls = children.filter((span) => span.kind === SpanKind.INTERNAL)
    const byKind = (kind: string) => sideCalls.filter((span) => span.attributes['switchyard.call.kind'] === kind)
    expect(byKind('shadow')).toHaveLength(1)
    expect(byKind('judge')).toHaveLength(2)
    expect(sideCalls).toHaveLength(3)
    for (const side of sideCalls) {
      const kind = side.attributes['switchyard.call.kind']
      expect(side.name).toBe(`${GEN_AI_OPERATION_NAME_VALUE_CHAT} ${kind}`)
      expect(side.attributes[ATTR_GEN_AI_OPERATION_NAME]).toBe('chat')
      expect(side.attributes['switchyard.call.parent_id']).toBe(call.attributes['switchyard.call.id'])
      expect(side.attributes['switchyard.call.id']).not.toBe(call.attributes['switchyard.call.id'])
      expect(side.ended).toBe(true)
      expect(side.status.code).not.toBe(SpanStatusCode.ERROR)
      // Each side call's provider call is its own attempt span beneath it, with the side call's answer model.
      const [attempt, ...more] = childrenOf(spans, side)
      expect(more).toEqual([])
      expect(attempt!.kind).toBe(SpanKind.CLIENT)
      expect(attempt!.attributes['switchyard.provider']).toBe(kind === 'shadow' ? 'vb' : 'judge')
      expect(attempt!.attributes['switchyard.attempt.outcome']).toBe('success')
      expect(side.attributes['switchyard.provider']).toBe(attempt!.attributes['switchyard.provider'])
      expect(side.attributes[ATTR_GEN_AI_RESPONSE_MODEL]).toBe('m')
    }
    expect(new Set(sideCalls.map((span) => span.attributes['switchyard.call.id'])).size).toBe(3)
    expect(spans.every((span) => span.spanContext().traceId === call.spanContext().traceId)).toBe(true)
    expect(router.experiments()[0]!.comparisons).toBe(1)
  })

  it("a custom strategy's side call that is never ended still gets its call span, ended once the call has ended", async () => {
    const provider = mockProvider({ id: 'p', models: { main: 'answer', side: 'side answer' } })
    const strategy: Strategy = {
      specificationVersion: 'v1',
      name: 'with-side-call',
      models: ['p/main', 'p/side'],
      async run(context) {
        const side = context.fork({ operation: 'chat', kind: 'judge' })
        await side.attempt(side.candidate('p/side'))
        // No side.end(): third-party strategies may not know about it.
        return context.attempt(context.candidate('p/main'))
      },
    }
    const router = createRouter({ providers: [provider], telemetry: telemetry() })
    await router.chat({ messages }, { strategy })
    await router.close()
    const spans = otel.spans()
    const call = spans.find((span) => span.attributes['switchyard.call.kind'] === 'call' && span.kind === SpanKind.INTERNAL)!
    const side = spans.find((span) => span.attributes['switchyard.call.kind'] === 'judge' && span.kind === SpanKind.INTERNAL)!
    expect(side).toBeDefined()
    expect(parentOf(side)).toBe(call.spanContext().spanId)
    expect(childrenOf(spans, side).map((span) => span.attributes['switchyard.provider'])).toEqual(['p'])
    expect(side.ended).toBe(true)
  })

  it('a stream: the call and its attempt carry the time to first token and the usage the stream reported', async () => {
    const streaming = mockProvider({ id: 'streaming', models: { m: { text: 'one two three', latencyMs: 20, chunkDelayMs: 2, usage: { inputTokens: 7, outputTokens: 3 } } } })
    const router = createRouter({ providers: [streaming], prices: { 'streaming/m': price }, telemetry: telemetry() })
    const chunks: ChatChunk[] = []
    for await (const chunk of router.stream({ model: 'streaming/m', messages })) chunks.push(chunk)
    const final = chunks.at(-1)!

    const spans = otel.spans()
    const call = spans.find((span) => span.attributes['switchyard.call.kind'] === 'call')!
    expect(call.name).toBe('chat streaming/m')
    expect(call.attributes[ATTR_GEN_AI_REQUEST_STREAM]).toBe(true)
    expect(call.attributes[ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK]).toBeCloseTo(final.route!.timeToFirstTokenMs! / 1000, 6)
    const [attempt] = childrenOf(spans, call)
    expect(attempt!.attributes).toMatchObject({
      [ATTR_GEN_AI_REQUEST_STREAM]: true,
      [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 7,
      [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: 3,
      [ATTR_GEN_AI_RESPONSE_FINISH_REASONS]: ['stop'],
      'switchyard.attempt.cost_usd': final.cost!.total,
    })
    expect(attempt!.attributes[ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK]).toBeGreaterThanOrEqual(0.015)
    // The attempt span lasts the whole stream, not only until the first token.
    const milliseconds = (span: typeof call) => span.duration[0] * 1000 + span.duration[1] / 1e6
    expect(milliseconds(attempt!)).toBeGreaterThanOrEqual(attempt!.attributes[ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK] as number * 1000)
    expect(attempt!.events.map((event) => event.name)).toContain('first_token')
  })

  it('an aborted call: the call span fails with error.type aborted, its attempt is aborted', async () => {
    const hanging = mockProvider({ id: 'hanging', models: { m: { text: 'never', latencyMs: 10_000 } } })
    const router = createRouter({ providers: [hanging], telemetry: telemetry() })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 20)
    await expect(router.chat({ model: 'hanging/m', messages }, { signal: controller.signal })).rejects.toBeInstanceOf(AbortedError)

    const spans = otel.spans()
    const call = spans.find((span) => span.attributes['switchyard.call.kind'] === 'call')!
    expect(call.status.code).toBe(SpanStatusCode.ERROR)
    expect(call.attributes[ATTR_ERROR_TYPE]).toBe('aborted')
    const [attempt] = childrenOf(spans, call)
    expect(attempt!.attributes['switchyard.attempt.outcome']).toBe('aborted')
    expect(attempt!.attributes[ATTR_ERROR_TYPE]).toBe('aborted')
    expect(attempt!.status.code).toBe(SpanStatusCode.ERROR)
  })

  it('a budget refusal: the attempt says which budget refused it, before any provider call', async () => {
    const llm = mockProvider({ id: 'llm', models: { m: 'ok' } })
    const router = createRouter({ providers: [llm], prices: { 'llm/m': price }, budgets: [{ name: 'nothing-left', limitUsd: 0, window: 'day' }], telemetry: telemetry() })
    await expect(router.chat({ model: 'llm/m', messages })).rejects.toThrow(/nothing-left/)
    expect(llm.calls).toHaveLength(0)
    const call = otel.spans().find((span) => span.attributes['switchyard.call.kind'] === 'call')!
    expect(call.status.code).toBe(SpanStatusCode.ERROR)
    expect(call.attributes['switchyard.budget.exceeded']).toBe(true)
    const [attempt] = childrenOf(otel.spans(), call)
    expect(attempt!.attributes).toMatchObject({ [ATTR_ERROR_TYPE]: 'budget_exceeded', 'switchyard.budget.exceeded': true, 'switchyard.budget.name': 'nothing-left' })
  })

  it('embeddings: operation embeddings, input tokens on the attempt', async () => {
    const llm = mockProvider({ id: 'llm', models: { e: { usage: { inputTokens: 6 } } } })
    const router = createRouter({ providers: [llm], prices: { 'llm/e': price }, telemetry: telemetry() })
    const result = await router.embed({ model: 'llm/e', input: ['one', 'two'] })
    const call = otel.spans().find((span) => span.attributes['switchyard.call.kind'] === 'call')!
    expect(call.name).toBe('embeddings llm/e')
    expect(call.attributes[ATTR_GEN_AI_OPERATION_NAME]).toBe('embeddings')
    const [attempt] = childrenOf(otel.spans(), call)
    expect(attempt!.name).toBe('embeddings e')
    expect(attempt!.attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS]).toBe(result.usage.prompt_tokens)
    expect(attempt!.attributes['switchyard.attempt.cost_usd']).toBe(result.cost.total)
  })

  it('a call outside any span starts its own trace; tags become switchyard.tag.* attributes', async () => {
    const llm = mockProvider({ id: 'llm', models: { m: 'ok' } })
    const router = createRouter({ providers: [llm], telemetry: telemetry() })
    expect(trace.getActiveSpan()).toBeUndefined()
    await router.chat({ model: 'llm/m', messages }, { tags: { team: 'search', feature: 'answers' } })
    const call = otel.spans().find((span) => span.attributes['switchyard.call.kind'] === 'call')!
    expect(call.parentSpanContext).toBeUndefined()
    expect(call.attributes['switchyard.tag.team']).toBe('search')
    expect(call.attributes['switchyard.tag.feature']).toBe('answers')
  })
})
