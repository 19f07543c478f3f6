import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { repositoryRoot } from '../helpers/package-build.js'

/**
 * Memory: the router keeps nothing per call. In a fresh process with --expose-gc, after 20k warm-up
 * calls (so the JIT has compiled what it will), 30k more router.chat calls through a provider that
 * keeps no log (mockProvider({ callLog: 'none' })) must leave the heap, after forced full
 * collections, within 1 MB of where it was. Measured on a 2-core machine: 0.05–0.31 MB for 20k–200k
 * calls, not growing with the count; the limit catches anything kept per call above ~33 bytes.
 */
describe('heap after many calls', () => {
  it('grows by under 1 MB over 30k router.chat calls after warm-up', () => {
    const output = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'test/helpers/heap-growth-probe.ts', '30000'], {
      cwd: repositoryRoot,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    })
    const report = JSON.parse(output.trim().split('\n').at(-1)!) as { calls: number; growth: number; costed: number }
    // Every call was priced from the catalog: the loop exercised the whole path.
    expect(report.costed).toBe(50_000)
    expect(report.growth).toBeLessThan(1_000_000)
  }, 60_000)
})
