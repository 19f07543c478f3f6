import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { repositoryRoot } from './runtime-bundles.js'

/** A runtime serving a bundle on 127.0.0.1, until `stop()`. */
export interface RuntimeHost {
  url: string
  stop(): Promise<void>
}

const startTimeoutMs = 30_000

function binary(name: 'deno' | 'bun'): string {
  return `${repositoryRoot}node_modules/.bin/${name}`
}

/**
 * Cloudflare's workerd, through miniflare (the engine of `wrangler dev`): the bundle is the
 * Worker's ES module, `bindings` its env; `nodejsCompat` turns on the `nodejs_compat` flag (Node's
 * built-ins, sockets included). Miniflare listens on 127.0.0.1 and forwards to workerd.
 */
export async function startWorkerd(bundleFile: string, bindings: Record<string, string>, options: { nodejsCompat?: boolean } = {}): Promise<RuntimeHost> {
  const { Miniflare } = await import('miniflare')
  const miniflare = new Miniflare({
    // The bundle is the whole Worker: one module, nothing for miniflare to go and collect.
    modules: [{ type: 'ESModule', path: bundleFile }],
    modulesRoot: dirname(bundleFile),
    compatibilityDate: '2026-04-01',
    compatibilityFlags: options.nodejsCompat ? ['nodejs_compat'] : [],
    bindings,
    host: '127.0.0.1',
    port: 0,
  })
  try {
    const url = await miniflare.ready
    return { url: url.origin, stop: () => miniflare.dispose() }
  } catch (error) {
    await miniflare.dispose().catch(() => {})
    throw new Error(`workerd (miniflare) could not start: ${(error as Error).message}. It is installed by npm ci from the miniflare dev dependency (workerd's platform package).`, { cause: error })
  }
}

/**
 * Vercel's edge runtime (the `edge-runtime` package Vercel and Next.js use to run Edge Functions
 * locally): a V8 context with web APIs only. Vercel gives the isolate the project's environment
 * variables as `process.env` and nothing else of `process`; `environment` is handed over the same way.
 */
export async function startEdgeRuntime(bundleFile: string, environment: Record<string, string>): Promise<RuntimeHost> {
  const { EdgeRuntime, runServer } = await import('edge-runtime')
  const runtime = new EdgeRuntime({
    initialCode: readFileSync(bundleFile, 'utf8'),
    extend: (context) => Object.assign(context, { process: { env: { ...environment } } }),
  })
  const server = await runServer({ runtime, host: '127.0.0.1', port: 0 })
  return { url: server.url.replace(/\/$/, ''), stop: () => server.close() }
}

/**
 * Starts a runtime binary installed from npm (`deno`, `bun`) on a bundle that prints
 * `listening on <port>` once it serves. A runtime that cannot start fails with what it printed.
 */
async function startProcess(name: 'deno' | 'bun', args: string[], environment: Record<string, string>): Promise<RuntimeHost> {
  let child: ChildProcess
  try {
    child = spawn(binary(name), args, {
      cwd: repositoryRoot,
      // Only what the bundle needs: the provider settings and a PATH; no keys from the parent.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', ...environment },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
  } catch (error) {
    throw new Error(`${name} could not start (${binary(name)}): ${(error as Error).message}. npm ci installs it from the ${name} dev dependency.`, { cause: error })
  }
  let output = ''
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start serving within ${startTimeoutMs} ms. It printed:\n${output}`)), startTimeoutMs)
    const onData = (data: Buffer) => {
      output += data.toString('utf8')
      const match = /listening on (\d+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(Number(match[1]))
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(new Error(`${name} could not start (${binary(name)}): ${error.message}. npm ci installs it from the ${name} dev dependency.`))
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`${name} exited (code ${code}, signal ${signal}) before serving. It printed:\n${output}`))
    })
  })
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

/** Deno with the permissions the bundle needs: the network on 127.0.0.1 only (listening and the upstream), and the environment. */
export function startDeno(bundleFile: string, environment: Record<string, string>): Promise<RuntimeHost> {
  return startProcess('deno', ['run', '--no-prompt', '--no-config', '--allow-net=127.0.0.1', '--allow-env', bundleFile], { DENO_NO_UPDATE_CHECK: '1', ...environment })
}

export function startBun(bundleFile: string, environment: Record<string, string>): Promise<RuntimeHost> {
  return startProcess('bun', ['run', '--no-install', bundleFile], environment)
}
