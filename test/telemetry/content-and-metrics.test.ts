import {
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_SYSTEM_INSTRUCTIONS,
  ATTR_GEN_AI_TOKEN_TYPE,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  GEN_AI_PROVIDER_NAME_VALUE_OPENAI,
  GEN_AI_TOKEN_TYPE_VALUE_INPUT,
  GEN_AI_TOKEN_TYPE_VALUE_OUTPUT,
  METRIC_GEN_AI_CLIENT_OPERATION_DURATION,
  METRIC_GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK,
  METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
} from '@opentelemetry/semantic-conventions/incubating'
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions'
import { HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { createRouter, fallback, mockProvider, openai } from '../../src/index.js'
import type { CachedAnswer } from '../../src/router/call-hooks.js'
import { coreOf } from '../../src/router/router.js'
import { useMswServer } from '../helpers/msw.js'
import { histogramPoints, useOpenTelemetry } from '../helpers/open-telemetry.js'
import { openAIBaseURL, serveChatCompletions, testApiKey } from '../helpers/openai-handlers.js'
import { recordedChunks, recordedJson, sseResponse } from '../helpers/recordings.js'

const otel = useOpenTelemetry()
const server = useMswServer()
const recorded = recordedJson('openai', 'openai-text')
const recordedStream = recordedChunks('openai', 'openai-text')
const messages = [
  { role: 'system' as const, content: 'You are terse.' },
  { role: 'user' as const, content: 'Invent a new holiday and describe its traditions.' },
]

function everyAttributeValue(): string {
  return JSON.stringify(otel.spans().map((span) => span.attributes))
}

describe('message content and keys', () => {
  it('records no message content by default, and never the API key', async () => {
    serveChatCompletions(server, () => HttpResponse.json(recorded))
    const router = createRouter({ providers: [openai({ apiKey: testApiKey })], telemetry: { tracer: otel.tracer, meter: otel.meter() } })
    const result = await router.chat({ model: 'openai/gpt-4.1-nano', messages })
    expect(result.choices[0]!.message.content).toBe(recorded.choices[0].message.content)

    const attempt = otel.spans().find((span) => span.attributes['switchyard.attempt.number'] !== undefined)!
    expect(attempt.attributes).toMatchObject({
      [ATTR_GEN_AI_PROVIDER_NAME]: GEN_AI_PROVIDER_NAME_VALUE_OPENAI,
      [ATTR_GEN_AI_REQUEST_MODEL]: 'gpt-4.1-nano',
      [ATTR_GEN_AI_RESPONSE_MODEL]: recorded.model,
      [ATTR_GEN_AI_RESPONSE_ID]: recorded.id,
      [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: recorded.usage.prompt_tokens,
      [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: recorded.usage.completion_tokens,
    })
    const values = everyAttributeValue()
    expect(values).not.toContain('Invent a new holiday')
    expect(values).not.toContain('Galaxy Day')
    expect(values).not.toContain(testApiKey)
    for (const span of otel.spans()) {
      expect(span.attributes[ATTR_GEN_AI_INPUT_MESSAGES]).toBeUndefined()
      expect(span.attributes[ATTR_GEN_AI_OUTPUT_MESSAGES]).toBeUndefined()
    }
  })

  it('with captureContent, records the conversation in the conventions\' JSON shape, still never the key', async () => {
    serveChatCompletions(server, () => HttpResponse.json(recorded))
    const router = createRouter({ providers: [openai({ apiKey: testApiKey })], telemetry: { tracer: otel.tracer, meter: otel.meter(), captureContent: true } })
    await router.chat({ model: 'openai/gpt-4.1-nano', messages })

    const attempt = otel.spans().find((span) => span.attributes['switchyard.attempt.number'] !== undefined)!
    expect(JSON.parse(attempt.attributes[ATTR_GEN_AI_SYSTEM_INSTRUCTIONS] as string)).toEqual([{ type: 'text', content: 'You are terse.' }])
    expect(JSON.parse(attempt.attributes[ATTR_GEN_AI_INPUT_MESSAGES] as string)).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Invent a new holiday and describe its traditions.' }] },
    ])
    expect(JSON.parse(attempt.attributes[ATTR_GEN_AI_OUTPUT_MESSAGES] as string)).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: recorded.choices[0].message.content }], finish_reason: recorded.choices[0].finish_reason },
    ])
    const call = otel.spans().find((span) => span.attributes['switchyard.call.kind'] === 'call')!
    expect(call.attributes[ATTR_GEN_AI_INPUT_MESSAGES]).toBe(attempt.attributes[ATTR_GEN_AI_INPUT_MESSAGES])
    expect(everyAttributeValue()).not.toContain(testApiKey)
  })
})

