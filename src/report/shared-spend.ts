import type { LedgerDocument } from '../spend/ledger-script.js'
import type { SpendControl } from '../spend/spend-control.js'
import type { RouterReport, SpendRow } from './report-types.js'

/** The shared figures cover this many hours back from now, read from the ledger's hourly periods. */
const sharedHours = 24
const hourMs = 3_600_000
const directRoute = '(direct)'

function roundUsd(value: number): number {
  return Math.round(value * 1e12) / 1e12
}

function rows(totals: Map<string, [number, number]>): SpendRow[] {
  return [...totals]
    .map(([name, [costUsd, count]]) => ({ name, costUsd: roundUsd(costUsd), count, unpricedAttempts: 0 }))
    .sort((left, right) => right.costUsd - left.costUsd || right.count - left.count || left.name.localeCompare(right.name))
}

function addTo(totals: Map<string, [number, number]>, name: string, [costUsd, count]: [number, number]): void {
  const row = totals.get(name)
  if (row) {
    row[0] += costUsd
    row[1] += count
  } else totals.set(name, [costUsd, count])
}

/**
 * `report` with its spend figures taken from the spend ledger when the router's store is shared
 * (every instance writes its attempts there): totals, by model, route and tag, and per hour, for
 * the last 24 hours. Without a shared store (or without spend control) the report is returned as
 * it is, this instance's own.
 */
export async function withSharedSpend(report: RouterReport, spend: SpendControl | undefined): Promise<RouterReport> {
  if (!spend?.sharedStore) return report
  const periods = await spend.ledger.recentHours(sharedHours)
  let totalUsd = 0
  let attempts = 0
  let unpricedAttempts = 0
  const byModel = new Map<string, [number, number]>()
  const byRoute = new Map<string, [number, number]>()
  const byTag = new Map<string, [number, number]>()
  const points: RouterReport['spend']['overTime']['points'] = []
  for (const { hour, document } of periods) {
    if (document.attempts === 0) continue
    totalUsd += document.costUsd
    attempts += document.attempts
    unpricedAttempts += document.unpriced
    points.push({ start: new Date(hour).toISOString(), costUsd: roundUsd(document.costUsd), calls: document.attempts })
    collect(document, byModel, byRoute, byTag)
  }
  // Attempts of calls that named a model rather than a route carry no route in the ledger.
  const routed = [...byRoute.values()].reduce((sum, [costUsd, count]) => [sum[0] + costUsd, sum[1] + count] as [number, number], [0, 0] as [number, number])
  if (routed[1] < attempts) addTo(byRoute, directRoute, [Math.max(0, totalUsd - routed[0]), attempts - routed[1]])
  return {
    ...report,
    spend: {
      source: 'shared-ledger',
      totalUsd: roundUsd(totalUsd),
      unpricedAttempts,
      byModel: rows(byModel),
      byRoute: rows(byRoute),
      byTag: rows(byTag),
      // The ledger does not record call kinds: these stay this instance's.
      byKind: report.spend.byKind,
      overTime: { intervalMs: hourMs, points },
    },
  }
}

function collect(document: LedgerDocument, byModel: Map<string, [number, number]>, byRoute: Map<string, [number, number]>, byTag: Map<string, [number, number]>): void {
  for (const [dimension, values] of Object.entries(document.groups)) {
    const target = dimension === 'model' ? byModel : dimension === 'route' ? byRoute : dimension.startsWith('tag:') ? byTag : undefined
    if (!target) continue
    for (const [value, pair] of Object.entries(values)) addTo(target, target === byTag ? `${dimension.slice(4)}=${value}` : value, pair)
  }
}
