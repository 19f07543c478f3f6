import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { redisLibraries } from '../helpers/redis-clients.js'
import { useRedisServer } from '../helpers/redis-server.js'
import type { WorkerInput } from '../helpers/shared-redis-worker.js'

/*
 * Several routers, each in its own Node process, on one real Redis: what one instance learns
 * (a cached answer, a failing model, A/B counts) the others see.
 */
const redis = useRedisServer()
const root = fileURLToPath(new URL('../../', import.meta.url))
const worker = 'test/helpers/shared-redis-worker.ts'

interface RunningWorker {
  /** Resolves with the worker's JSON output. */
  readonly done: Promise<any>
  /** Resolves once the worker has reported this much progress (outage scenario). */
  progress(count: number): Promise<void>
}

function startWorker(input: Omit<WorkerInput, 'port'>): RunningWorker {
  const child = spawn(process.execPath, ['--import', 'tsx', worker, JSON.stringify({ ...input, port: redis.current.port })], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  let progress = 0
  const waiters: Array<{ count: number; resolve: () => void }> = []
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
    for (const match of chunk.toString().matchAll(/progress (\d+)/g)) progress = Math.max(progress, Number(match[1]))
    for (const waiter of waiters.filter((waiter) => waiter.count <= progress)) waiter.resolve()
  })
  const done = new Promise<any>((resolve, reject) => {
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`worker exited with ${code}: ${stderr}`))
      try {
        resolve(JSON.parse(stdout.trim().split('\n').at(-1)!))
      } catch {
        reject(new Error(`worker printed no result: ${stdout}\n${stderr}`))
      }
    })
  })
  return {
    done,
    progress: (count) => (progress >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }))),
  }
}

const run = (input: Omit<WorkerInput, 'port'>) => startWorker(input).done
let runs = 0
const freshPrefix = (library: string) => `processes-${library}-${++runs}-${Date.now()}:`

describe.each(redisLibraries)('separate processes on one Redis (%s client)', (library) => {
  it('the second process is served from the first one\'s cache, as a chat and as a stream', async () => {
    const prefix = freshPrefix(library)
    const first = await run({ library, prefix, scenario: 'cache' })
    const second = await run({ library, prefix, scenario: 'cache' })
    expect(first.chat.cacheHit).toBe(false)
    expect(first.stream.cacheHit).toBe(true)
    expect(first.providerCalls).toEqual(['answer'])
    expect(second.chat).toMatchObject({ cacheHit: true, text: 'Paris.' })
    expect(second.chat.cost.total).toBe(0)
    expect(second.chat.cost.saved).toBe(first.chat.cost.total)
    expect(second.chat.usage).toEqual(first.chat.usage)
    expect(second.stream).toEqual({ cacheHit: true, text: 'Paris.' })
    expect(second.providerCalls).toEqual([])
    expect(second.warnings).toEqual([])
  }, 60_000)

  it('the second process skips the model the first one put into cool-down', async () => {
    const prefix = freshPrefix(library)
    const first = await run({ library, prefix, scenario: 'cool-down' })
    expect(first.coolDowns).toContain('llm/broken')
    expect(first.providerCalls.filter((model: string) => model === 'broken')).toHaveLength(2)
    const second = await run({ library, prefix, scenario: 'cool-down' })
    expect(second.providerCalls).not.toContain('broken')
    expect(second.results.every((result: { provider: string }) => result.provider === 'llm/backup')).toBe(true)
    expect(second.skipped).toContain('llm/broken')
    expect(second.coolDowns).toContain('llm/broken')
  }, 60_000)

  it('consecutive failures are counted across processes: two processes failing once each trip the breaker (threshold 2) for a third', async () => {
    const prefix = freshPrefix(library)
    const first = await run({ library, prefix, scenario: 'one-failure' })
    expect(first.providerCalls).toEqual(['broken', 'backup'])
    // One failure: under the threshold, no cool-down anywhere yet.
    expect(first.coolDowns).toEqual([])
    const second = await run({ library, prefix, scenario: 'one-failure' })
    expect(second.providerCalls).toEqual(['broken', 'backup'])
    // Its own single failure made the shared count 2: the cool-down started, here too.
    expect(second.coolDowns).toEqual(['llm/broken'])
    const third = await run({ library, prefix, scenario: 'one-failure' })
    expect(third.providerCalls).toEqual(['backup'])
    expect(third.coolDowns).toEqual(['llm/broken'])
  }, 60_000)

  it('A/B counts from two processes running at once add up, and a promotion made by one holds for the other', async () => {
    const prefix = freshPrefix(library)
    const [first, second] = await Promise.all([
      run({ library, prefix, scenario: 'ab', calls: 14, sampleRate: 1 }),
      run({ library, prefix, scenario: 'ab', calls: 9, sampleRate: 0 }),
    ])
    // A third instance reads the totals: every call both made, every comparison the first judged.
    const reader = await run({ library, prefix, scenario: 'ab', calls: 9, sampleRate: 0 })
    const report = reader.report
    const calls = report.variants.reduce((sum: number, variant: { calls: number }) => sum + variant.calls, 0)
    expect(calls).toBe(14 + 9 + 9)
    const ownCalls = (result: any) => result.providerCalls.filter((model: string) => model === 'alpha' || model === 'beta').length
    expect(report.variants.reduce((sum: number, variant: { calls: number; shadowCalls: number }) => sum + variant.calls + variant.shadowCalls, 0)).toBe(
      ownCalls(first) + ownCalls(second) + ownCalls(reader),
    )
    expect(report.comparisons).toBe(first.report.comparisons)
    expect(report.comparisons).toBeGreaterThanOrEqual(5)
    // The judge always prefers alpha: the first process promoted it, and the promotion is shared:
    // once the reader has synced, all its traffic goes to alpha.
    expect(first.report.promoted).toBe('a')
    expect(report.promoted).toBe('a')
    expect(reader.laterCalls).toEqual(Array.from({ length: 8 }, () => 'alpha'))
  }, 60_000)

  it('Redis killed mid-run and restarted: every call is answered, the store failure is reported once per kind', async () => {
    const prefix = freshPrefix(library)
    const running = startWorker({ library, prefix, scenario: 'outage', calls: 60, spacingMs: 15 })
    await running.progress(10)
    await redis.current.kill()
    await running.progress(25)
    await redis.current.restart()
    const result = await running.done
    expect(result).toMatchObject({ answered: 60, failed: 0, total: 60 })
    expect(result.warnings.length).toBeGreaterThan(0)
    expect(new Set(result.warnings).size).toBe(result.warnings.length)
    expect(result.hits).toBeGreaterThan(0)
  }, 60_000)
})
