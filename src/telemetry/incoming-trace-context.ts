import type { Context } from '@opentelemetry/api'
import type { OpenTelemetryModule } from './open-telemetry-observer.js'

const traceparentPattern = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$/

const headerGetter = {
  get: (headers: Headers, key: string) => headers.get(key) ?? undefined,
  keys: (headers: Headers) => [...headers.keys()],
}

/**
 * The trace context an incoming HTTP request carries. The globally registered propagator reads it
 * first (so B3 or anything else the application configured works); when none is registered, a
 * W3C `traceparent` header is read directly, so `router.fetch` continues the caller's trace either
 * way. Without either, the current context stays (an in-process caller's active span).
 */
export function incomingTraceContext(api: OpenTelemetryModule, headers: Headers): Context {
  const active = api.context.active()
  const extracted = api.propagation.extract(active, headers, headerGetter)
  if (api.trace.getSpanContext(extracted) !== undefined && extracted !== active) return extracted
  const match = traceparentPattern.exec(headers.get('traceparent')?.trim().toLowerCase() ?? '')
  if (!match || match[1] === 'ff') return active
  const tracestate = headers.get('tracestate')
  const spanContext = {
    traceId: match[2]!,
    spanId: match[3]!,
    traceFlags: Number.parseInt(match[4]!, 16) & 1,
    isRemote: true,
    ...(tracestate ? { traceState: api.createTraceState(tracestate) } : {}),
  }
  return api.trace.isSpanContextValid(spanContext) ? api.trace.setSpanContext(active, spanContext) : active
}
