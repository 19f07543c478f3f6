// Routing strategies. (1) race latency against the fastest candidate called alone (target: within
// 2 ms), both through the official `openai` SDK against a local HTTP server; (2) time from the
// winner's HTTP answer to the losers' abort signals (target: under 5 ms); (3) a hedged race's cost
// and tail latency against a full race and a single model, on scripted tail latencies.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import OpenAI from 'openai'
import { createRouter, fallback, mockProvider, openai, race, type ModelResponse, type ProviderAdapter, type Router } from '../src/index.js'
import { emptyUsage } from '../src/provider-kit/usage.js'
import { median, percentile } from './statistics.js'

const messages = [{ role: 'user' as const, content: 'Say hello.' }]
const serverDelays: Record<string, number> = { fast: 20, medium: 45, slow: 70 }
const latencyRounds = Number(process.env.BENCH_RACE_ROUNDS ?? 100)

/**
 * The stand-in provider: answers each model after its own delay, in a child process so that its
 * work does not share the router's event loop (a real provider is remote); a client that hangs up
 * just ends the timer. Prints its port.
 */
const serverSource = `
import { createServer } from 'node:http'
const delays = ${JSON.stringify(serverDelays)}
const server = createServer((request, response) => {
  let body = ''
  request.on('data', (chunk) => (body += chunk))
  request.on('end', () => {
    const model = JSON.parse(body).model
    const timer = setTimeout(() => {
      const text = JSON.stringify({
        id: 'chatcmpl-' + model, object: 'chat.completion', created: 1770000000, model,
        choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from ' + model + '.', refusal: null }, logprobs: null, finish_reason: 'stop' }],
        usage: { prompt_tokens: 11, completion_tokens: 5, total_tokens: 16 },
      })
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
      response.end(text)
    }, delays[model] ?? 0)
    response.on('close', () => clearTimeout(timer))
  })
})
server.listen(0, '127.0.0.1', () => console.log(server.address().port))
`

async function startServer(): Promise<{ port: number; stop: () => void }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', serverSource], { stdio: ['ignore', 'pipe', 'inherit'] })
  const [line] = (await once(child.stdout, 'data')) as [Buffer]
  return { port: Number(line.toString().trim()), stop: () => child.kill() }
}

/** When each request's HTTP answer arrived and when its signal fired, per model, for the current call. */
interface Trace {
  answeredAt: Map<string, number>
  abortedAt: Map<string, number>
}

function tracingFetch(trace: { current: Trace }): typeof fetch {
  return async (input, init) => {
    const model = (JSON.parse(String(init?.body)) as { model: string }).model
    const record = trace.current
    init?.signal?.addEventListener('abort', () => record.abortedAt.set(model, performance.now()), { once: true })
    const response = await fetch(input, init)
    record.answeredAt.set(model, performance.now())
    return response
  }
}

async function raceAgainstFastestAlone(): Promise<void> {
  const server = await startServer()
  const baseURL = `http://127.0.0.1:${server.port}/v1`
  const trace = { current: { answeredAt: new Map(), abortedAt: new Map() } as Trace }
  const client = new OpenAI({ apiKey: 'sk-bench-0000000000000000', baseURL, maxRetries: 0, fetch: tracingFetch(trace) })
  const router = createRouter({
    providers: [openai({ client, models: ['fast', 'medium', 'slow'] })],
    prices: { 'openai/fast': { input: 1, output: 1 }, 'openai/medium': { input: 1, output: 1 }, 'openai/slow': { input: 1, output: 1 } },
    // The fastest candidate listed last: the race must not favour list order.
    routes: { alone: 'openai/fast', first: race(['openai/slow', 'openai/medium', 'openai/fast']) },
  })
  const time = async (model: 'alone' | 'first') => {
    trace.current = { answeredAt: new Map(), abortedAt: new Map() }
    const startedAt = performance.now()
    const result = await router.chat({ model, messages })
    if (result.route.model !== 'fast') throw new Error(`expected fast to win, got ${result.route.model}`)
    return performance.now() - startedAt
  }
  for (let round = 0; round < 10; round++) {
    await time('alone')
    await time('first')
  }
  const alone: number[] = []
  const raced: number[] = []
  const abortDelays: number[] = []
  for (let round = 0; round < latencyRounds; round++) {
    alone.push(await time('alone'))
    raced.push(await time('first'))
    const answeredAt = trace.current.answeredAt.get('fast')!
    const losersAborted = ['slow', 'medium'].map((model) => trace.current.abortedAt.get(model))
    if (losersAborted.some((at) => at === undefined)) throw new Error('a loser was never aborted')
    abortDelays.push(Math.max(...(losersAborted as number[])) - answeredAt)
  }
  server.stop()
  const difference = median(raced) - median(alone)
  console.log(`race(first) of 3 vs the fastest alone, official openai SDK over local HTTP to a server in another process (fastest answers after ${serverDelays.fast} ms), ${latencyRounds} rounds interleaved:`)
  console.log(`  fastest alone  median ${median(alone).toFixed(2)} ms   p95 ${percentile(alone, 0.95).toFixed(2)} ms`)
  console.log(`  race of 3      median ${median(raced).toFixed(2)} ms   p95 ${percentile(raced, 0.95).toFixed(2)} ms`)
  console.log(`  difference     ${difference.toFixed(2)} ms (target within 2 ms) ${Math.abs(difference) <= 2 ? 'OK' : 'MISSED'}`)
  console.log(`winner's HTTP answer → both losers' abort signals fired: median ${(median(abortDelays) * 1000).toFixed(0)} µs, p95 ${(percentile(abortDelays, 0.95) * 1000).toFixed(0)} µs, max ${(Math.max(...abortDelays) * 1000).toFixed(0)} µs (target < 5 ms) ${percentile(abortDelays, 0.95) < 5 ? 'OK' : 'MISSED'}`)
}

