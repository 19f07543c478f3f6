import { escapeHtml } from './report-format.js'

/**
 * Plain inline SVG charts for the report page: no script, no library, no request. Each chart has
 * a title and its numbers as text, so it reads without colour and in a screen reader.
 */

export interface Bar {
  label: string
  value: number
  /** The number as the page shows it. */
  text: string
}

const palette = ['#2f6fde', '#14a38b', '#e0902b', '#c4466a', '#7b5cd6', '#5a8f29', '#d25b2a', '#3a9bc1']

export function barChart(title: string, bars: readonly Bar[]): string {
  if (bars.length === 0) return `<p class="empty">No data yet.</p>`
  const rowHeight = 24
  const labelWidth = 190
  const valueWidth = 96
  const plotWidth = 234
  const width = labelWidth + plotWidth + valueWidth
  const height = bars.length * rowHeight + 8
  const largest = Math.max(...bars.map((bar) => bar.value), 0)
  const rows = bars
    .map((bar, index) => {
      const y = 4 + index * rowHeight
      const length = largest > 0 ? Math.max(1, (bar.value / largest) * plotWidth) : 1
      const label = bar.label.length > 28 ? `${bar.label.slice(0, 27)}…` : bar.label
      return (
        `<g><title>${escapeHtml(bar.label)}: ${escapeHtml(bar.text)}</title>` +
        `<text x="${labelWidth - 8}" y="${y + 17}" text-anchor="end" class="label">${escapeHtml(label)}</text>` +
        `<rect x="${labelWidth}" y="${y + 4}" width="${length.toFixed(1)}" height="${rowHeight - 8}" rx="3" fill="${palette[index % palette.length]}"/>` +
        `<text x="${labelWidth + length + 6}" y="${y + 17}" class="value">${escapeHtml(bar.text)}</text></g>`
      )
    })
    .join('')
  // Never drawn larger than its natural size, so its text stays the size of the page's.
  return `<svg role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px" preserveAspectRatio="xMinYMin meet">${rows}</svg>`
}

export interface SeriesPoint {
  label: string
  value: number
  text: string
}

/** Columns over time, with the first and last time under the axis. */
export function columnChart(title: string, points: readonly SeriesPoint[]): string {
  if (points.length === 0) return `<p class="empty">No data yet.</p>`
  const width = 760
  const height = 220
  const left = 70
  const bottom = 28
  const top = 12
  const plotHeight = height - top - bottom
  const plotWidth = width - left - 10
  const largest = Math.max(...points.map((point) => point.value), 0)
  const step = plotWidth / points.length
  const barWidth = Math.max(2, Math.min(40, step * 0.8))
  const columns = points
    .map((point, index) => {
      const barHeight = largest > 0 ? (point.value / largest) * plotHeight : 0
      const x = left + index * step + (step - barWidth) / 2
      return `<rect x="${x.toFixed(1)}" y="${(top + plotHeight - barHeight).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${Math.max(0.5, barHeight).toFixed(1)}" fill="#2f6fde"><title>${escapeHtml(point.label)}: ${escapeHtml(point.text)}</title></rect>`
    })
    .join('')
  const first = points[0]!
  const last = points.at(-1)!
  const peak = points.reduce((best, point) => (point.value > best.value ? point : best), first)
  return (
    `<svg role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="100%">` +
    `<line x1="${left}" y1="${top + plotHeight}" x2="${width - 10}" y2="${top + plotHeight}" class="axis"/>` +
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotHeight}" class="axis"/>` +
    `<text x="${left - 6}" y="${top + 10}" text-anchor="end" class="tick">${escapeHtml(peak.text)}</text>` +
    `<text x="${left - 6}" y="${top + plotHeight}" text-anchor="end" class="tick">0</text>` +
    columns +
    `<text x="${left}" y="${height - 8}" class="tick">${escapeHtml(first.label)}</text>` +
    (points.length > 1 ? `<text x="${width - 10}" y="${height - 8}" text-anchor="end" class="tick">${escapeHtml(last.label)}</text>` : '') +
    `</svg>`
  )
}

export interface IntervalRow {
  label: string
  /** 0..1, or null before any comparison. */
  estimate: number | null
  lower: number | null
  upper: number | null
  text: string
}

/** Win rates with their 95% intervals on a 0–100% axis, with the 50% line that decides a winner. */
export function intervalChart(title: string, rows: readonly IntervalRow[]): string {
  const rowHeight = 30
  const labelWidth = 160
  const plotWidth = 440
  const valueWidth = 200
  const width = labelWidth + plotWidth + valueWidth
  const height = rows.length * rowHeight + 30
  const x = (value: number) => labelWidth + value * plotWidth
  const body = rows
    .map((row, index) => {
      const y = 8 + index * rowHeight + rowHeight / 2
      const label = `<text x="${labelWidth - 8}" y="${y + 4}" text-anchor="end" class="label">${escapeHtml(row.label)}</text>`
      const value = `<text x="${labelWidth + plotWidth + 10}" y="${y + 4}" class="value">${escapeHtml(row.text)}</text>`
      if (row.estimate === null || row.lower === null || row.upper === null) return `<g>${label}${value}</g>`
      return (
        `<g>${label}<line x1="${x(row.lower).toFixed(1)}" y1="${y}" x2="${x(row.upper).toFixed(1)}" y2="${y}" stroke="${palette[index % palette.length]}" stroke-width="3"/>` +
        `<line x1="${x(row.lower).toFixed(1)}" y1="${y - 6}" x2="${x(row.lower).toFixed(1)}" y2="${y + 6}" stroke="${palette[index % palette.length]}" stroke-width="2"/>` +
        `<line x1="${x(row.upper).toFixed(1)}" y1="${y - 6}" x2="${x(row.upper).toFixed(1)}" y2="${y + 6}" stroke="${palette[index % palette.length]}" stroke-width="2"/>` +
        `<circle cx="${x(row.estimate).toFixed(1)}" cy="${y}" r="5" fill="${palette[index % palette.length]}"/>${value}</g>`
      )
    })
    .join('')
  const axisY = height - 18
  return (
    `<svg role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="100%">` +
    `<line x1="${x(0.5)}" y1="4" x2="${x(0.5)}" y2="${axisY}" class="midline"/>` +
    `<line x1="${x(0)}" y1="${axisY}" x2="${x(1)}" y2="${axisY}" class="axis"/>` +
    [0, 0.25, 0.5, 0.75, 1].map((tick) => `<text x="${x(tick)}" y="${height - 4}" text-anchor="middle" class="tick">${tick * 100}%</text>`).join('') +
    body +
    `</svg>`
  )
}
