// The real OpenTelemetry SDK pipeline (a batch span processor and a periodic metric reader) with
// exporters that drop everything: what telemetry costs the caller's process, without a collector.
import { AggregationTemporality, MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics'
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base'

// ExportResultCode.SUCCESS (from @opentelemetry/core, which is not a dependency of ours).
const exportSucceeded = { code: 0 }

export function discardingTelemetry() {
  let exportedSpans = 0
  const spanExporter: SpanExporter = {
    export: (spans, done) => {
      exportedSpans += spans.length
      done(exportSucceeded)
    },
    shutdown: async () => {},
  }
  const metricExporter: PushMetricExporter = {
    export: (_metrics, done) => done(exportSucceeded),
    forceFlush: async () => {},
    shutdown: async () => {},
    selectAggregationTemporality: () => AggregationTemporality.CUMULATIVE,
  }
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(spanExporter)] })
  const meterProvider = new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 1_000 })] })
  return {
    tracer: tracerProvider.getTracer('bench'),
    meter: meterProvider.getMeter('bench'),
    /** Another meter of the same pipeline, for instruments of the same names with settings of their own. */
    otherMeter: meterProvider.getMeter('bench-other'),
    /** How many spans reached the exporter, to show the pipeline really ran. */
    exportedSpans: () => exportedSpans,
    async shutdown() {
      await tracerProvider.shutdown()
      await meterProvider.shutdown()
    },
  }
}
