import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import filePlugin from '@size-limit/file'
import sizeLimit from 'size-limit'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildSizeBundles, readSizeLimitConfig, sizeBundleDirectory, sizeBundles, type SizeBundleName } from './size-bundles.js'

/** `.size-limit.json` limits are in kB (1000 bytes), as size-limit reads them. */
function limitBytes(limit: string): number {
  const match = /^([\d.]+)\s*kB$/.exec(limit)
  if (!match) throw new Error(`.size-limit.json: write limits as "<number> kB", not "${limit}"`)
  return Number(match[1]) * 1000
}

const kilobytes = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`

/**
 * The bundle-size budget: `.size-limit.json`'s checks, measured by size-limit's own file plugin
 * (gzip level 9) on bundles esbuild makes from src/. The size-limit command needs Node 22, so the
 * checks run through its programmatic interface here, in `npm test` on every Node this package supports.
 */
describe('bundle-size budget (.size-limit.json)', { timeout: 120_000 }, () => {
  const checks = readSizeLimitConfig()
  let inputs: Awaited<ReturnType<typeof buildSizeBundles>>

  beforeAll(async () => {
    inputs = await buildSizeBundles()
  }, 120_000)

  it('names every measured bundle, and only those', () => {
    expect(checks.map((check) => check.path).sort()).toEqual(Object.keys(sizeBundles).map((name) => `${sizeBundleDirectory}${name}.js`).sort())
  })

  it('keeps each bundle within its gzipped limit', async () => {
    const config = { checks: checks.map((check) => ({ files: [check.path], gzip: check.gzip, sizeLimit: limitBytes(check.limit) })) }
    const measured = (await sizeLimit([filePlugin as never], config as never)) as unknown as Array<{ size: number }>
    const rows = checks.map((check, index) => {
      const minified = readFileSync(check.path).length
      return { name: check.name, minified, gzipped: measured[index]!.size, limit: limitBytes(check.limit) }
    })
    console.log(rows.map((row) => `${kilobytes(row.minified).padStart(9)} min ${kilobytes(row.gzipped).padStart(9)} gz (limit ${kilobytes(row.limit)})  ${row.name}`).join('\n'))
    // The plugin's figure is the gzip of the file, as a second measure here shows.
    expect(rows[0]!.gzipped).toBe(gzipSync(readFileSync(checks[0]!.path), { level: 9 }).length)
    expect(rows.filter((row) => row.gzipped > row.limit).map((row) => `${row.name}: ${kilobytes(row.gzipped)} > ${kilobytes(row.limit)}`)).toEqual([])
  })

  it('measures what it says: the core has no feature, no facade and no price data; the full router has them', () => {
    const files = (name: SizeBundleName) => [...inputs[name].keys()]
    const featureCode = /^src\/(spend|telemetry|report|stores)\/|^src\/facades\/(anthropic-|openai-responses\/)|^src\/state\/(response-cache|shared-state)/
    expect(files('core').filter((file) => featureCode.test(file))).toEqual([])
    expect(files('core').filter((file) => file.includes('@pydantic/genai-prices'))).toEqual([])
    expect(files('core-with-prices').some((file) => file.includes('@pydantic/genai-prices'))).toBe(true)
    for (const folder of ['src/spend/', 'src/telemetry/', 'src/report/', 'src/stores/', 'src/facades/openai-responses/']) {
      expect(files('full').some((file) => file.startsWith(folder))).toBe(true)
    }
    expect(files('worker').some((file) => file.includes('node_modules/openai/'))).toBe(true)
  })
})
