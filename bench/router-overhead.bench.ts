// Router overhead: `router.chat` through the openai adapter vs the bare `openai` SDK, both against
// the same local HTTP server, interleaved call by call. Also: CPU the router adds per call, and the
// time to import the built package vs importing `openai` alone. Targets: median latency ratio
// <= 1.05, <= 50 µs CPU added per call.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import OpenAI from 'openai'
import { startLocalUpstream } from './local-upstream.js'
import { median, percentile } from './statistics.js'
import { loadPackage, packageRoot as root } from './package-under-test.js'

const warmupCalls = 300
const measuredCalls = Number(process.env.BENCH_CALLS ?? 2000)
const importRuns = 7
const apiKey = 'sk-bench-0000000000000000'
const messages = [{ role: 'user' as const, content: 'Say hello.' }]

// The server runs in its own process, as a real provider would: its CPU is not counted as the

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
  const { library, source } = await loadPackage()
  const { createRouter, openai } = library
  console.log(`package under test: ${source}`)
  const server = await startLocalUpstream()
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
    // Each call's wall time and the process's CPU time over it are recorded; the server's CPU is
    // in another process and not counted.
    const samples = { bare: { latency: [] as number[], cpu: [] as number[] }, router: { latency: [] as number[], cpu: [] as number[] } }
    for (let index = 0; index < measuredCalls; index += 1) {
      const order = index % 2 === 0 ? (['bare', 'router'] as const) : (['router', 'bare'] as const)
      for (const side of order) {
        const cpuBefore = process.cpuUsage()
        const started = performance.now()
        await (side === 'bare' ? bareCall() : routerCall())
        const elapsed = performance.now() - started
        const cpu = process.cpuUsage(cpuBefore)
        samples[side].latency.push(elapsed * 1000)
        samples[side].cpu.push(cpu.user + cpu.system)
      }
    }

    const ratio = median(samples.router.latency) / median(samples.bare.latency)
    const sum = (values: number[]) => values.reduce((total, value) => total + value, 0)
    // (CPU over the N router calls − CPU over the N bare calls) / N, and the same with medians.
    const addedCpuMean = (sum(samples.router.cpu) - sum(samples.bare.cpu)) / measuredCalls
    const addedCpuMedian = median(samples.router.cpu) - median(samples.bare.cpu)
    const line = (label: string, bare: number, router: number) =>
      console.log(`${label.padEnd(22)} bare openai SDK ${bare.toFixed(0).padStart(6)} µs   router.chat ${router.toFixed(0).padStart(6)} µs`)

    console.log(`calls: ${measuredCalls} per side, interleaved, after ${warmupCalls} warm-up calls per side; server in its own process`)
    line('median latency', median(samples.bare.latency), median(samples.router.latency))
    line('p90 latency', percentile(samples.bare.latency, 0.9), percentile(samples.router.latency, 0.9))
    line('median CPU per call', median(samples.bare.cpu), median(samples.router.cpu))
    console.log(`median latency ratio   ${ratio.toFixed(3)}   (target <= 1.05: ${ratio <= 1.05 ? 'met' : 'MISSED'})`)
    // The verdict uses the median: on a shared machine the mean swings by tens of µs with GC pauses
    // and scheduling that land on either side.
    console.log(
      `CPU added per call     ${addedCpuMedian.toFixed(1)} µs (median), ${addedCpuMean.toFixed(1)} µs (mean)   (target <= 50: ${addedCpuMedian <= 50 ? 'met' : 'MISSED'})`,
    )
  } finally {
    server.stop()
  }

  // The router's own work without any I/O: an adapter that answers at once. Far less noisy than the
  // end-to-end figures on a busy machine, and the floor of what the router can add.
  const instantResponse = {
    id: 'chatcmpl-instant',
    model: 'gpt-4o',
    message: { role: 'assistant' as const, content: 'Hello' },
    finishReason: 'stop' as const,
    usage: { inputTokens: 11, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 9, reasoningTokens: 0 },
  }
  const instant = createRouter({
    providers: [{ specificationVersion: 'v1', id: 'openai', catalogId: 'openai', chat: async () => instantResponse, stream: async function* () {} }],
  })
  for (let index = 0; index < 2_000; index += 1) await instant.chat({ model: 'openai/gpt-4o', messages })
  const instantCalls = 20_000
  const cpuBefore = process.cpuUsage()
  for (let index = 0; index < instantCalls; index += 1) await instant.chat({ model: 'openai/gpt-4o', messages })
  const instantCpu = process.cpuUsage(cpuBefore)
  console.log(`router core alone     ${((instantCpu.user + instantCpu.system) / instantCalls).toFixed(1)} µs CPU per router.chat with an adapter that answers at once (${instantCalls} calls)`)

  if (!existsSync(`${root}dist/index.js`)) {
    console.log('import time: dist/ could not be built, so it is not measured')
    return
  }
  const packageImport = importMilliseconds('./dist/index.js')
  const openAIImport = importMilliseconds('openai')
  console.log(`import time            switchyard (dist/index.js) ${packageImport.toFixed(1)} ms   openai alone ${openAIImport.toFixed(1)} ms   (median of ${importRuns} fresh processes)`)
}
