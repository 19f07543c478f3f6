// Telemetry overhead: the same router.chat through the openai adapter against a local HTTP server,
// with OpenTelemetry off, with it on (the real SDK: a batch span processor and a metric reader,
// both exporting to nowhere), and, as the floor, with telemetry off but the same spans and metric
// records made directly on the SDK around the call (bench/direct-telemetry.ts): what the SDK's own
// work for that data costs, which no instrumentation emitting it avoids. Side by side in shuffled
// rounds (contest.ts). Target (issue 11): median latency on/off ≤ 1.03. Built package (dist/).
// Also the CPU telemetry adds per call with an adapter that answers at once.
import { context } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { formatSpread, ratioOf, runContest, spreadOf, verdict, type Contender } from './contest.js'
import { directTelemetry } from './direct-telemetry.js'
import { discardingTelemetry } from './discarding-telemetry.js'
import { instantProvider } from './instant-provider.js'
import { startLocalUpstream } from './local-upstream.js'
import { loadPackage } from './package-under-test.js'
import { median } from './statistics.js'

const rounds = Number(process.env.BENCH_CALLS ?? 1000)
const warmupRounds = 300
const apiKey = 'sk-bench-0000000000000000'
const messages = [{ role: 'user' as const, content: 'Say hello.' }]

export default async function telemetryOverhead(): Promise<void> {
  const { library, source } = await loadPackage()
  const { createRouter, openai } = library
  console.log(`package under test: ${source}`)
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  const telemetry = discardingTelemetry()
  const upstream = await startLocalUpstream()
  const providers = () => [openai({ apiKey, baseURL: upstream.baseURL })]
  const off = createRouter({ providers: providers() })
  const on = createRouter({ providers: providers(), telemetry: { tracer: telemetry.tracer, meter: telemetry.meter } })
  const offForFloor = createRouter({ providers: providers() })
  const withDirectTelemetry = directTelemetry(telemetry.tracer, telemetry.otherMeter)
  const call = (router: typeof off) => router.chat({ model: 'openai/gpt-4o', messages })
  const names = { off: 'telemetry off', on: 'telemetry on', floor: 'off + same spans/metrics on the SDK' }
  const contenders: Contender[] = [
    { name: names.off, run: () => call(off) },
    { name: names.on, run: () => call(on) },
    { name: names.floor, run: () => withDirectTelemetry(() => call(offForFloor)) },
  ]

  try {
    console.log(`rounds: ${warmupRounds} warm-up, then 3 repetitions × ${rounds}, each round every contender once in a shuffled order; upstream in its own process; medians per repetition, shown as median (lowest–highest repetition)`)
    const result = await runContest(contenders, { warmupRounds, rounds })
    console.log(`${'contender'.padEnd(38)} ${'median latency µs'.padEnd(22)} ${'/ telemetry off'.padEnd(22)} CPU µs`)
    for (const [name, figures] of result) {
      console.log(`${name.padEnd(38)} ${formatSpread(spreadOf(figures.latency), 0).padEnd(22)} ${formatSpread(ratioOf(result, name, names.off), 3).padEnd(22)} ${formatSpread(spreadOf(figures.cpu), 0)}`)
    }
    const ratio = ratioOf(result, names.on, names.off)
    const floor = ratioOf(result, names.floor, names.off)
    console.log(`telemetry on / off      ${formatSpread(ratio, 3)}   target <= 1.03: ${verdict(ratio.median, 1.03)}`)
    console.log(`SDK floor / off         ${formatSpread(floor, 3)}   (the SDK's own work for these spans and records, made directly)`)
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
  const cpuRounds = { off: [] as number[], on: [] as number[] }
  for (let round = 0; round < 5; round += 1) {
    cpuRounds.off.push(await cpuPerCall(instantOff, 4_000))
    cpuRounds.on.push(await cpuPerCall(instantOn, 4_000))
  }
  const cpuOff = median(cpuRounds.off)
  const cpuOn = median(cpuRounds.on)
  console.log(`CPU per router.chat    telemetry off ${cpuOff.toFixed(1)} µs   on ${cpuOn.toFixed(1)} µs   added ${(cpuOn - cpuOff).toFixed(1)} µs (adapter that answers at once; median of 5 × 4000 calls)`)
  for (const router of [off, on, offForFloor, instantOff, instantOn]) await router.close()
  await telemetry.shutdown()
  console.log(`spans exported (to nowhere): ${telemetry.exportedSpans()}`)
}
