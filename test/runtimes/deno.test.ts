import { describeServerRuntime } from './server-runtime-suite.js'
import { startDeno } from './runtime-hosts.js'

// Deno, the binary from the `deno` npm package, allowed the network on 127.0.0.1 only.
describeServerRuntime({ id: 'deno', other: 'bun', title: 'Deno', start: startDeno })
