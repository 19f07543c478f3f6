// Spend-control overhead (issue 10, item 7): `router.chat` through the openai adapter against a
// local upstream in its own process, with no spend control and with one budget and one rate limit
// on the memory store, side by side in the shared harness (contest.ts: shuffled rounds, warm-up,
// three repetitions, spreads), the bare `openai` SDK as the reference, twice: over the first calls
// (200 warm-up rounds) and in the steady state (`steadyStateWarmupRounds` more, past V8's
// optimization of the guard's code). Target: memory / none ≤ 1.03 in the steady state. Then the
// same on Redis (a local redis-server) against none, in a contest of its own, and
// the CPU the budget and limit add per call with an adapter that answers at once. Built package (dist/).
//
// Why Redis is not in the memory contest: a Redis call settles its reservation after it has
// answered (one more round trip, off the caller's path), so its reply is handled while the next
// call runs. An earlier version of this benchmark rotated none → memory → redis in a fixed order,
// where `none` ran right after a Redis call twice as often as `memory` did: the baseline absorbed
// more of that background work, and memory / none read ~1.00 where the side-by-side harness of
// feature-overhead read ~1.07 for the same routers. Measured apart, the two agree.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import OpenAI from 'openai'
import { Redis } from 'ioredis'
import type { BudgetDefinition, LimitDefinition } from '../src/index.js'
import { formatSpread, ratioOf, runContest, spreadOf, steadyStateWarmupRounds, verdict, type Contender, type ContestResult } from './contest.js'
import { freePort } from './free-port.js'
import { instantProvider } from './instant-provider.js'
import { startLocalUpstream } from './local-upstream.js'
import { loadPackage } from './package-under-test.js'

const rounds = Number(process.env.BENCH_CALLS ?? 700)
const warmupRounds = 200
const apiKey = 'sk-bench-0000000000000000'
const messages = [{ role: 'user' as const, content: 'Say hello.' }]
// Large enough never to refuse: the benchmark measures the checking, not the refusing.
const budgets: BudgetDefinition[] = [{ name: 'bench-daily', limitUsd: 1_000_000, window: 'day' }]
const limits: LimitDefinition[] = [{ name: 'bench-rpm', scope: { provider: 'openai' }, rpm: 10_000_000, concurrency: 1_000 }]

/** A throwaway redis-server, or `undefined` (and the Redis figures are skipped, saying so) when it is not installed. */
async function startRedis(): Promise<{ port: number; process: ChildProcess } | undefined> {
  if (!spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim()) return undefined
  const port = await freePort()
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
  const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, retryStrategy: () => 50 })
  // Refused connections are expected until the server listens; without a listener ioredis prints each one.
  client.on('error', () => {})
  for (let tries = 0; tries < 200; tries += 1) {
    try {
      await client.connect()
      break
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  }
  client.disconnect()
  return { port, process: child }
}

function printContest(result: ContestResult, baseline: string): void {
  console.log(`${'contender'.padEnd(40)} ${'median latency µs'.padEnd(24)} ${'/ bare SDK'.padEnd(22)} ${'/ no spend control'.padEnd(22)} CPU µs`)
  for (const [name, figures] of result) {
    console.log(
      `${name.padEnd(40)} ${formatSpread(spreadOf(figures.latency), 0).padEnd(24)} ${formatSpread(ratioOf(result, name, 'openai SDK (bare)'), 3).padEnd(22)} ${formatSpread(ratioOf(result, name, baseline), 3).padEnd(22)} ${formatSpread(spreadOf(figures.cpu), 0)}`,
    )
  }
}

