import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../', import.meta.url))

describe('OpenTelemetry is loaded on first use only', () => {
  it('importing switchyard and calling without telemetry loads nothing of it; the first call with telemetry loads the API (fresh process)', () => {
    const output = execFileSync(process.execPath, ['--import', 'tsx', 'test/helpers/telemetry-import-probe.ts'], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } })
    const report = JSON.parse(output.trim().split('\n').at(-1)!) as Record<string, string[]>
    expect(report.afterImport).toEqual([])
    expect(report.afterCallWithoutTelemetry).toEqual([])
    expect(report.afterCreatingWithTelemetry).toEqual([])
    expect(report.afterCallWithTelemetry!.some((url) => url.includes('/@opentelemetry/api/'))).toBe(true)
    expect(report.afterCallWithTelemetry!.some((url) => url.includes('open-telemetry-observer'))).toBe(true)
  }, 30_000)
})
