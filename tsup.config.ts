import { defineConfig } from 'tsup'

export default defineConfig({
  // `core` is the `switchyard/core` subpath (createRouter with only the features it is given);
  // `ai-sdk/index` is the `switchyard/ai-sdk` subpath: the AI SDK provider, built only for those who import it.
  entry: { index: 'src/index.ts', core: 'src/core.ts', 'ai-sdk/index': 'src/ai-sdk/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // p-retry ships ESM only; bundling it keeps the CommonJS build loadable everywhere.
  noExternal: ['p-retry'],
})
