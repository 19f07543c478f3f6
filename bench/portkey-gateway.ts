// Portkey's open-source gateway (`@portkey-ai/gateway`), started as the separate process it is
// deployed as, on 127.0.0.1 only, so the benchmarks can call an OpenAI-shaped upstream through it.
import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { freePort } from './free-port.js'

export interface PortkeyGateway {
  /** `http://127.0.0.1:PORT/v1`, for an OpenAI client's `baseURL`. */
  baseURL: string
  /** Headers that send a request through the gateway to `upstreamBaseURL` as an OpenAI-shaped provider. */
  headers: Record<string, string>
  stop(): void
}


/** The gateway, or why it cannot run here. */
export async function startPortkeyGateway(upstreamBaseURL: string): Promise<PortkeyGateway | { unavailable: string }> {
  let entry: string
  try {
    entry = createRequire(import.meta.url).resolve('@portkey-ai/gateway/build/start-server.js')
  } catch (error) {
    return { unavailable: `@portkey-ai/gateway is not installed (${(error as Error).message.split('\n')[0]})` }
  }
  const port = await freePort()
  const preload = fileURLToPath(new URL('./gateway-preload.mjs', import.meta.url))
  const child: ChildProcess = spawn(process.execPath, ['--import', preload, entry, `--port=${port}`, '--headless'], {
    env: { ...process.env, NODE_OPTIONS: '', NODE_ENV: 'production' },
    stdio: ['pipe', 'ignore', 'pipe'],
  })
  let errors = ''
  child.stderr!.on('data', (data: Buffer) => (errors += data.toString()))
  let exited: number | null | undefined
  child.once('exit', (code) => (exited = code))
  // Closing its stdin ends it (see gateway-preload.mjs), also when this process dies first.
  const stop = () => void child.stdin!.end()
  const root = `http://127.0.0.1:${port}`
  // The gateway prints its banner after a start-up animation; it is ready when it answers.
  for (let tries = 0; tries < 150; tries += 1) {
    if (exited !== undefined) return { unavailable: `the gateway process exited with code ${exited}: ${errors.trim().split('\n').slice(-3).join(' ')}` }
    try {
      const response = await fetch(`${root}/`)
      if (response.ok) {
        await response.text()
        return {
          baseURL: `${root}/v1`,
          headers: { 'x-portkey-provider': 'openai', 'x-portkey-custom-host': upstreamBaseURL },
          stop,
        }
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  stop()
  return { unavailable: `the gateway did not answer within 15 s: ${errors.trim().split('\n').slice(-3).join(' ')}` }
}
