// Telemetry overhead: the same router.chat through the openai adapter against a local HTTP server,
// once with OpenTelemetry on (the real SDK: a batch span processor and a metric reader, both
// exporting to nowhere) and once with it off, interleaved call by call. Target: median latency
// ratio on/off < 1.03. Also the CPU telemetry adds per call with an adapter that answers at once.
import { context } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { createRouter, openai } from '../src/index.js'
import { discardingTelemetry } from './discarding-telemetry.js'
import { instantProvider } from './instant-provider.js'
import { startLocalUpstream } from './local-upstream.js'
import { median, percentile } from './statistics.js'

const warmupCalls = 300
const measuredCalls = Number(process.env.BENCH_CALLS ?? 2000)
const apiKey = 'sk-bench-0000000000000000'
const messages = [{ role: 'user' as const, content: 'Say hello.' }]

export default async function telemetryOverhead(): Promise<void> {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  const telemetry = discardingTelemetry()
  const upstream = await startLocalUpstream()
  const providers = () => [openai({ apiKey, baseURL: upstream.baseURL })]
  const off = createRouter({ providers: providers() })
  const on = createRouter({ providers: providers(), telemetry: { tracer: telemetry.tracer, meter: telemetry.meter } })
  const call = (router: typeof off) => router.chat({ model: 'openai/gpt-4o', messages })

  try {
    for (let index = 0; index < warmupCalls; index += 1) {
      await call(off)
      await call(on)
    }
    const samples = { off: [] as number[], on: [] as number[] }
    for (let index = 0; index < measuredCalls; index += 1) {
      const order = index % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)
      for (const side of order) {
        const started = performance.now()
        await call(side === 'on' ? on : off)
        samples[side].push((performance.now() - started) * 1000)
      }
    }
    const ratio = median(samples.on) / median(samples.off)
    console.log(`calls: ${measuredCalls} per side, interleaved, after ${warmupCalls} warm-up calls per side; upstream in its own process`)
    console.log(`median latency         telemetry off ${median(samples.off).toFixed(0).padStart(6)} µs   on ${median(samples.on).toFixed(0).padStart(6)} µs`)
    console.log(`p90 latency            telemetry off ${percentile(samples.off, 0.9).toFixed(0).padStart(6)} µs   on ${percentile(samples.on, 0.9).toFixed(0).padStart(6)} µs`)
    console.log(`median latency ratio   ${ratio.toFixed(3)} on/off   (target < 1.03: ${ratio < 1.03 ? 'met' : 'MISSED'})`)
  } finally {
    upstream.stop()
  }

  // The telemetry's own CPU, without I/O noise: an adapter that answers at once.
  const instantOff = createRouter({ providers: [instantProvider()] })
  const instantOn = createRouter({ providers: [instantProvider()], telemetry: { tracer: telemetry.tracer, meter: telemetry.meter } })
  const cpuPerCall = async (router: typeof instantOff, calls: number) => {
    const before = process.cpuUsage()
    for (let index = 0; index < calls; index += 1) await router.chat({ model: 'openai/gpt-4o', messages })
    const used = process.cpuUsage(before)
    return (used.user + used.system) / calls
  }
  await cpuPerCall(instantOff, 2_000)
  await cpuPerCall(instantOn, 2_000)
  const rounds = { off: [] as number[], on: [] as number[] }
  for (let round = 0; round < 5; round += 1) {
    rounds.off.push(await cpuPerCall(instantOff, 4_000))
    rounds.on.push(await cpuPerCall(instantOn, 4_000))
  }
  const cpuOff = median(rounds.off)
  const cpuOn = median(rounds.on)
  console.log(`CPU per router.chat    telemetry off ${cpuOff.toFixed(1)} µs   on ${cpuOn.toFixed(1)} µs   added ${(cpuOn - cpuOff).toFixed(1)} µs (adapter that answers at once; median of 5 × 4000 calls)`)
  await telemetry.shutdown()
  console.log(`spans exported (to nowhere): ${telemetry.exportedSpans()}`)
}
