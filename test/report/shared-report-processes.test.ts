import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { createRouter, mockProvider, redisStore } from '../../src/index.js'
import { connectRedisClient, type TestRedisClient } from '../helpers/redis-clients.js'
import { useRedisServer } from '../helpers/redis-server.js'
import type { WorkerInput } from '../helpers/shared-redis-worker.js'

/* Two routers in their own Node processes spend on one Redis; a third router's report shows both. */
const redis = useRedisServer()
const root = fileURLToPath(new URL('../../', import.meta.url))
const token = 'shared-report-token-0123456789'
const clients: TestRedisClient[] = []
afterAll(async () => {
  for (const client of clients) await client.close()
})

function runWorker(input: Omit<WorkerInput, 'port'>): Promise<{ costUsd: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/shared-redis-worker.ts', JSON.stringify({ ...input, port: redis.current.port })], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(stdout.trim().split('\n').at(-1)!)) : reject(new Error(`worker exited with ${code}: ${stderr}`))))
  })
}

describe('the report page with a shared store', () => {
  it("shows the spend of every process on the store (the shared ledger), by model, route and tag; router.report() stays this instance's", async () => {
    const prefix = `shared-report-${Date.now()}:`
    const [alpha, beta] = await Promise.all([
      runWorker({ library: 'redis', prefix, scenario: 'spend', calls: 3, team: 'alpha' }),
      runWorker({ library: 'ioredis', prefix, scenario: 'spend', calls: 5, team: 'beta' }),
    ])
    expect(alpha.costUsd).toBeGreaterThan(0)

    const client = await connectRedisClient('redis', redis.current.port)
    clients.push(client)
    const reader = createRouter({
      providers: [mockProvider({ id: 'llm', models: { answer: 'unused' } })],
      store: redisStore({ client: client.client, prefix }),
      reportPage: { path: '/ops/report', token },
    })
    const response = await reader.fetch('/ops/report?format=json', { headers: { authorization: `Bearer ${token}` } })
    expect(response.status).toBe(200)
    const { spend } = await response.json()
    expect(spend.source).toBe('shared-ledger')
    expect(spend.totalUsd).toBeCloseTo(alpha.costUsd + beta.costUsd, 12)
    expect(spend.byModel).toEqual([{ name: 'llm/answer', costUsd: expect.closeTo(alpha.costUsd + beta.costUsd, 12), count: 8, unpricedAttempts: 0 }])
    expect(spend.byRoute).toEqual([{ name: 'cached', costUsd: expect.closeTo(alpha.costUsd + beta.costUsd, 12), count: 8, unpricedAttempts: 0 }])
    expect(spend.byTag).toEqual([
      { name: 'team=beta', costUsd: expect.closeTo(beta.costUsd, 12), count: 5, unpricedAttempts: 0 },
      { name: 'team=alpha', costUsd: expect.closeTo(alpha.costUsd, 12), count: 3, unpricedAttempts: 0 },
    ])
    expect(spend.overTime.intervalMs).toBe(3_600_000)
    expect(spend.overTime.points.reduce((sum: number, point: { calls: number }) => sum + point.calls, 0)).toBe(8)

    const html = await (await reader.fetch('/ops/report', { headers: { authorization: `Bearer ${token}` } })).text()
    expect(html).toContain('data-spend-source="shared-ledger"')
    expect(html).toContain('data-row="team=alpha"')
    // This instance made no call: its own report has no spend, the shared one has all of it.
    expect(reader.report().spend).toMatchObject({ source: 'instance', totalUsd: 0 })
    expect((await reader.sharedReport()).spend.totalUsd).toBeCloseTo(alpha.costUsd + beta.costUsd, 12)
    await reader.close()
  }, 60_000)
})
