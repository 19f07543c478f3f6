/**
 * The JavaScript runtime this code runs in, for messages about what a provider needs from it:
 * `node`, `bun`, `deno`, `workerd` (Cloudflare Workers), `edge-light` (Vercel Edge), `browser` or `unknown`.
 */
export function runtimeName(): string {
  const global = globalThis as {
    Bun?: unknown
    Deno?: unknown
    EdgeRuntime?: unknown
    navigator?: { userAgent?: string }
    process?: { versions?: { node?: string } }
    window?: unknown
  }
  if (global.Bun !== undefined) return 'bun'
  if (global.Deno !== undefined) return 'deno'
  if (typeof global.EdgeRuntime === 'string') return 'edge-light'
  if (global.navigator?.userAgent === 'Cloudflare-Workers') return 'workerd'
  if (typeof global.process?.versions?.node === 'string') return 'node'
  if (global.window !== undefined) return 'browser'
  return 'unknown'
}

/** Whether the runtime offers Node's APIs (files, sockets, child processes): Node itself, Bun and Deno. */
export function hasNodeApis(): boolean {
  return ['node', 'bun', 'deno'].includes(runtimeName())
}
