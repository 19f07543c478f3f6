import type { ExperimentReport } from '../state/experiment-store.js'
import { escapeHtml, formatMs, formatPercent, formatUsd } from './report-format.js'
import type { Percentiles, RouterReport, SpendRow } from './report-types.js'
import { barChart, columnChart, intervalChart } from './svg-charts.js'

const styles = `
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2433;background:#f4f6fa}
header{background:#1d2433;color:#fff;padding:18px 28px}header h1{margin:0;font-size:20px}header p{margin:4px 0 0;color:#b9c2d6;font-size:12px}
main{padding:20px 28px;max-width:1200px}section{background:#fff;border-radius:8px;padding:16px 20px;margin:0 0 18px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
h2{font-size:16px;margin:0 0 12px}h3{font-size:14px;margin:14px 0 8px;color:#44506a}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:12px}
.card{background:#fff;border-radius:8px;padding:12px 14px;box-shadow:0 1px 2px rgba(0,0,0,.06)}.card .name{font-size:12px;color:#5b6680}.card .number{font-size:22px;font-weight:600;margin-top:2px}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}th,td{padding:6px 8px;border-bottom:1px solid #e7eaf0;text-align:right}th:first-child,td:first-child{text-align:left}th{font-size:12px;color:#5b6680;font-weight:600}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:18px}.empty{color:#7a859c;font-style:italic}
svg .label{font-size:12px;fill:#1d2433}svg .value{font-size:12px;fill:#44506a}svg .tick{font-size:11px;fill:#5b6680}svg .axis{stroke:#9aa4b8}svg .midline{stroke:#c4466a;stroke-dasharray:4 3}
.note{font-size:12px;color:#5b6680}.winner{color:#14a38b;font-weight:600}
`

function card(name: string, metric: string, value: number | null, text: string): string {
  return `<div class="card"><div class="name">${escapeHtml(name)}</div><div class="number" data-metric="${metric}" data-value="${value ?? ''}">${escapeHtml(text)}</div></div>`
}

function cell(metric: string, value: number | null | undefined, text: string): string {
  return `<td data-metric="${metric}" data-value="${value ?? ''}">${escapeHtml(text)}</td>`
}

function spendSection(title: string, key: string, rows: readonly SpendRow[], countLabel: string): string {
  const chart = barChart(title, rows.map((row) => ({ label: row.name, value: row.costUsd, text: formatUsd(row.costUsd) })))
  const table = rows.length
    ? `<table data-table="${key}"><thead><tr><th>${escapeHtml(title.replace('Spend by ', ''))}</th><th>Spend</th><th>${countLabel}</th><th>Unpriced attempts</th></tr></thead><tbody>` +
      rows
        .map(
          (row) =>
            `<tr data-row="${escapeHtml(row.name)}"><td>${escapeHtml(row.name)}</td>${cell('costUsd', row.costUsd, formatUsd(row.costUsd))}${cell('count', row.count, String(row.count))}${cell('unpricedAttempts', row.unpricedAttempts, String(row.unpricedAttempts))}</tr>`,
        )
        .join('') +
      `</tbody></table>`
    : ''
  return `<div><h3>${escapeHtml(title)}</h3>${chart}${table}</div>`
}

function percentileCells(prefix: string, figures: Percentiles | null): string {
  return (
    cell(`${prefix}.p50`, figures?.p50, formatMs(figures?.p50)) +
    cell(`${prefix}.p90`, figures?.p90, formatMs(figures?.p90)) +
    cell(`${prefix}.p99`, figures?.p99, formatMs(figures?.p99))
  )
}

function experimentSection(experiment: ExperimentReport): string {
  const rows = experiment.variants.map((variant) => ({
    label: variant.name,
    estimate: variant.winRate,
    lower: variant.confidenceInterval?.lower ?? null,
    upper: variant.confidenceInterval?.upper ?? null,
    text:
      variant.winRate === null
        ? 'no comparisons yet'
        : `${formatPercent(variant.winRate)} (95% CI ${formatPercent(variant.confidenceInterval!.lower)}–${formatPercent(variant.confidenceInterval!.upper)})`,
  }))
  const table =
    `<table data-table="experiment"><thead><tr><th>Variant</th><th>Models</th><th>Weight</th><th>Calls</th><th>Shadow runs</th><th>Comparisons</th><th>Wins</th><th>Losses</th><th>Ties</th><th>Win rate</th><th>95% interval</th><th>Cost / run</th></tr></thead><tbody>` +
    experiment.variants
      .map(
        (variant) =>
          `<tr data-row="${escapeHtml(variant.name)}"><td>${escapeHtml(variant.name)}</td><td>${escapeHtml(variant.models.join(', '))}</td>` +
          cell('weight', variant.weight, formatPercent(variant.weight)) +
          cell('calls', variant.calls, String(variant.calls)) +
          cell('shadowCalls', variant.shadowCalls, String(variant.shadowCalls)) +
          cell('comparisons', variant.comparisons, String(variant.comparisons)) +
          cell('wins', variant.wins, String(variant.wins)) +
          cell('losses', variant.losses, String(variant.losses)) +
          cell('ties', variant.ties, String(variant.ties)) +
          cell('winRate', variant.winRate, formatPercent(variant.winRate)) +
          `<td data-metric="interval" data-lower="${variant.confidenceInterval?.lower ?? ''}" data-upper="${variant.confidenceInterval?.upper ?? ''}">${
            variant.confidenceInterval ? `${formatPercent(variant.confidenceInterval.lower)}–${formatPercent(variant.confidenceInterval.upper)}` : '–'
          }</td>` +
          cell('costPerCall', variant.costPerCall, variant.costPerCall === null ? '–' : formatUsd(variant.costPerCall)) +
          `</tr>`,
      )
      .join('') +
    `</tbody></table>`
  const verdict = experiment.recommendation
    ? `<p class="winner">Recommendation: ${escapeHtml(experiment.recommendation.reason)}</p>`
    : `<p class="note">No winner yet: no variant's 95% interval lies wholly above 50%.</p>`
  return (
    `<div data-experiment="${escapeHtml(experiment.name)}"><h3>${escapeHtml(experiment.name)}</h3>` +
    `<p class="note">${experiment.comparisons} judged comparisons, ${experiment.failedComparisons} failed; judge spend ${experiment.judgeCost === null ? 'unknown' : formatUsd(experiment.judgeCost)}${experiment.promoted ? `; promoted: ${escapeHtml(experiment.promoted)}` : ''}.</p>` +
    intervalChart(`Win rate of ${experiment.name}`, rows) +
    table +
    verdict +
    `</div>`
  )
}

