import type { Meter, Tracer } from '@opentelemetry/api'

/**
 * `createRouter({ telemetry })`: `true` uses the globally registered OpenTelemetry tracer and meter
 * providers; an object may pass its own tracer and meter and opt in to recording message content.
 */
export type TelemetryOption = boolean | TelemetrySettings

export interface TelemetrySettings {
  /** Spans go here. Default: `trace.getTracer('switchyard')` from the global tracer provider. */
  tracer?: Tracer
  /** Metrics go here. Default: `metrics.getMeter('switchyard')` from the global meter provider. */
  meter?: Meter
  /**
   * Record prompts and answers on spans (`gen_ai.input.messages`, `gen_ai.output.messages`,
   * `gen_ai.system_instructions`). Off by default: message content is often personal data.
   * API keys are never recorded.
   */
  captureContent?: boolean
}
