import { ConfigurationError } from '../errors/errors.js'
import type { RouterFeature } from '../router/router-feature.js'
import { TelemetryLoader } from './telemetry-loader.js'
import type { TelemetrySettings } from './telemetry-options.js'

function validateTelemetry(option: unknown): TelemetrySettings | undefined {
  if (option === undefined || option === false) return undefined
  if (option === true) return {}
  if (typeof option !== 'object' || option === null) {
    throw new ConfigurationError('createRouter: `telemetry` must be true, false or { tracer?, meter?, captureContent? }.')
  }
  const settings = option as TelemetrySettings
  if (settings.tracer !== undefined && typeof settings.tracer?.startSpan !== 'function') {
    throw new ConfigurationError('createRouter: `telemetry.tracer` must be an OpenTelemetry Tracer, e.g. trace.getTracer("my-app").')
  }
  if (settings.meter !== undefined && typeof settings.meter?.createHistogram !== 'function') {
    throw new ConfigurationError('createRouter: `telemetry.meter` must be an OpenTelemetry Meter, e.g. metrics.getMeter("my-app").')
  }
  if (settings.captureContent !== undefined && typeof settings.captureContent !== 'boolean') {
    throw new ConfigurationError('createRouter: `telemetry.captureContent` must be true or false.')
  }
  return settings
}

/**
 * OpenTelemetry spans and metrics (`createRouter({ telemetry })`), and `router.fetch` continuing
 * the trace an incoming request carries. The API package and the span code load on the first call
 * with telemetry on, never when it is off.
 */
export const telemetryFeature: RouterFeature = {
  name: 'telemetryFeature',
  options: ['telemetry'],
  install({ config, core, slots }) {
    const settings = validateTelemetry(config.telemetry)
    if (!settings) return
    const telemetry = new TelemetryLoader(settings)
    core.hooks.observe(telemetry)
    slots.withIncomingRequest = (headers, run) => telemetry.withIncomingRequest(headers, run)
  },
}
