import type { FeatureContext, RouterFeature } from '../router/router-feature.js'
import { ReportCollector } from './report-collector.js'
import { isReportPath, serveReportPage, validateReportPage } from './report-page.js'
import { withSharedSpend } from './shared-spend.js'

function reportCollector({ core }: FeatureContext): ReportCollector {
  const report = new ReportCollector(() => core.experiments.report())
  core.hooks.observe(report)
  return report
}

/**
 * `router.report()`: spend, latency, error and cache figures collected in bounded memory, a few
 * counters per call; `router.sharedReport()`: the same with spend from the shared ledger.
 */
export const reportFeature: RouterFeature = {
  name: 'reportFeature',
  options: [],
  install(context) {
    const report = context.once(reportCollector)
    context.slots.report = report
    context.slots.sharedReport = () => withSharedSpend(report.report(), context.slots.spend)
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
    // With a shared store the page shows every instance's spend (the ledger), not this one's alone.
    context.slots.servePath = (pathname, request) =>
      isReportPath(page, pathname) ? serveReportPage(request(), page, () => withSharedSpend(report.report(), context.slots.spend)) : undefined
  },
}
