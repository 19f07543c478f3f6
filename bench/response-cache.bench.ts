// Response cache: a hit against a provider call (memory store, and Redis on localhost), the extra
// cost of a miss (hashing + store round trip) against the same call with caching off, and the
// memory the memory store takes at 100k entries. Targets: a memory hit < 50 µs of router time; a
// miss adds < 5% to a local-upstream call with the memory store.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runInNewContext } from 'node:vm'
import { setFlagsFromString } from 'node:v8'
import OpenAI from 'openai'
import { createClient } from 'redis'
import type { ProviderAdapter, Store } from '../src/index.js'
import { freePort } from './free-port.js'
import { instantProvider } from './instant-provider.js'
import { startLocalUpstream } from './local-upstream.js'
import { loadPackage, type Package } from './package-under-test.js'
import { median, percentile } from './statistics.js'

const apiKey = 'sk-bench-0000000000000000'
const calls = Number(process.env.BENCH_CALLS ?? 1000)
const warmup = 200

// The built package's exports, set once the default export has loaded it.
let createRouter: Package['createRouter']
let memoryStore: Package['memoryStore']
let openai: Package['openai']
let redisStore: Package['redisStore']


/** A throwaway redis-server on localhost, or `undefined` (and why) when there is none. */
async function startRedis(): Promise<{ port: number; stop(): void } | { missing: string }> {
  if (!spawnSync('sh', ['-c', 'command -v redis-server']).stdout.toString().trim()) return { missing: 'redis-server is not installed (apt-get install -y redis-server)' }
  const port = await freePort()
  const directory = mkdtempSync(join(tmpdir(), 'switchyard-bench-redis-'))
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', directory], { stdio: 'ignore' })
  for (let tries = 0; tries < 200; tries++) {
    const probe = createClient({ url: `redis://127.0.0.1:${port}` })
    probe.on('error', () => {})
    try {
      await probe.connect()
      probe.destroy()
      break
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  }
  return {
    port,
    stop: () => {
      child.kill('SIGKILL')
      rmSync(directory, { recursive: true, force: true })
    },
  }
}

const micro = (values: number[]) => `median ${median(values).toFixed(1).padStart(7)} µs   p90 ${percentile(values, 0.9).toFixed(1).padStart(7)} µs`

/** Wall time of each call, µs. */
async function timeCalls(count: number, call: (index: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = []
  for (let index = 0; index < count; index++) {
    const started = performance.now()
    await call(index)
    samples.push((performance.now() - started) * 1000)
  }
  return samples
}

export default async function responseCache(): Promise<void> {
  const { library, source } = await loadPackage()
  ;({ createRouter, memoryStore, openai, redisStore } = library)
  console.log(`package under test: ${source}`)
  const upstream = await startLocalUpstream()
  const redis = await startRedis()
  const redisClient = 'port' in redis ? createClient({ url: `redis://127.0.0.1:${redis.port}` }) : undefined
  redisClient?.on('error', () => {})
  await redisClient?.connect()
  try {
    const provider = () => openai({ apiKey, baseURL: upstream.baseURL })
    const bare = new OpenAI({ apiKey, baseURL: upstream.baseURL, maxRetries: 0 })
    const off = createRouter({ providers: [provider()] })
    const memory = createRouter({ providers: [provider()], cache: { ttlMs: 600_000 }, store: memoryStore({ maxEntries: 200_000 }) })
    const onRedis = redisClient ? createRouter({ providers: [provider()], cache: { ttlMs: 600_000 }, store: redisStore({ client: redisClient, prefix: `bench-${Date.now()}:` }) }) : undefined
    const question = (index: number) => [{ role: 'user' as const, content: `Say hello, caller ${index}.` }]
    const hitQuestion = [{ role: 'user' as const, content: 'Say hello.' }]

    for (let index = 0; index < warmup; index++) {
      await bare.chat.completions.create({ model: 'gpt-4o', messages: question(index) })
      await off.chat({ model: 'openai/gpt-4o', messages: question(index) })
      await memory.chat({ model: 'openai/gpt-4o', messages: question(-index - 1) })
      await memory.chat({ model: 'openai/gpt-4o', messages: hitQuestion })
      await onRedis?.chat({ model: 'openai/gpt-4o', messages: hitQuestion })
    }

    // Miss overhead: distinct questions, so every call of the caching router misses and stores.
    // Interleaved call by call, every order in turn, so machine drift and position hit all sides alike.
    const offSamples: number[] = []
    const missSamples: number[] = []
    const bareSamples: number[] = []
    for (let index = 0; index < calls; index++) {
      const orders = [['off', 'miss', 'bare'], ['miss', 'bare', 'off'], ['bare', 'off', 'miss'], ['bare', 'miss', 'off'], ['miss', 'off', 'bare'], ['off', 'bare', 'miss']] as const
      const sides = orders[index % orders.length]!
      for (const side of sides) {
        const started = performance.now()
        if (side === 'off') await off.chat({ model: 'openai/gpt-4o', messages: question(index) })
        else if (side === 'miss') await memory.chat({ model: 'openai/gpt-4o', messages: question(1_000_000 + index) })
        else await bare.chat.completions.create({ model: 'gpt-4o', messages: question(index) })
        ;(side === 'off' ? offSamples : side === 'miss' ? missSamples : bareSamples).push((performance.now() - started) * 1000)
      }
    }
    const hitSamples = await timeCalls(calls * 5, () => memory.chat({ model: 'openai/gpt-4o', messages: hitQuestion }))
    const check = await memory.chat({ model: 'openai/gpt-4o', messages: hitQuestion })
    if (!check.route.cacheHit || check.choices[0]!.message.content !== 'Hello! How can I help you today?') throw new Error('The memory router did not serve a cache hit.')
    const redisHitSamples = onRedis ? await timeCalls(calls, () => onRedis.chat({ model: 'openai/gpt-4o', messages: hitQuestion })) : undefined
    if (onRedis && !(await onRedis.chat({ model: 'openai/gpt-4o', messages: hitQuestion })).route.cacheHit) throw new Error('The Redis router did not serve a cache hit.')

    console.log(`calls: ${calls} per side (hits: ${calls * 5}), after ${warmup} warm-up calls; upstream server in its own process on localhost`)
    console.log(`direct openai SDK call          ${micro(bareSamples)}`)
    console.log(`router.chat, caching off        ${micro(offSamples)}`)
    console.log(`router.chat, memory-cache miss  ${micro(missSamples)}`)
    console.log(`router.chat, memory-cache hit   ${micro(hitSamples)}   (target < 50 µs: ${median(hitSamples) < 50 ? 'met' : 'MISSED'})`)
    if (redisHitSamples) console.log(`router.chat, Redis-cache hit    ${micro(redisHitSamples)}   (one GET round trip to localhost)`)
    else console.log(`router.chat, Redis-cache hit    not measured: ${(redis as { missing: string }).missing}`)
    const missRatio = median(missSamples) / median(offSamples)
    console.log(`miss / caching off (medians)    ${missRatio.toFixed(3)}   (target < 1.05: ${missRatio < 1.05 ? 'met' : 'MISSED'})`)
    console.log(`hit / provider call (medians)   ${(median(hitSamples) / median(offSamples)).toFixed(3)} memory, ${redisHitSamples ? (median(redisHitSamples) / median(offSamples)).toFixed(3) : 'n/a'} Redis`)
  } finally {
    upstream.stop()
    redisClient?.destroy()
    if ('stop' in redis) redis.stop()
  }

  // The router's own work on a miss, without I/O noise: an adapter that answers at once, with
  // caching off and with a memory cache that misses (distinct questions) on every call.
  const instantAdapter = instantProvider('Hello! How can I help you today?')
  const instantOff = createRouter({ providers: [instantAdapter] })
  const instantCached = createRouter({ providers: [instantAdapter], cache: { ttlMs: 600_000 }, store: memoryStore({ maxEntries: 100_000 }) })
  const cpuPerCall = async (router: typeof instantOff, offset: number) => {
    const count = 20_000
    for (let index = 0; index < 2_000; index++) await router.chat({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: `warm ${offset + index}` }] })
    const before = process.cpuUsage()
    for (let index = 0; index < count; index++) await router.chat({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: `Say hello, caller ${offset + index}.` }] })
    const used = process.cpuUsage(before)
    return (used.user + used.system) / count
  }
  const offCpu = await cpuPerCall(instantOff, 0)
  const missCpu = await cpuPerCall(instantCached, 10_000_000)
  console.log(`router CPU per call, no I/O     caching off ${offCpu.toFixed(1)} µs, memory-cache miss ${missCpu.toFixed(1)} µs: a miss adds ${(missCpu - offCpu).toFixed(1)} µs`)

  // Memory of the memory store holding 100k cached answers (the stored entry of a real call).
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  let sample = ''
  const capture = memoryStore()
  const capturing: Store = { ...capture, specificationVersion: 'v1', kind: 'memory-capture', get: (key) => capture.get(key), setIfAbsent: (k, v, o) => capture.setIfAbsent(k, v, o), delete: (k) => capture.delete(k), increment: (k, b, o) => capture.increment(k, b, o), run: (s, k, a) => capture.run(s, k, a), set: async (key, value) => void (key.startsWith('cache:') ? (sample = value) : undefined) }
  const instant = createRouter({
    providers: [instantProvider('Hello! How can I help you today?')],
    cache: true,
    store: capturing,
  })
  await instant.chat({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'Say hello.' }] })
  // Filled as calls fill it: through a router, 100k distinct questions, each answered with a
  // response of its own, parsed from JSON as an adapter parses a provider's reply (so entries share
  // no strings), and held however the cache holds them in a memory store.
  let answered = 0
  const answerText = JSON.stringify({
    id: 'chatcmpl-instant',
    model: 'gpt-4o',
    message: { role: 'assistant', content: 'Hello! How can I help you today?' },
    finishReason: 'stop',
    usage: { inputTokens: 11, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 9, reasoningTokens: 0 },
  })
  const parsingProvider: ProviderAdapter = {
    specificationVersion: 'v1',
    id: 'openai',
    catalogId: 'openai',
    chat: async () => JSON.parse(answerText.replace('chatcmpl-instant', `chatcmpl-${(answered += 1)}`)) as Awaited<ReturnType<ProviderAdapter['chat']>>,
    stream: async function* () {},
  }
  const store = memoryStore({ maxEntries: 100_000 })
  const filling = createRouter({ providers: [parsingProvider], cache: { ttlMs: 600_000 }, store })
  await filling.chat({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'warm-up' }] })
  gc()
  const before = process.memoryUsage().heapUsed
  for (let index = 0; index < 100_000; index++) await filling.chat({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: `Say hello, caller ${index}.` }] })
  gc()
  const used = process.memoryUsage().heapUsed - before
  console.log(`memory store, 100k entries      ${(used / 1024 / 1024).toFixed(1)} MB heap (${(used / 100_000).toFixed(0)} bytes per entry, key and bookkeeping included; one stored answer is ${sample.length} characters of JSON)`)
  if (store.size !== 100_000) throw new Error('the store did not keep 100k entries')
}
