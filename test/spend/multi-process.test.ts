import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import { useRedisServer } from '../helpers/redis-server.js'

const worker = fileURLToPath(new URL('./processes/spend-worker.ts', import.meta.url))
const redis = useRedisServer()

interface WorkerOutcome {
  answered: number
  refused: number
  other: string[]
  costUsd: number
  providerCalls: number
  warnings: string[]
}

function runWorker(scenario: string, calls: number, concurrency: number): Promise<WorkerOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker, String(redis.current.port), scenario, String(calls), String(concurrency)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.once('error', reject)
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`worker exited with ${code}: ${stderr}`))
      resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as WorkerOutcome)
    })
  })
}

describe('budgets and rate limits across processes sharing one Redis', () => {
  it('four processes hammering one $0.605 budget with $0.015 calls: exactly 40 answer, the spend never exceeds the limit', async () => {
    const outcomes = await Promise.all([1, 2, 3, 4].map(() => runWorker('budget', 30, 8)))
    for (const outcome of outcomes) {
      expect(outcome.other).toEqual([])
      expect(outcome.warnings).toEqual([])
      // A refused call never reached the provider.
      expect(outcome.providerCalls).toBe(outcome.answered)
    }
    const answered = outcomes.reduce((sum, outcome) => sum + outcome.answered, 0)
    const spent = outcomes.reduce((sum, outcome) => sum + outcome.costUsd, 0)
    expect(answered + outcomes.reduce((sum, outcome) => sum + outcome.refused, 0)).toBe(120)
    // Each call's worst case equals its exact cost, so atomic reservations admit exactly floor(0.605 / 0.015).
    expect(answered).toBe(40)
    expect(spent).toBeCloseTo(0.6, 9)
    // At most one in-flight reservation over the limit (here: none).
    expect(spent).toBeLessThanOrEqual(0.605 + 0.015)
    // The budget counter in Redis holds the settled spend.
    const client = new Redis({ host: '127.0.0.1', port: redis.current.port })
    const keys = await client.keys('spend-test:budget:spend:budget:*')
    expect(keys).toHaveLength(1)
    const slots = JSON.parse((await client.get(keys[0]!))!) as Record<string, number>
    expect(Object.values(slots).reduce((sum, value) => sum + value, 0)).toBeCloseTo(0.6, 9)
    client.disconnect()
  }, 120_000)

  it('four processes sharing an rpm limit of 25: exactly 25 requests go out in the minute', async () => {
    const outcomes = await Promise.all([1, 2, 3, 4].map(() => runWorker('rpm', 15, 5)))
    for (const outcome of outcomes) {
      expect(outcome.other).toEqual([])
      expect(outcome.providerCalls).toBe(outcome.answered)
    }
    expect(outcomes.reduce((sum, outcome) => sum + outcome.answered, 0)).toBe(25)
    expect(outcomes.reduce((sum, outcome) => sum + outcome.refused, 0)).toBe(35)
  }, 120_000)
})
