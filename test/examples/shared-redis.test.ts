import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { useRedisServer } from '../helpers/redis-server.js'

const run = promisify(execFile)
const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url))
const redis = useRedisServer()

describe('examples/shared-redis.ts', () => {
  it('runs against a real Redis: the second instance is served from the first one\'s cache and skips its failed model', { timeout: 60_000 }, async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/API_KEY/i.test(name)))
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'examples/shared-redis.ts'], {
      cwd: repositoryRoot,
      env: { ...env, REDIS_URL: redis.current.url },
      timeout: 60_000,
    })
    expect(stdout).toContain('instance A: "What is the capital of France?" → cloud/steady, cache hit: false, cost $0.000147')
    expect(stdout).toContain('instance B: "What is the capital of France?" → cloud/steady, cache hit: true, cost $0 (saved $0.000147)')
    expect(stdout).toContain('instance B: skips cloud/flaky (cooling-down, learnt from the shared store)')
    expect(stdout).toContain('provider calls: instance A 2, instance B 1')
    expect(stdout).not.toContain('warning')
  })
})
