// Spend-control overhead: the same router.chat through the openai adapter against a local HTTP
// server, with no spend control, with one budget and one rate limit on the memory store, and with
// the same on Redis (a local redis-server), interleaved call by call. Target: median latency ratio
// memory/none < 1.03. Also the CPU the budget and limit add per call with an adapter that answers at once.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { Redis } from 'ioredis'
import { createRouter, openai, redisStore, type BudgetDefinition, type LimitDefinition } from '../src/index.js'
import { freePort } from './free-port.js'
import { instantProvider } from './instant-provider.js'
import { startLocalUpstream } from './local-upstream.js'
import { median, percentile } from './statistics.js'

const warmupCalls = 300
const measuredCalls = Number(process.env.BENCH_CALLS ?? 1500)
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

export default async function spendControlOverhead(): Promise<void> {
  const upstream = await startLocalUpstream()
  const redis = await startRedis()
  const redisClient = redis ? new Redis({ host: '127.0.0.1', port: redis.port }) : undefined
  const provider = () => openai({ apiKey, baseURL: upstream.baseURL })
  const routers = {
    none: createRouter({ providers: [provider()] }),
    memory: createRouter({ providers: [provider()], budgets, limits }),
    ...(redisClient ? { redis: createRouter({ providers: [provider()], budgets, limits, store: redisStore({ client: redisClient, prefix: 'bench:' }) }) } : {}),
  }
  const sides = Object.keys(routers) as Array<keyof typeof routers>
  const call = (side: keyof typeof routers) => routers[side]!.chat({ model: 'openai/gpt-4o', messages })
  try {
    for (let index = 0; index < warmupCalls; index += 1) for (const side of sides) await call(side)
    const latency: Record<string, number[]> = Object.fromEntries(sides.map((side) => [side, []]))
    for (let index = 0; index < measuredCalls; index += 1) {
      // Rotating order, so drift in the machine affects every side alike.
      for (let offset = 0; offset < sides.length; offset += 1) {
        const side = sides[(index + offset) % sides.length]!
        const started = performance.now()
        await call(side)
        latency[side]!.push((performance.now() - started) * 1000)
      }
    }
    console.log(`calls: ${measuredCalls} per side, interleaved, after ${warmupCalls} warm-up calls per side; upstream in its own process`)
    console.log('spend control: one budget (day window) and one rate limit (rpm + concurrency) on every call')
    for (const side of sides) {
      console.log(`${`${side} store`.padEnd(14)} median ${median(latency[side]!).toFixed(0).padStart(6)} µs   p90 ${percentile(latency[side]!, 0.9).toFixed(0).padStart(6)} µs`.replace('none store', 'no spend ctl'))
    }
    const memoryRatio = median(latency.memory!) / median(latency.none!)
    console.log(`median latency ratio memory/none ${memoryRatio.toFixed(3)}   (target < 1.03: ${memoryRatio < 1.03 ? 'met' : 'MISSED'})`)
    if (latency.redis) console.log(`median latency ratio redis/none  ${(median(latency.redis) / median(latency.none!)).toFixed(3)}   (one Redis round trip before the call, one after it)`)
    else console.log('redis-server is not installed: the Redis figures are not measured (apt-get install redis-server)')
    for (const router of Object.values(routers)) await router.close()
  } finally {
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
    return (used.user + used.system) / calls
  }
  const plain = await cpuPerCall(createRouter({ providers: [instantProvider()] }))
  const guarded = await cpuPerCall(createRouter({ providers: [instantProvider()], budgets, limits }))
  console.log(`CPU per call, adapter answering at once: ${plain.toFixed(1)} µs without, ${guarded.toFixed(1)} µs with a budget and a limit (memory store): +${(guarded - plain).toFixed(1)} µs`)
}
