// The floor of the telemetry benchmark: the spans and metric records Switchyard's telemetry makes
// for a one-attempt call (docs/observability.md lists them), made directly on the OpenTelemetry SDK
// around a call of a router with telemetry off. Attribute objects are literals and the metric
// attribute sets are made once, so what this costs is the SDK's own work for that data: what no
// instrumentation emitting it could avoid.
import { context, SpanKind, trace, type Meter, type Tracer } from '@opentelemetry/api'
import { genAi, genAiMetrics, switchyard, switchyardMetrics } from '../src/telemetry/semantic-attributes.js'

interface ChatAnswer {
  readonly id: string
  readonly model: string
  readonly choices: ReadonlyArray<{ readonly finish_reason: string }>
  readonly usage: { readonly prompt_tokens: number; readonly completion_tokens: number }
  readonly cost: { readonly total: number | null }
  readonly route: { readonly latencyMs: number }
}

/** Wraps `call` (a `router.chat` to openai/gpt-4o with telemetry off) in the spans and records telemetry makes for it. */
export function directTelemetry(tracer: Tracer, meter: Meter) {
  const tokenUsage = meter.createHistogram(genAiMetrics.tokenUsage, { unit: '{token}' })
  const duration = meter.createHistogram(genAiMetrics.operationDuration, { unit: 's' })
  const cost = meter.createCounter(switchyardMetrics.cost, { unit: '{USD}' })
  const dimensions = {
    [genAi.operationName]: 'chat',
    [switchyard.strategy]: 'single',
    [genAi.providerName]: 'openai',
    [genAi.requestModel]: 'gpt-4o',
    [genAi.responseModel]: 'gpt-4o-2024-08-06',
  }
  const all = Object.freeze(dimensions)
  const input = Object.freeze({ ...dimensions, [genAi.tokenType]: 'input' })
  const output = Object.freeze({ ...dimensions, [genAi.tokenType]: 'output' })
  let calls = 0

  return async function withDirectTelemetry(call: () => Promise<ChatAnswer>): Promise<ChatAnswer> {
    const active = context.active()
    const callSpan = tracer.startSpan('chat openai/gpt-4o', {
      kind: SpanKind.INTERNAL,
      attributes: { [genAi.operationName]: 'chat', [genAi.requestModel]: 'openai/gpt-4o', [switchyard.callId]: `bench-${(calls += 1)}`, [switchyard.callKind]: 'call', [switchyard.strategy]: 'single' },
    }, active)
    const attemptSpan = tracer.startSpan('chat gpt-4o', {
      kind: SpanKind.CLIENT,
      attributes: { [genAi.operationName]: 'chat', [genAi.providerName]: 'openai', [genAi.requestModel]: 'gpt-4o', [switchyard.provider]: 'openai', [switchyard.attemptNumber]: 1 },
    }, trace.setSpan(active, callSpan))
    const answer = await call()
    const finishReasons = [answer.choices[0]!.finish_reason]
    const costUsd = answer.cost.total ?? 0
    attemptSpan.setAttributes({
      [switchyard.attemptOutcome]: 'success',
      [genAi.responseModel]: answer.model,
      [genAi.responseId]: answer.id,
      [genAi.responseFinishReasons]: finishReasons,
      [genAi.usageInputTokens]: answer.usage.prompt_tokens,
      [genAi.usageOutputTokens]: answer.usage.completion_tokens,
      [genAi.usageCacheReadInputTokens]: 0,
      [genAi.usageCacheCreationInputTokens]: 0,
      [genAi.usageReasoningOutputTokens]: 0,
      [switchyard.attemptCostUsd]: costUsd,
    })
    attemptSpan.end()
    duration.record(answer.route.latencyMs / 1000, all)
    tokenUsage.record(answer.usage.prompt_tokens, input)
    tokenUsage.record(answer.usage.completion_tokens, output)
    cost.add(costUsd, all)
    callSpan.setAttributes({
      [genAi.providerName]: 'openai',
      [switchyard.provider]: 'openai',
      [genAi.responseModel]: answer.model,
      [switchyard.attempts]: 1,
      [switchyard.fellBack]: false,
      [switchyard.cacheHit]: false,
      [switchyard.callCostUsd]: costUsd,
      [genAi.responseFinishReasons]: finishReasons,
    })
    callSpan.end()
    return answer
  }
}