export default async function spendControlOverhead(): Promise<void> {
  const { library, source } = await loadPackage()
  const { createRouter, openai, redisStore } = library
  console.log(`package under test: ${source}`)
  const upstream = await startLocalUpstream()
  const redis = await startRedis()
  const redisClient = redis ? new Redis({ host: '127.0.0.1', port: redis.port }) : undefined
  const provider = () => openai({ apiKey, baseURL: upstream.baseURL })
  const routers = {
    none: createRouter({ providers: [provider()] }),
    memory: createRouter({ providers: [provider()], budgets, limits }),
    ...(redisClient ? { redis: createRouter({ providers: [provider()], budgets, limits, store: redisStore({ client: redisClient, prefix: 'bench:' }) }) } : {}),
  }
  const bare = new OpenAI({ apiKey, baseURL: upstream.baseURL, maxRetries: 0 })
  const baseline = 'router.chat, no spend control'
  const reference: Contender = { name: 'openai SDK (bare)', run: () => bare.chat.completions.create({ model: 'gpt-4o', messages }) }
  const none: Contender = { name: baseline, run: () => routers.none.chat({ model: 'openai/gpt-4o', messages }) }
  try {
    console.log(`rounds: each round every contender once in a shuffled order, 3 repetitions × ${rounds}; medians per repetition, shown as median (lowest–highest repetition); upstream in its own process`)
    console.log('spend control: one budget (day window) and one rate limit (rpm + concurrency) on every call\n')
    const guarded: Contender = { name: 'router.chat, 1 budget + 1 limit (memory)', run: () => routers.memory.chat({ model: 'openai/gpt-4o', messages }) }
    console.log(`First calls (${warmupRounds} warm-up rounds: the guard's code not yet optimized by V8)`)
    const early = await runContest([reference, none, guarded], { warmupRounds, rounds })
    printContest(early, baseline)
    console.log(`memory store / none ${formatSpread(ratioOf(early, guarded.name, baseline), 3)}   (first calls)\n`)
    console.log(`Steady state (${steadyStateWarmupRounds} more warm-up rounds)`)
    const memory = await runContest([reference, none, guarded], { warmupRounds: steadyStateWarmupRounds, rounds })
    printContest(memory, baseline)
    const memoryRatio = ratioOf(memory, guarded.name, baseline)
    console.log(`memory store / none ${formatSpread(memoryRatio, 3)}   target <= 1.03: ${verdict(memoryRatio.median, 1.03)}\n`)
    if (routers.redis) {
      const redisRouter = routers.redis
      const shared = await runContest([reference, none, { name: 'router.chat, 1 budget + 1 limit (Redis)', run: () => redisRouter.chat({ model: 'openai/gpt-4o', messages }) }], { warmupRounds: steadyStateWarmupRounds, rounds })
      console.log(`Steady state on Redis (${steadyStateWarmupRounds} warm-up rounds)`)
      printContest(shared, baseline)
      console.log(`Redis store / none  ${formatSpread(ratioOf(shared, 'router.chat, 1 budget + 1 limit (Redis)', baseline), 3)}   (one Redis round trip before the call; the settling one after it is off the caller's path)`)
    } else console.log('redis-server is not installed: the Redis figures are not measured (apt-get install redis-server)')
  } finally {
    for (const router of Object.values(routers)) await router.close()
    upstream.stop()
    redisClient?.disconnect()
    redis?.process.kill('SIGKILL')
  }

  // The checking alone, without I/O: an adapter that answers at once.
  const cpuPerCall = async (router: ReturnType<typeof createRouter>) => {
    for (let index = 0; index < 1_000; index += 1) await router.chat({ model: 'openai/gpt-4o', messages })
    const calls = 10_000
    const before = process.cpuUsage()
    for (let index = 0; index < calls; index += 1) await router.chat({ model: 'openai/gpt-4o', messages })
    const used = process.cpuUsage(before)
    await router.close()
    return (used.user + used.system) / calls
  }
  const plain = await cpuPerCall(createRouter({ providers: [instantProvider()] }))
  const guarded = await cpuPerCall(createRouter({ providers: [instantProvider()], budgets, limits }))
  console.log(`\nCPU per call, adapter answering at once (a tight loop, code hot): ${plain.toFixed(1)} µs without, ${guarded.toFixed(1)} µs with a budget and a limit (memory store): +${(guarded - plain).toFixed(1)} µs`)
}
