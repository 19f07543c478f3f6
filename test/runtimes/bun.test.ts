import { describeServerRuntime } from './server-runtime-suite.js'
import { startBun } from './runtime-hosts.js'

// Bun, the binary from the `bun` npm package.
describeServerRuntime({ id: 'bun', other: 'deno', title: 'Bun', start: startBun })