describe('metrics', () => {
  it('token usage and operation duration per attempt, with the conventions\' attributes; cost in USD', async () => {
    serveChatCompletions(server, (_body, call) => (call === 0 ? HttpResponse.json({ error: { message: 'overloaded', type: 'server_error' } }, { status: 500 }) : HttpResponse.json(recorded)))
    const meter = otel.meter()
    const router = createRouter({
      providers: [openai({ apiKey: testApiKey, baseURL: openAIBaseURL })],
      prices: { 'openai/gpt-4.1-nano': { input: 0.1, output: 0.4 } },
      routes: { main: fallback(['openai/gpt-4.1-nano'], { retries: 1, minRetryDelayMs: 1 }) },
      telemetry: { tracer: otel.tracer, meter },
    })
    const result = await router.chat({ model: 'main', messages })
    expect(result.route.attempts.map((attempt) => attempt.outcome)).toEqual(['error', 'success'])

    const metrics = await otel.metrics(otel.lastMeterName())
    const tokens = histogramPoints(metrics.get(METRIC_GEN_AI_CLIENT_TOKEN_USAGE))
    const tokensOf = (type: string) => tokens.find((point) => point.attributes[ATTR_GEN_AI_TOKEN_TYPE] === type)!
    expect(tokensOf(GEN_AI_TOKEN_TYPE_VALUE_INPUT).value.sum).toBe(recorded.usage.prompt_tokens)
    expect(tokensOf(GEN_AI_TOKEN_TYPE_VALUE_OUTPUT).value.sum).toBe(recorded.usage.completion_tokens)
    expect(tokensOf(GEN_AI_TOKEN_TYPE_VALUE_INPUT).attributes).toMatchObject({
      [ATTR_GEN_AI_OPERATION_NAME]: 'chat',
      [ATTR_GEN_AI_PROVIDER_NAME]: 'openai',
      [ATTR_GEN_AI_REQUEST_MODEL]: 'gpt-4.1-nano',
      [ATTR_GEN_AI_RESPONSE_MODEL]: recorded.model,
      'switchyard.route': 'main',
      'switchyard.strategy': 'fallback',
    })

    const durations = histogramPoints(metrics.get(METRIC_GEN_AI_CLIENT_OPERATION_DURATION))
    expect(metrics.get(METRIC_GEN_AI_CLIENT_OPERATION_DURATION)!.descriptor.unit).toBe('s')
    const failed = durations.find((point) => point.attributes[ATTR_ERROR_TYPE] !== undefined)!
    const succeeded = durations.find((point) => point.attributes[ATTR_ERROR_TYPE] === undefined)!
    expect(failed.attributes[ATTR_ERROR_TYPE]).toBe('provider_error')
    expect(failed.value.count).toBe(1)
    expect(succeeded.value.count).toBe(1)
    expect(succeeded.value.sum).toBeCloseTo(result.route.attempts[1]!.latencyMs / 1000, 6)

    const cost = metrics.get('switchyard.client.cost')!
    expect(cost.descriptor.unit).toBe('{USD}')
    expect(cost.dataPoints.reduce((sum, point) => sum + (point.value as number), 0)).toBeCloseTo(result.cost.total!, 12)
  })

  it('time to first token for streams, and cache hits', async () => {
    // The recorded stream, replayed through the official SDK.
    serveChatCompletions(server, () => sseResponse(recordedStream, { done: true }))
    const meter = otel.meter()
    const router = createRouter({ providers: [openai({ apiKey: testApiKey })], telemetry: { tracer: otel.tracer, meter } })
    // A feature that answers every second call from a store, registered like the response cache registers.
    let stored: CachedAnswer | undefined
    coreOf(router).hooks.add({
      lookup: async () => stored,
      complete: (_call, _request, _model, answer) => {
        stored = answer
      },
    })
    let firstTokenMs: number | undefined
    for await (const chunk of router.stream({ model: 'openai/gpt-4.1-nano', messages })) if (chunk.route) firstTokenMs = chunk.route.timeToFirstTokenMs
    const cached = await router.chat({ model: 'openai/gpt-4.1-nano', messages })
    expect(cached.route.cacheHit).toBe(true)

    const metrics = await otel.metrics(otel.lastMeterName())
    const [firstToken] = histogramPoints(metrics.get(METRIC_GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK))
    expect(firstToken!.value.count).toBe(1)
    expect(firstToken!.value.sum).toBeCloseTo(firstTokenMs! / 1000, 6)
    const output = histogramPoints(metrics.get(METRIC_GEN_AI_CLIENT_TOKEN_USAGE)).find((point) => point.attributes[ATTR_GEN_AI_TOKEN_TYPE] === 'output')!
    expect(output.value.sum).toBe(recordedStream.at(-1).usage.completion_tokens)
    const hits = metrics.get('switchyard.client.cache.hits')!
    expect(hits.dataPoints.map((point) => point.value)).toEqual([1])
    const cachedCall = otel.spans().filter((span) => span.attributes['switchyard.call.kind'] === 'call').at(-1)!
    expect(cachedCall.attributes['switchyard.cache.hit']).toBe(true)
  })
})
