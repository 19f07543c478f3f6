// OpenTelemetry spans and metrics of routed calls, printed by the SDK's console exporters.
//   npx tsx examples/telemetry-console.ts
// Runs offline on mock providers. For a real backend, swap the console exporters for the OTLP ones
// (see docs/observability.md).
import { context } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { ConsoleMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics'
import { BasicTracerProvider, ConsoleSpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { createRouter, fallback, mockProvider } from '../src/index.js'

// What an application's telemetry set-up does once at start-up (NodeSDK from
// @opentelemetry/sdk-node does the same in one call).
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())] })
const metricReader = new PeriodicExportingMetricReader({ exporter: new ConsoleMetricExporter(), exportIntervalMillis: 60_000 })
const meterProvider = new MeterProvider({ readers: [metricReader] })
const tracer = tracerProvider.getTracer('telemetry-console-example')

const router = createRouter({
  providers: [
    mockProvider({ id: 'busy-cloud', models: { 'large-1': { error: 'rate_limit' } } }),
    mockProvider({ id: 'steady-cloud', models: { 'small-1': { text: 'Paris.', latencyMs: 30, usage: { inputTokens: 24, outputTokens: 3 } } } }),
  ],
  prices: { 'busy-cloud/large-1': { input: 2.5, output: 10 }, 'steady-cloud/small-1': { input: 0.15, output: 0.6 } },
  routes: { main: fallback(['busy-cloud/large-1', 'steady-cloud/small-1'], { retries: 0 }) },
  telemetry: { tracer, meter: meterProvider.getMeter('telemetry-console-example') },
})

// The application's own span: the router's call span nests under it, the attempts under that.
await tracer.startActiveSpan('answer question', async (span) => {
  const result = await router.chat({ model: 'main', messages: [{ role: 'user', content: 'Capital of France?' }] }, { tags: { team: 'search' } })
  console.log(`answer: ${result.choices[0]!.message.content} (${result.route.provider}/${result.route.model}, $${result.cost.total!.toFixed(8)})`)
  span.end()
})

await metricReader.forceFlush()
await tracerProvider.shutdown()
await meterProvider.shutdown()
