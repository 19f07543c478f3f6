// The package as users get it: a fresh tsup build of dist/. (Running src/ through tsx would measure
// tsx's transpiled output, which is slower than the build.) Falls back to src/ when the build
// fails, and says so.
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const packageRoot = fileURLToPath(new URL('../', import.meta.url))

export type Package = typeof import('../src/index.js')

let loaded: Promise<{ library: Package; source: string }> | undefined

/**
 * Built once per benchmark run, however many benchmarks ask. `BENCH_PACKAGE=<folder>` loads a build
 * kept elsewhere instead (a copy of an earlier dist/, to compare before and after on the same machine).
 */
export function loadPackage(): Promise<{ library: Package; source: string }> {
  const kept = process.env.BENCH_PACKAGE
  loaded ??= (async () => {
    if (kept) return { library: (await import(pathToFileURL(`${path.resolve(packageRoot, kept)}/index.js`).href)) as Package, source: `${kept}/index.js (BENCH_PACKAGE, not rebuilt)` }
    try {
      execFileSync('npx', ['tsup', '--silent'], { cwd: packageRoot, stdio: ['ignore', 'ignore', 'inherit'] })
      return { library: (await import(pathToFileURL(`${packageRoot}dist/index.js`).href)) as Package, source: 'dist/index.js (fresh tsup build)' }
    } catch {
      return { library: await import('../src/index.js'), source: 'src/ through tsx (the tsup build failed)' }
    }
  })()
  return loaded
}
