// The package as users get it: a fresh tsup build of dist/. (Running src/ through tsx would measure
// tsx's transpiled output, which is slower than the build.) Falls back to src/ when the build
// fails, and says so.
import { execFileSync } from 'node:child_process'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const packageRoot = fileURLToPath(new URL('../', import.meta.url))

export type Package = typeof import('../src/index.js')

let loaded: Promise<{ library: Package; source: string }> | undefined

/** Built once per benchmark run, however many benchmarks ask. */
export function loadPackage(): Promise<{ library: Package; source: string }> {
  loaded ??= (async () => {
    try {
      execFileSync('npx', ['tsup', '--silent'], { cwd: packageRoot, stdio: ['ignore', 'ignore', 'inherit'] })
      return { library: (await import(pathToFileURL(`${packageRoot}dist/index.js`).href)) as Package, source: 'dist/index.js (fresh tsup build)' }
    } catch {
      return { library: await import('../src/index.js'), source: 'src/ through tsx (the tsup build failed)' }
    }
  })()
  return loaded
}
