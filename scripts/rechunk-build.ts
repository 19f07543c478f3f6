// Run by tsup after each build (tsup.config.ts): regroups the ES module build's chunks with rollup,
// and writes the CommonJS build from the same chunks.
//
// esbuild gives every set of entry points that share a module a chunk of its own; with the parts
// imported on first use (facades, provider translations) each being an entry point, the code they
// share with the eager part (the errors, abort helpers, ...) ended up in a dozen small chunks that
// `import('switchyard')` had to load one by one (each file costs Node ~0.25 ms to resolve, read and
// link). Rollup knows that a dynamically imported chunk only ever loads after its importer, so it
// puts that shared code in the eager chunk: importing the package then reads two files (the entry
// and main.js, see below).
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { rollup, type ManualChunkMeta, type Plugin } from 'rollup'
import { minify } from 'terser'

/** The ES module entry points tsup wrote, by output name: `index`, `core`, `ai-sdk/index`. */
export async function rechunkModuleBuild(outDir: string, entries: readonly string[]): Promise<void> {
  const built = (file: string) => join(outDir, file)
  const bundle = await rollup({
    input: Object.fromEntries(entries.map((entry) => [entry, built(`${entry}.js`)])),
    // Packages (the SDKs, the price catalog) stay imports; only the build's own files are regrouped.
    external: (id) => !id.startsWith('.') && !id.startsWith('/'),
    // The code is esbuild's output as it is; its source maps are chained, so the new maps lead to src/.
    treeshake: false,
    plugins: [
      {
        name: 'esbuild-output',
        load(id) {
          const map = `${id}.map`
          return { code: readFileSync(id, 'utf8'), map: existsSync(map) ? readFileSync(map, 'utf8') : null }
        },
      },
    ],
  })
  // Everything `import('switchyard')` loads besides its entry file goes in one chunk, `main.js`: the
  // code the other entries share with it (the errors, which `switchyard/ai-sdk` also imports) would
  // otherwise be a file of its own, and each file costs Node ~0.25 ms. The entry stays a file of its
  // own so that it exports the public names only. The small chunks the provider translations share
  // (the OpenAI request builder, which Mistral's uses too; Anthropic's thinking options) go there as
  // well: every router's first call loads a translation, which then reads one file, not two or three,
  // for ~3.5 kB more compiled at import.
  const mainEntry = resolve(built('index.js'))
  let main: Set<string> | undefined
  const manualChunks = (id: string, meta: ManualChunkMeta): string | undefined => {
    main ??= mainChunkModules(mainEntry, meta)
    return main.has(id) ? 'main' : undefined
  }
  // Every input is read by now: esbuild's files make way for rollup's (the type declarations stay).
  for (const file of listFiles(outDir)) if (/\.c?js(\.map)?$/.test(file)) rmSync(built(file))
  const plugins = [shortLocalNames()]
  await bundle.write({ dir: outDir, format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name].js', sourcemap: true, manualChunks, plugins })
  // The CommonJS build from the same chunks: a part imported on first use is a file `require`d on
  // first use there too, rather than code every `require('switchyard')` compiles. Packages stay
  // `import()`ed, as in esbuild's CommonJS build, so ES-only ones load too.
  await bundle.write({ dir: outDir, format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: '[name].cjs', sourcemap: true, dynamicImportInCjs: true, manualChunks, plugins })
  await bundle.close()
}

/**
 * Renames local variables and parameters to short names. V8 scans every byte of a file before its
 * first line runs, so import time follows the code's length: the parameters and locals are a sixth
 * of main.js, and renaming them cuts its compile time by ~11 % (measured: 7.3 → 6.4 ms in a fresh
 * process). Everything a stack trace or a reader of `dist/` relies on keeps its name: top-level
 * functions, classes and variables (the file is minified as a script, whose top level may be global),
 * every function and class name, properties and exports; the source maps still lead back to src/.
 */
function shortLocalNames(): Plugin {
  return {
    name: 'short-local-names',
    async renderChunk(code) {
      const result = await minify(code, {
        module: false,
        compress: false,
        mangle: { toplevel: false, keep_fnames: true, keep_classnames: true },
        format: { ascii_only: true, comments: false },
        sourceMap: { asObject: true },
      })
      return { code: result.code!, map: result.map as string }
    },
  }
}

/** The modules of `main.js`: what the entry imports, and the chunks the provider translations share. */
function mainChunkModules(entry: string, { getModuleIds, getModuleInfo }: ManualChunkMeta): Set<string> {
  const modules = staticallyImported(entry, getModuleInfo)
  const isTranslation = (id: string) => /-translation-[^\\/]+\.js$/.test(id)
  for (const id of getModuleIds()) {
    if (!/[\\/]chunk-[^\\/]+\.js$/.test(id) || !getModuleInfo(id)?.importers.some(isTranslation)) continue
    modules.add(id)
    for (const imported of staticallyImported(id, getModuleInfo)) modules.add(imported)
  }
  return modules
}

/** Every module `from` imports statically, directly or through others (not `from` itself). */
function staticallyImported(from: string, getModuleInfo: ManualChunkMeta['getModuleInfo']): Set<string> {
  const found = new Set<string>()
  const visit = (id: string) => {
    for (const imported of getModuleInfo(id)?.importedIds ?? []) {
      if (!found.has(imported)) {
        found.add(imported)
        visit(imported)
      }
    }
  }
  visit(from)
  return found
}

function listFiles(directory: string): string[] {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(directory, join(entry.parentPath, entry.name)))
}
