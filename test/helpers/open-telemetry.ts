import { context, trace, type Tracer } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type DataPoint, type Histogram, type MetricData } from '@opentelemetry/sdk-metrics'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { afterAll, afterEach, beforeAll } from 'vitest'

/**
 * The real OpenTelemetry SDK for one test file: an AsyncLocalStorage context manager (as a Node
 * application registers it), a tracer provider exporting to memory, and a meter provider with an
 * in-memory reader. Spans and metrics are cleared after each test.
 */
export function useOpenTelemetry() {
  const spanExporter = new InMemorySpanExporter()
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] })
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE)
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 })
  const meterProvider = new MeterProvider({ readers: [reader] })
  const contextManager = new AsyncLocalStorageContextManager()
  let meterNumber = 0

  beforeAll(() => {
    context.setGlobalContextManager(contextManager.enable())
  })
  afterEach(() => spanExporter.reset())
  afterAll(async () => {
    context.disable()
    await tracerProvider.shutdown()
    await meterProvider.shutdown()
  })

  return {
    tracer: tracerProvider.getTracer('switchyard-test') as Tracer,
    /** A fresh meter per test (its own instruments), so counts never carry over between tests. */
    meter: () => meterProvider.getMeter(`switchyard-test-${++meterNumber}`),
    spans: (): ReadableSpan[] => spanExporter.getFinishedSpans(),
    /** Forgets the spans finished so far, within a test. */
    reset: () => spanExporter.reset(),
    /** Every metric the given meter recorded, by name. */
    async metrics(meterName: string): Promise<Map<string, MetricData>> {
      metricExporter.reset()
      await reader.forceFlush()
      const byName = new Map<string, MetricData>()
      for (const resource of metricExporter.getMetrics()) {
        for (const scope of resource.scopeMetrics) {
          if (scope.scope.name !== meterName) continue
          for (const metric of scope.metrics) byName.set(metric.descriptor.name, metric)
        }
      }
      return byName
    },
    lastMeterName: () => `switchyard-test-${meterNumber}`,
  }
}

export function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId
}

export function childrenOf(spans: readonly ReadableSpan[], parent: ReadableSpan): ReadableSpan[] {
  const id = parent.spanContext().spanId
  return spans.filter((span) => parentOf(span) === id).sort((left, right) => hrtimeMs(left.startTime) - hrtimeMs(right.startTime))
}

function hrtimeMs([seconds, nanoseconds]: readonly [number, number]): number {
  return seconds * 1000 + nanoseconds / 1e6
}

export function histogramPoints(metric: MetricData | undefined): DataPoint<Histogram>[] {
  return (metric?.dataPoints ?? []) as DataPoint<Histogram>[]
}

export { trace }
