import { execFileSync } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url))

/**
 * Builds the package with its own tsup configuration (both formats, no type declarations) into
 * `node_modules/.cache/<name>`: inside the repository, so the built files resolve their
 * dependencies from its `node_modules` and load as ESM (`.js`) and CommonJS (`.cjs`) like `dist/`.
 */
export function buildPackage(name: string): { esm: string; cjs: string } {
  const outDir = join(repositoryRoot, 'node_modules', '.cache', name)
  rmSync(outDir, { recursive: true, force: true })
  execFileSync(process.execPath, [join(repositoryRoot, 'node_modules', 'tsup', 'dist', 'cli-default.js'), '--out-dir', outDir, '--no-dts', '--silent'], {
    cwd: repositoryRoot,
    stdio: 'pipe',
  })
  const built = { esm: join(outDir, 'index.js'), cjs: join(outDir, 'index.cjs') }
  if (!existsSync(built.esm) || !existsSync(built.cjs)) throw new Error(`tsup did not produce ${built.esm} and ${built.cjs}`)
  return built
}
