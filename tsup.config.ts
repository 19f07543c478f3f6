import { defineConfig } from 'tsup'
import { rechunkModuleBuild } from './scripts/rechunk-build.js'

const entry = { index: 'src/index.ts', core: 'src/core.ts', 'ai-sdk/index': 'src/ai-sdk/index.ts' }

export default defineConfig((cli) => ({
  // `core` is the `switchyard/core` subpath (createRouter with only the features it is given);
  // `ai-sdk/index` is the `switchyard/ai-sdk` subpath: the AI SDK provider, built only for those who import it.
  entry,
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  // Import time is mostly V8 compiling the bytes it is given (measured: compile time follows source
  // size, about 17 µs per KB of this bundle's code; string data such as the catalog model lists
  // costs almost nothing). Whitespace and syntax minification cut the import chunk by a fifth and
  // its compile time by about 12 %; scripts/rechunk-build.ts then renames local variables and
  // parameters only (terser), so stack traces still name the functions and classes (and the source
  // maps lead back to src/).
  minifySyntax: true,
  minifyWhitespace: true,
  target: 'node20',
  // p-retry ships ESM only; bundling it keeps the CommonJS build loadable everywhere.
  noExternal: ['p-retry'],
  // esbuild's ES module output regrouped by rollup, which also writes the CommonJS build from it
  // (replacing esbuild's, whose single file held every lazily imported part): importing either
  // build loads two files, not fourteen or one of 518 kB (scripts/rechunk-build.ts says why).
  // The `cjs` format stays listed for its type declarations (.d.cts).
  onSuccess: () => rechunkModuleBuild(cli.outDir ?? 'dist', Object.keys(entry)),
}))
