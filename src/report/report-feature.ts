import type { FeatureContext, RouterFeature } from '../router/router-feature.js'
import { ReportCollector } from './report-collector.js'
import { isReportPath, serveReportPage, validateReportPage } from './report-page.js'

function reportCollector({ core }: FeatureContext): ReportCollector {
  const report = new ReportCollector(() => core.experiments.report())
  core.hooks.observe(report)
  return report
}

/** `router.report()`: spend, latency, error and cache figures collected in bounded memory, a few counters per call. */
export const reportFeature: RouterFeature = {
  name: 'reportFeature',
  options: [],
  install(context) {
    context.slots.report = context.once(reportCollector)
  },
}

/** `createRouter({ reportPage })`: `router.report()` as an HTML page served by `router.fetch`, guarded by a token. */
export const reportPageFeature: RouterFeature = {
  name: 'reportPageFeature',
  options: ['reportPage'],
  install(context) {
    const page = validateReportPage(context.config.reportPage)
    if (!page) return
    const report = context.once(reportCollector)
    context.slots.report = report
    context.slots.servePath = (pathname, request) => (isReportPath(page, pathname) ? serveReportPage(request(), page, () => report.report()) : undefined)
  },
}
