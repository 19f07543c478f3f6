// Router overhead: `router.chat` through the openai adapter vs the bare `openai` SDK, both against
// the same local HTTP server, interleaved call by call. Also: CPU the router adds per call, and the
// time to import the built package vs importing `openai` alone. Targets: median latency ratio
// <= 1.05, <= 50 µs CPU added per call.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import OpenAI from 'openai'
import { createRouter, openai } from '../src/index.js'

const root = fileURLToPath(new URL('../', import.meta.url))
const warmupCalls = 300
const measuredCalls = Number(process.env.BENCH_CALLS ?? 2000)
const cpuRounds = 4
const importRuns = 7
const apiKey = 'sk-bench-0000000000000000'
const messages = [{ role: 'user' as const, content: 'Say hello.' }]

const completionBody = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1_770_000_000,
  model: 'gpt-4o-2024-08-06',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello! How can I help you today?', refusal: null }, logprobs: null, finish_reason: 'stop' }],
  usage: { prompt_tokens: 11, completion_tokens: 9, total_tokens: 20, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } },
})

// The server runs in its own process, as a real provider would: its CPU is not counted as the
// client's, and it does not compete with the client's event loop.
const serverScript = `
const { createServer } = require('node:http')
const body = process.env.BENCH_BODY
const server = createServer((request, response) => {
  request.resume()
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
    response.end(body)
  })
})
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'))
process.stdin.on('end', () => process.exit(0))
process.stdin.resume()
`

interface LocalServer {
  baseURL: string
  stop(): void
}

function startServer(): Promise<LocalServer> {
  const child = spawn(process.execPath, ['-e', serverScript], { env: { ...process.env, BENCH_BODY: completionBody, NODE_OPTIONS: '' }, stdio: ['pipe', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.stdout.once('data', (data: Buffer) =>
      resolve({
        baseURL: `http://127.0.0.1:${data.toString().trim()}/v1`,
        // Closing its stdin ends the server process.
        stop: () => child.stdin.end(),
      }),
    )
  })
}

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((left, right) => left - right)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!
}

async function cpuMicroseconds(calls: number, call: () => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage()
  for (let index = 0; index < calls; index += 1) await call()
  const used = process.cpuUsage(before)
  return used.user + used.system
}

/** Median wall time, in ms, to import `specifier` in a fresh `node` process. */
function importMilliseconds(specifier: string): number {
  const script = `const started = performance.now(); await import(${JSON.stringify(specifier)}); console.log(performance.now() - started)`
  const runs: number[] = []
  for (let run = 0; run < importRuns; run += 1) {
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } })
    runs.push(Number(output.trim()))
  }
  return median(runs)
}

export default async function routerOverhead(): Promise<void> {
  const server = await startServer()
  const { baseURL } = server
  const bare = new OpenAI({ apiKey, baseURL, maxRetries: 0 })
  const router = createRouter({ providers: [openai({ apiKey, baseURL })] })
  const bareCall = () => bare.chat.completions.create({ model: 'gpt-4o', messages })
  const routerCall = () => router.chat({ model: 'openai/gpt-4o', messages })

  try {
    const check = await routerCall()
    if (check.choices[0]!.message.content !== 'Hello! How can I help you today?' || check.cost.total === null) {
      throw new Error('The router did not return the served completion with its cost.')
    }
    for (let index = 0; index < warmupCalls; index += 1) {
      await bareCall()
      await routerCall()
    }

    // Interleaved A/B (order alternating too), so drift in the machine affects both sides alike.
    const bareTimes: number[] = []
    const routerTimes: number[] = []
    for (let index = 0; index < measuredCalls; index += 1) {
      const order = index % 2 === 0 ? (['bare', 'router'] as const) : (['router', 'bare'] as const)
      for (const side of order) {
        const started = performance.now()
        await (side === 'bare' ? bareCall() : routerCall())
        ;(side === 'bare' ? bareTimes : routerTimes).push(performance.now() - started)
      }
    }

    // CPU: blocks of calls (the in-process server's CPU is the same on both sides and cancels out).
    const cpuCalls = Math.max(200, Math.floor(measuredCalls / 2))
    let bareCpu = 0
    let routerCpu = 0
    for (let round = 0; round < cpuRounds; round += 1) {
      bareCpu += await cpuMicroseconds(cpuCalls, bareCall)
      routerCpu += await cpuMicroseconds(cpuCalls, routerCall)
    }
    const totalCpuCalls = cpuCalls * cpuRounds

    const bareMedian = median(bareTimes)
    const routerMedian = median(routerTimes)
    const ratio = routerMedian / bareMedian
    const addedCpuMicroseconds = (routerCpu - bareCpu) / totalCpuCalls

    console.log(`calls: ${measuredCalls} interleaved after ${warmupCalls} warm-up; CPU over ${totalCpuCalls} calls per side`)
    console.log(`median latency   bare openai SDK ${(bareMedian * 1000).toFixed(0)} µs   router.chat ${(routerMedian * 1000).toFixed(0)} µs`)
    console.log(`p90 latency      bare openai SDK ${(percentile(bareTimes, 0.9) * 1000).toFixed(0)} µs   router.chat ${(percentile(routerTimes, 0.9) * 1000).toFixed(0)} µs`)
    console.log(`median ratio     ${ratio.toFixed(3)}   (target <= 1.05) ${ratio <= 1.05 ? 'OK' : 'MISSED'}`)
    console.log(
      `CPU per call     bare ${(bareCpu / totalCpuCalls).toFixed(1)} µs   router ${(routerCpu / totalCpuCalls).toFixed(1)} µs   added ${addedCpuMicroseconds.toFixed(1)} µs   (target <= 50) ${addedCpuMicroseconds <= 50 ? 'OK' : 'MISSED'}`,
    )
  } finally {
    server.stop()
  }

  if (!existsSync(`${root}dist/index.js`)) {
    console.log('dist/ is missing: building it with tsup for the import-time measurement')
    execFileSync('npx', ['tsup', '--silent'], { cwd: root, stdio: 'inherit' })
  }
  const packageImport = importMilliseconds('./dist/index.js')
  const openAIImport = importMilliseconds('openai')
  console.log(`import time      switchyard (dist/index.js) ${packageImport.toFixed(1)} ms   openai alone ${openAIImport.toFixed(1)} ms   (median of ${importRuns} fresh processes)`)
}
