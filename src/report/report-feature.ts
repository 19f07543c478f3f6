import type { FeatureContext, RouterFeature } from '../router/router-feature.js'
import { ReportCollector } from './report-collector.js'
import { isReportPath, validateReportPage } from './report-page.js'
import { lazyPart } from '../internal/lazy-part.js'
import type { RouterReport } from './report-types.js'

/** Reading spend from the shared ledger, imported at the first shared report. */
const sharedSpendCode = /* @__PURE__ */ lazyPart('router.sharedReport()', () => import('./shared-spend.js'))

/** `report` (taken now) with spend from the shared ledger when the store is shared. */
function reportWithSharedSpend(report: RouterReport, context: FeatureContext): Promise<RouterReport> {
  return sharedSpendCode.load().then((code) => code.withSharedSpend(report, context.slots.spend))
}

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
    context.slots.sharedReport = () => reportWithSharedSpend(report.report(), context)
  },
}

/** The page's answer, imported at its first request. */
const pageCode = /* @__PURE__ */ lazyPart('the report page', () => import('./report-page-response.js'))

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
      isReportPath(page, pathname) ? pageCode.load().then((code) => code.serveReportPage(request(), page, () => reportWithSharedSpend(report.report(), context))) : undefined
  },
}
