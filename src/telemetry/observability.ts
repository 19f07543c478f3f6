import { ConfigurationError } from '../errors/errors.js'
import type { CallObserver } from '../router/call-hooks.js'
import type { ExperimentReport } from '../state/experiment-store.js'
import { ReportCollector } from '../report/report-collector.js'
import { validateReportPage, type ReportPageOptions } from '../report/report-page.js'
import { TelemetryLoader } from './telemetry-loader.js'
import type { TelemetryOption, TelemetrySettings } from './telemetry-options.js'

/** What the router keeps for `router.report()`, its report page and OpenTelemetry. */
export interface Observability {
  readonly report: ReportCollector
  readonly telemetry?: TelemetryLoader
  readonly reportPage?: ReportPageOptions
}

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
 * Sets up the router's observability from its options and registers its observers: the report
 * collector always (it is a few counters per call), OpenTelemetry only when `telemetry` is set.
 */
export function installObservability(
  options: { telemetry?: TelemetryOption; reportPage?: ReportPageOptions },
  observe: (observer: CallObserver) => void,
  experiments: () => ExperimentReport[],
): Observability {
  const reportPage = validateReportPage(options.reportPage)
  const settings = validateTelemetry(options.telemetry)
  const report = new ReportCollector(experiments)
  observe(report)
  if (!settings) return { report, ...(reportPage ? { reportPage } : {}) }
  const telemetry = new TelemetryLoader(settings)
  observe(telemetry)
  return { report, telemetry, ...(reportPage ? { reportPage } : {}) }
}
