import OpenAI from 'openai'
import { propagation, trace, type Context, type TextMapGetter, type TextMapPropagator } from '@opentelemetry/api'
import { describe, expect, it } from 'vitest'
import { createRouter, mockProvider } from '../../src/index.js'
import { childrenOf, parentOf, useOpenTelemetry } from '../helpers/open-telemetry.js'

const otel = useOpenTelemetry()
const traceId = '4bf92f3577b34da6a3ce929d0e0e4736'
const remoteSpanId = '00f067aa0ba902b7'

function router() {
  return createRouter({ providers: [mockProvider({ id: 'llm', models: { m: 'Hello.' } })], telemetry: { tracer: otel.tracer, meter: otel.meter() } })
}

function callSpan() {
  return otel.spans().find((span) => span.attributes['switchyard.call.kind'] === 'call')!
}

describe('trace context through router.fetch', () => {
  it('a W3C traceparent header on the incoming request becomes the call span\'s parent', async () => {
    const response = await router().fetch('/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${remoteSpanId}-01`, tracestate: 'vendor=value' },
      body: JSON.stringify({ model: 'llm/m', messages: [{ role: 'user', content: 'Hi' }] }),
    })
    expect(response.status).toBe(200)
    const call = callSpan()
    expect(call.spanContext().traceId).toBe(traceId)
    expect(parentOf(call)).toBe(remoteSpanId)
    expect(call.parentSpanContext?.isRemote).toBe(true)
    expect(call.spanContext().traceState?.get('vendor')).toBe('value')
    expect(childrenOf(otel.spans(), call)).toHaveLength(1)
  })

  it('the official OpenAI SDK over router.fetch, streaming, continues the trace its headers carry', async () => {
    const client = new OpenAI({ apiKey: 'unused', baseURL: 'http://switchyard.local/v1', fetch: router().fetch, defaultHeaders: { traceparent: `00-${traceId}-${remoteSpanId}-01` } })
    const stream = await client.chat.completions.create({ model: 'llm/m', messages: [{ role: 'user', content: 'Hi' }], stream: true })
    let text = ''
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? ''
    expect(text).toBe('Hello.')
    const call = callSpan()
    expect(call.spanContext().traceId).toBe(traceId)
    expect(parentOf(call)).toBe(remoteSpanId)
  })

  it('without a header, an in-process caller\'s active span is the parent', async () => {
    const handler = router().fetch
    const applicationSpanId = await otel.tracer.startActiveSpan('application', async (span) => {
      await handler('/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'llm/m', messages: [{ role: 'user', content: 'Hi' }] }) })
      span.end()
      return span.spanContext().spanId
    })
    expect(parentOf(callSpan())).toBe(applicationSpanId)
  })

  it('a malformed traceparent is ignored: the call starts a trace of its own', async () => {
    await router().fetch('/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${'0'.repeat(32)}-${remoteSpanId}-01` },
      body: JSON.stringify({ model: 'llm/m', messages: [{ role: 'user', content: 'Hi' }] }),
    })
    const call = callSpan()
    expect(call.parentSpanContext).toBeUndefined()
    expect(call.spanContext().traceId).not.toBe('0'.repeat(32))
  })

  it('a registered global propagator (here a B3 single-header one) is read first, before a traceparent header', async () => {
    const b3TraceId = 'a3ce929d0e0e47364bf92f3577b34da6'
    const b3SpanId = 'e457b5a2e4d86bd1'
    // Written for the test against the public propagator contract: `b3: {traceId}-{spanId}-{sampled}`.
    const seenKeys: string[][] = []
    const b3: TextMapPropagator = {
      inject() {},
      extract(context: Context, carrier: unknown, getter: TextMapGetter) {
        seenKeys.push(getter.keys(carrier))
        const value = getter.get(carrier, 'b3')
        const [traceIdPart, spanIdPart, sampled] = (Array.isArray(value) ? value[0] : value)?.split('-') ?? []
        if (!traceIdPart || !spanIdPart) return context
        return trace.setSpanContext(context, { traceId: traceIdPart, spanId: spanIdPart, traceFlags: sampled === '1' ? 1 : 0, isRemote: true })
      },
      fields: () => ['b3'],
    }
    propagation.setGlobalPropagator(b3)
    try {
      const response = await router().fetch('/v1/chat/completions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', b3: `${b3TraceId}-${b3SpanId}-1`, traceparent: `00-${traceId}-${remoteSpanId}-01` },
        body: JSON.stringify({ model: 'llm/m', messages: [{ role: 'user', content: 'Hi' }] }),
      })
      expect(response.status).toBe(200)
      const call = callSpan()
      expect(call.spanContext().traceId).toBe(b3TraceId)
      expect(parentOf(call)).toBe(b3SpanId)
      expect(call.parentSpanContext?.isRemote).toBe(true)
      expect(seenKeys.at(-1)).toContain('b3')

      // The registered propagator finds nothing: the traceparent header is still honoured.
      otel.reset()
      await router().fetch('/v1/chat/completions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${remoteSpanId}-01` },
        body: JSON.stringify({ model: 'llm/m', messages: [{ role: 'user', content: 'Hi' }] }),
      })
      expect(callSpan().spanContext().traceId).toBe(traceId)
    } finally {
      propagation.disable()
    }
  })
})
