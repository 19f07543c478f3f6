import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createConnection, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'

const installCommand = 'apt-get install -y redis-server'

/**
 * Makes sure `redis-server` is on the PATH: installs Debian's package when running as root (and
 * says so), otherwise fails with the command to run. Shared-state suites never skip silently.
 */
export function ensureRedisServerInstalled(): string {
  const found = () => spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim()
  let path = found()
  if (path) return path
  if (process.getuid?.() !== 0) {
    throw new Error(`redis-server is not installed and the Redis test suites need it: run \`sudo ${installCommand}\` (Debian/Ubuntu).`)
  }
  console.warn(`redis-server is missing: running \`apt-get update && ${installCommand}\` for the Redis test suites.`)
  spawnSync('sh', ['-c', `apt-get update && DEBIAN_FRONTEND=noninteractive ${installCommand}`], { stdio: 'inherit' })
  path = found()
  if (!path) throw new Error(`Installing redis-server failed; run \`${installCommand}\` and try again.`)
  return path
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

/** A throwaway `redis-server` on 127.0.0.1: no persistence, its own port, stopped by the test. */
export class RedisServer {
  private process: ChildProcess | undefined
  private readonly directory = mkdtempSync(join(tmpdir(), 'switchyard-redis-'))

  private constructor(
    readonly binary: string,
    readonly port: number,
  ) {}

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(ensureRedisServerInstalled(), await freePort())
    await server.launch()
    return server
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`
  }

  get running(): boolean {
    return this.process !== undefined
  }

  /** Kills the server at once (SIGKILL: an outage, not a shutdown). */
  async kill(): Promise<void> {
    const child = this.process
    if (!child) return
    this.process = undefined
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGKILL')
    await exited
  }

  /** Starts it again on the same port, empty (nothing is persisted). */
  async restart(): Promise<void> {
    await this.kill()
    await this.launch()
  }

  async stop(): Promise<void> {
    await this.kill()
    rmSync(this.directory, { recursive: true, force: true })
  }

  private async launch(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.directory, '--loglevel', 'warning']
    const child = spawn(this.binary, args, { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    let exitCode: number | null | undefined
    child.once('exit', (code) => (exitCode = code))
    this.process = child
    const deadline = Date.now() + 10_000
    while (Date.now() < deadline) {
      if (exitCode !== undefined) throw new Error(`redis-server exited with ${exitCode} on port ${this.port}: ${stderr}`)
      if (await canConnect(this.port)) return
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    child.kill('SIGKILL')
    throw new Error(`redis-server did not start on port ${this.port} within 10 s: ${stderr}`)
  }
}

/** Starts a Redis for this test file and stops it after; read `.current` inside tests. */
export function useRedisServer(): { readonly current: RedisServer } {
  const holder: { current: RedisServer } = { current: undefined as unknown as RedisServer }
  beforeAll(async () => {
    holder.current = await RedisServer.start()
  }, 120_000)
  afterAll(async () => {
    await holder.current?.stop()
  })
  return holder
}