/** A self-contained HTML page of a report: inline CSS and SVG, no script, no external request. */
export function renderReportHtml(report: RouterReport, title = 'Switchyard report'): string {
  const { calls, spend, latency } = report
  const time = (iso: string) => iso.slice(11, 16)
  const cards = [
    card('Spend', 'spend.totalUsd', spend.totalUsd, formatUsd(spend.totalUsd)),
    card('Calls', 'calls.total', calls.total, String(calls.total)),
    card('Error rate', 'calls.errorRate', calls.errorRate, formatPercent(calls.errorRate)),
    card('Fallback rate', 'calls.fallbackRate', calls.fallbackRate, formatPercent(calls.fallbackRate)),
    card('Cache hit rate', 'calls.cacheHitRate', calls.cacheHitRate, formatPercent(calls.cacheHitRate)),
    card('Latency p50', 'latency.callMs.p50', latency.callMs?.p50 ?? null, formatMs(latency.callMs?.p50)),
    card('Latency p99', 'latency.callMs.p99', latency.callMs?.p99 ?? null, formatMs(latency.callMs?.p99)),
    card('First token p50', 'latency.timeToFirstTokenMs.p50', latency.timeToFirstTokenMs?.p50 ?? null, formatMs(latency.timeToFirstTokenMs?.p50)),
  ].join('')
  const modelRows = latency.byModel
    .map(
      (model) =>
        `<tr data-row="${escapeHtml(model.model)}"><td>${escapeHtml(model.model)}</td>` +
        cell('attempts', model.attempts, String(model.attempts)) +
        cell('errorRate', model.errorRate, formatPercent(model.errorRate)) +
        cell('cancelled', model.cancelled, String(model.cancelled)) +
        percentileCells('latencyMs', model.latencyMs) +
        cell('timeToFirstTokenMs.p50', model.timeToFirstTokenMs?.p50, formatMs(model.timeToFirstTokenMs?.p50)) +
        `</tr>`,
    )
    .join('')
  const latencyBars = latency.byModel
    .filter((model) => model.latencyMs !== null)
    .map((model) => ({ label: model.model, value: model.latencyMs!.p50, text: `p50 ${formatMs(model.latencyMs!.p50)}` }))
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title><style>${styles}</style></head>
<body><header><h1>${escapeHtml(title)}</h1><p>Collected since ${escapeHtml(report.since)} · generated ${escapeHtml(report.generatedAt)} · ${calls.succeeded} answered, ${calls.failed} failed, ${calls.aborted} aborted, ${calls.cacheHits} from cache, ${calls.sideCalls} judge and shadow calls${spend.unpricedAttempts ? ` · ${spend.unpricedAttempts} attempts without a known price` : ''}</p></header>
<main>
<div class="cards" style="margin-bottom:18px">${cards}</div>
<section><h2>Spend over time</h2>${columnChart(spend.overTime.intervalMs >= 3_600_000 ? 'Spend per hour' : 'Spend per minute', spend.overTime.points.map((point) => ({ label: time(point.start), value: point.costUsd, text: formatUsd(point.costUsd) })))}
<p class="note">Per ${spend.overTime.intervalMs / 60_000}-minute interval, UTC, list prices.</p></section>
<section><h2>Spend</h2><p class="note" data-spend-source="${spend.source}">${spend.source === 'shared-ledger' ? 'Every instance sharing this store, last 24 hours (spend ledger); by call kind: this instance.' : 'This instance, since it started.'}</p><div class="grid">${spendSection('Spend by model', 'byModel', spend.byModel, 'Attempts')}${spendSection('Spend by route', 'byRoute', spend.byRoute, 'Calls')}${spendSection('Spend by tag', 'byTag', spend.byTag, 'Calls')}${spendSection('Spend by call kind', 'byKind', spend.byKind, 'Calls')}</div></section>
<section><h2>Latency</h2>${barChart('Median latency by model', latencyBars)}
<table data-table="latency"><thead><tr><th>Model</th><th>Attempts</th><th>Error rate</th><th>Cancelled</th><th>p50</th><th>p90</th><th>p99</th><th>First token p50</th></tr></thead><tbody>${modelRows}</tbody></table>
<p class="note">Whole calls: ${percentileCellsText(latency.callMs)}; first token of streams: ${percentileCellsText(latency.timeToFirstTokenMs)}.</p></section>
<section><h2>A/B experiments</h2>${report.experiments.length ? report.experiments.map(experimentSection).join('') : '<p class="empty">No experiments.</p>'}</section>
</main></body></html>`
}

function percentileCellsText(figures: Percentiles | null): string {
  return figures ? `p50 ${formatMs(figures.p50)}, p90 ${formatMs(figures.p90)}, p99 ${formatMs(figures.p99)} over ${figures.count}` : 'none yet'
}
