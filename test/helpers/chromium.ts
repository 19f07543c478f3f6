import { spawnSync } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { chromium, type Browser } from 'playwright-core'

const installCommand = 'apt-get install -y chromium'

/**
 * Debian's `chromium`: found on the PATH, installed with apt when missing and running as root (it
 * says so), otherwise a failure naming the command. Browser tests never skip silently.
 */
export function ensureChromiumInstalled(): string {
  const found = () => spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).stdout.trim()
  let path = found()
  if (path) return path
  if (process.getuid?.() !== 0) {
    throw new Error(`chromium is not installed and the report page test needs it: run \`sudo apt-get update && sudo ${installCommand}\` (Debian/Ubuntu).`)
  }
  console.warn(`chromium is missing: running \`apt-get update && ${installCommand}\` for the report page test.`)
  spawnSync('sh', ['-c', `apt-get update && DEBIAN_FRONTEND=noninteractive ${installCommand}`], { stdio: 'inherit' })
  path = found()
  if (!path) throw new Error(`Installing chromium failed; run \`${installCommand}\` and try again.`)
  return path
}

/** Headless, and nothing that reaches out on its own (updates, sync, QUIC probes). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: ensureChromiumInstalled(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

/** A Node HTTP server on 127.0.0.1 that hands every request to a Fetch API handler (`router.fetch`). */
export async function serveFetchHandler(handler: (request: Request) => Promise<Response>): Promise<{ origin: string; server: Server }> {
  const server = createServer(async (incoming, outgoing) => {
    const headers = new Headers()
    for (const [name, value] of Object.entries(incoming.headers)) if (typeof value === 'string') headers.set(name, value)
    const response = await handler(new Request(`http://127.0.0.1${incoming.url}`, { method: incoming.method, headers }))
    outgoing.writeHead(response.status, Object.fromEntries(response.headers))
    outgoing.end(Buffer.from(await response.arrayBuffer()))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}
