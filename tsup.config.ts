import { defineConfig } from 'tsup'

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // p-retry and p-any ship ESM only; bundling them keeps the CommonJS build loadable everywhere.
  noExternal: ['p-retry', 'p-any'],
})
