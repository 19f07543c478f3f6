import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build as esbuild, type Metafile, type Plugin } from 'esbuild'
import { build as tsup } from 'tsup'
import packageConfig from '../../tsup.config.js'

export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url))
/** Build output of the runtime suite; under node_modules so the bundles resolve the SDKs installed there. */
const cacheDirectory = `${repositoryRoot}node_modules/.cache/switchyard-runtimes/`

/**
 * The runtimes a bundle is made for, with the conditions their own tooling resolves `exports`
 * with (wrangler for workerd, Vercel for edge-light, Deno and Bun for themselves, plain Node).
 * The web targets bundle as esbuild's `browser` platform, which honours packages' `browser` field
 * (the Anthropic SDK swaps its Node-only credential helpers out that way) and fails the build on
 * any Node built-in left on the path.
 */
export const runtimeTargets = {
  workerd: { platform: 'browser', conditions: ['workerd', 'worker', 'browser'], format: 'esm' },
  'edge-light': { platform: 'browser', conditions: ['edge-light', 'worker', 'browser'], format: 'iife' },
  deno: { platform: 'browser', conditions: ['deno', 'worker', 'browser'], format: 'esm' },
  bun: { platform: 'browser', conditions: ['bun', 'worker', 'browser'], format: 'esm' },
  node: { platform: 'node', conditions: ['node'], format: 'esm' },
} as const

export type RuntimeTarget = keyof typeof runtimeTargets

export interface BundleResult {
  file: string
  bytes: number
  gzipBytes: number
  metafile: Metafile
  /** Bytes in the bundle from each source file (path relative to the repository), files with none left out. */
  bytesByInput: Map<string, number>
}

/** The package, built as it is published, in a folder of its own; bundles import it as `switchyard`. */
export interface PackageBuild {
  directory: string
  bundle(entry: string, target: RuntimeTarget, name: string, options?: BundleOptions): Promise<BundleResult>
  remove(): void
}

export interface BundleOptions {
  external?: string[]
  /** Resolve `switchyard` (`switchyard/core`) to src/index.ts (src/core.ts) instead of the built package, so the metafile names each source module. */
  fromSource?: boolean
  /**
   * For code that needs Node's built-ins from the runtime (a Redis client's TCP sockets, in Deno
   * and Bun): bundle as for Node, the built-ins left to the runtime, CommonJS `require` provided.
   */
  nodeBuiltins?: boolean
}

/**
 * Builds the package as it is published (the project's tsup configuration; ES module output only,
 * without declarations, which no bundle reads) as an installed dependency of a scratch project, so
 * a bundle that imports `switchyard` resolves it through the package's `exports` conditions. Each
 * call builds into its own folder: test files run in parallel.
 */
export async function buildPackage(options: { installedPeers?: string[] } = {}): Promise<PackageBuild> {
  mkdirSync(cacheDirectory, { recursive: true })
  // With `installedPeers`, a project outside the repository that has only the package, its
  // dependencies and those peers installed (linked from the repository's node_modules), as a
  // user's project that uses one provider would; otherwise one inside it, where everything is.
  const isolated = options.installedPeers !== undefined
  const directory = `${mkdtempSync(isolated ? `${tmpdir()}/switchyard-project-` : cacheDirectory)}/`
  const packageDirectory = `${directory}node_modules/switchyard/`
  mkdirSync(packageDirectory, { recursive: true })
  if (isolated) {
    const manifest = JSON.parse(readFileSync(`${repositoryRoot}package.json`, 'utf8')) as { dependencies?: Record<string, string> }
    for (const name of [...Object.keys(manifest.dependencies ?? {}), ...options.installedPeers!]) {
      mkdirSync(dirname(`${directory}node_modules/${name}`), { recursive: true })
      symlinkSync(`${repositoryRoot}node_modules/${name}`, `${directory}node_modules/${name}`, 'dir')
    }
  }
  // A package of its own around the installed copy, so resolving from here is not a self-reference.
  writeFileSync(`${directory}package.json`, JSON.stringify({ name: 'switchyard-runtime-bundles', private: true }))
  copyFileSync(`${repositoryRoot}package.json`, `${packageDirectory}package.json`)
  const tsupOptions = Array.isArray(packageConfig) ? packageConfig[0] : packageConfig
  await tsup({
    ...(tsupOptions as object),
    entry: { index: `${repositoryRoot}src/index.ts`, core: `${repositoryRoot}src/core.ts` },
    format: ['esm'],
    outDir: `${packageDirectory}dist`,
    dts: false,
    sourcemap: false,
    silent: true,
    config: false,
    tsconfig: `${repositoryRoot}tsconfig.json`,
  })
  return {
    directory,
    bundle: (entry, target, name, bundleOptions = {}) => bundleForRuntime(directory, entry, target, name, bundleOptions),
    remove: () => rmSync(directory, { recursive: true, force: true }),
  }
}

/**
 * Inside this repository `switchyard` would be a self-reference to the unbuilt package; resolve it
 * from the scratch project instead, where it is an installed dependency as in a user's project.
 */
function installedPackage(projectDirectory: string, fromSource: boolean): Plugin {
  const marker = {}
  return {
    name: 'switchyard-as-installed',
    setup(build) {
      build.onResolve({ filter: /^switchyard(\/core)?$/ }, (args) => {
        if (fromSource) return { path: `${repositoryRoot}src/${args.path === 'switchyard' ? 'index' : 'core'}.ts` }
        return args.pluginData === marker ? undefined : build.resolve(args.path, { kind: args.kind, resolveDir: projectDirectory, pluginData: marker })
      })
    },
  }
}

/**
 * Bundles `entry` (a path relative to the repository) for a runtime with esbuild, the way that
 * runtime's own tooling would, minified as it would be deployed.
 */
async function bundleForRuntime(projectDirectory: string, entry: string, target: RuntimeTarget, name: string, options: BundleOptions): Promise<BundleResult> {
  const settings = runtimeTargets[target]
  const outfile = `${projectDirectory}bundles/${name}.${settings.format === 'iife' ? 'js' : 'mjs'}`
  const result = await esbuild({
    entryPoints: [`${repositoryRoot}${entry}`],
    bundle: true,
    outfile,
    platform: options.nodeBuiltins ? 'node' : settings.platform,
    format: settings.format,
    conditions: [...settings.conditions],
    mainFields: settings.platform === 'node' || options.nodeBuiltins ? ['module', 'main'] : ['browser', 'module', 'main'],
    ...(options.nodeBuiltins ? { banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url ?? 'file:///worker.mjs');" } } : {}),
    target: 'es2022',
    minify: true,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: repositoryRoot,
    plugins: [installedPackage(projectDirectory, options.fromSource ?? false)],
    // The repository's tsconfig maps `switchyard` to src/ for the type checker; the bundles take
    // the published path instead, so no tsconfig is read.
    tsconfigRaw: {},
    external: options.external ?? [],
  })
  const contents = readFileSync(outfile)
  const output = Object.values(result.metafile.outputs)[0]!
  const bytesByInput = new Map(Object.entries(output.inputs).filter(([, input]) => input.bytesInOutput > 0).map(([file, input]) => [file, input.bytesInOutput]))
  return { file: outfile, bytes: statSync(outfile).size, gzipBytes: gzipSync(contents, { level: 9 }).length, metafile: result.metafile, bytesByInput }
}
