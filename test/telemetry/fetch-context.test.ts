import OpenAI from 'openai'
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
})
