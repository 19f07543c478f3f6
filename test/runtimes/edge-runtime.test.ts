import { expect } from 'vitest'
import { startEdgeRuntime } from './runtime-hosts.js'
import { describeRuntime } from './runtime-suite.js'

// Vercel Edge Functions: the bundles run in `edge-runtime`, the isolate Vercel and Next.js use for them.
describeRuntime({
  title: 'Vercel edge runtime',
  target: 'edge-light',
  probe: 'test/runtimes/entries/edge-probe.ts',
  keysFrom: 'process.env',
  globals: {
    description: 'with web APIs and process.env only',
    check: (globals) => expect(globals).toMatchObject({ edgeRuntime: 'string', process: 'object', deno: 'undefined', bun: 'undefined' }),
  },
  example: { title: 'examples/vercel-edge.ts with the keys from the environment variables', entry: 'test/runtimes/entries/vercel-edge-host.ts' },
  otherProviders: { entry: 'test/runtimes/entries/edge-probe.ts', environment: { PROBE: 'other-providers' } },
  start: startEdgeRuntime,
})