/**
 * The router's own share of the abort delay: in-process adapters, the winner answering after 2 ms,
 * the losers never answering; from the winner adapter's `return` to the last loser's abort event.
 */
async function abortDelayInProcess(): Promise<void> {
  let answeredAt = 0
  const abortedAt: number[] = []
  const adapter: ProviderAdapter = {
    specificationVersion: 'v1',
    id: 'local',
    models: ['winner', 'loser1', 'loser2'],
    chat: (request, { signal }) =>
      new Promise<ModelResponse>((resolve, reject) => {
        signal.addEventListener('abort', () => {
          abortedAt.push(performance.now())
          reject(signal.reason)
        }, { once: true })
        if (request.model !== 'winner') return
        setTimeout(() => {
          answeredAt = performance.now()
          resolve({ id: 'x', model: 'winner', message: { role: 'assistant', content: 'hi' }, finishReason: 'stop', usage: emptyUsage() })
        }, 2)
      }),
    stream: () => {
      throw new Error('not used')
    },
  }
  const router = createRouter({ providers: [adapter], routes: { first: race(['local/loser1', 'local/winner', 'local/loser2']) } })
  const delays: number[] = []
  const raced: number[] = []
  const alone: number[] = []
  for (let round = 0; round < 500; round++) {
    abortedAt.length = 0
    let startedAt = performance.now()
    await router.chat({ model: 'first', messages })
    raced.push(performance.now() - startedAt)
    delays.push(Math.max(...abortedAt) - answeredAt)
    startedAt = performance.now()
    await router.chat({ model: 'local/winner', messages })
    alone.push(performance.now() - startedAt)
  }
  const steady = (values: number[]) => values.slice(50)
  console.log(`  in-process (router only, no HTTP): median ${(median(steady(delays)) * 1000).toFixed(0)} µs, p95 ${(percentile(steady(delays), 0.95) * 1000).toFixed(0)} µs`)
  console.log(`race of 3 vs the winner alone, in-process adapters (router only): median +${((median(steady(raced)) - median(steady(alone))) * 1000).toFixed(0)} µs`)
}

/** A reproducible pseudo-random sequence (an LCG), so every run sees the same latencies. */
function seeded(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0
    return state / 0x1_0000_0000
  }
}

/** Typical 15 ms; one call in ten hits a 250 ms tail. Every answer costs the same. */
function tailLatencyProvider(id: string, seed: number) {
  const random = seeded(seed)
  return mockProvider({
    id,
    models: { m: () => ({ text: 'answer', latencyMs: random() < 0.1 ? 250 : 15, usage: { inputTokens: 1_000, outputTokens: 200 } }) },
  })
}

async function runMany(router: Router, model: string, requests: number, concurrency: number) {
  const latencies: number[] = []
  let started = 0
  let reportedCost = 0
  let next = 0
  const worker = async () => {
    while (next < requests) {
      next += 1
      const startedAt = performance.now()
      const result = await router.chat({ model, messages })
      latencies.push(performance.now() - startedAt)
      started += result.route.attempts.length
      reportedCost += result.cost.total ?? 0
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return { latencies, started, reportedCost }
}

async function hedgedVersusFullRace(): Promise<void> {
  const requests = 300
  const pricePerCall = (1_000 * 1 + 200 * 2) / 1e6 // 1 000 in at $1/M + 200 out at $2/M
  console.log(`\nhedged vs full race vs single model: 3 candidates, each 15 ms typically and 250 ms one call in ten; ${requests} requests, 20 at a time; $${pricePerCall} per completed call`)
  console.log('  strategy              p50 ms   p95 ms   calls/request   reported $/request   upper bound $/request (every started call billed in full)')
  for (const [label, strategy] of [
    ['single model', fallback(['a/m'], { retries: 0 })],
    ['hedge (hedgeMs 40)', race(['a/m', 'b/m', 'c/m'], { mode: 'hedge', hedgeMs: 40 })],
    ['full race (first)', race(['a/m', 'b/m', 'c/m'])],
  ] as const) {
    const router = createRouter({
      providers: [tailLatencyProvider('a', 1), tailLatencyProvider('b', 2), tailLatencyProvider('c', 3)],
      prices: { 'a/m': { input: 1, output: 2 }, 'b/m': { input: 1, output: 2 }, 'c/m': { input: 1, output: 2 } },
      routes: { route: strategy },
    })
    const { latencies, started, reportedCost } = await runMany(router, 'route', requests, 20)
    const callsPerRequest = started / requests
    console.log(
      `  ${label.padEnd(20)}  ${median(latencies).toFixed(1).padStart(6)}   ${percentile(latencies, 0.95).toFixed(1).padStart(6)}   ${callsPerRequest.toFixed(2).padStart(13)}   ${(reportedCost / requests).toFixed(6).padStart(18)}   ${(callsPerRequest * pricePerCall).toFixed(6).padStart(10)}`,
    )
  }
  console.log('  (reported cost counts only answers a provider finished; an aborted call reports no usage, so providers may bill part of it — hence the upper bound)')
}

export default async function main(): Promise<void> {
  await raceAgainstFastestAlone()
  await abortDelayInProcess()
  await hedgedVersusFullRace()
}
