import { defineConfig } from 'tsup'

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // p-retry ships ESM only; bundling it keeps the CommonJS build loadable everywhere.
  noExternal: ['p-retry'],
})
