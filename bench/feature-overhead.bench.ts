// What each feature adds to a call, side by side in one run (shuffled rounds, warm-up, three
// repetitions; see contest.ts), against the same local upstream: `router.chat` with the defaults
// (caching off), with a memory response cache that misses on every call (each question is new),
// with one budget and one rate limit on the memory store, and with OpenTelemetry on (the real SDK,
// exporting nowhere); the bare `openai` SDK as the reference. Built package (dist/).
//
// Twice: over the first calls (200 warm-up rounds) and in the steady state (see
// `steadyStateWarmupRounds`). Targets (issues 9, 10, 11), in the steady state: cache miss / caching
// off ≤ 1.05; one budget + one limit, memory store / none ≤ 1.03; telemetry on / off ≤ 1.03.
import OpenAI from 'openai'
import { context } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { formatSpread, ratioOf, runContest, spreadOf, steadyStateWarmupRounds, verdict, type Contender, type ContestResult } from './contest.js'
import { discardingTelemetry } from './discarding-telemetry.js'
import { startLocalUpstream } from './local-upstream.js'
import { loadPackage } from './package-under-test.js'

const apiKey = 'sk-bench-0000000000000000'
const rounds = Number(process.env.BENCH_CALLS ?? 700)
const warmupRounds = 200
const targets: Array<[string, string, number]> = [
  ['cache miss / caching off', 'router.chat, memory cache miss', 1.05],
  ['1 budget + 1 limit, memory / none', 'router.chat, 1 budget + 1 limit (memory)', 1.03],
  ['telemetry on / off', 'router.chat, telemetry on', 1.03],
]

export default async function featureOverhead(): Promise<void> {
  const { library, source } = await loadPackage()
  const { createRouter, openai, memoryStore } = library
  console.log(`package under test: ${source}`)
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  const telemetry = discardingTelemetry()
  const upstream = await startLocalUpstream()
  const provider = () => openai({ apiKey, baseURL: upstream.baseURL })
  const routers = {
    plain: createRouter({ providers: [provider()] }),
    cached: createRouter({ providers: [provider()], cache: { ttlMs: 600_000 }, store: memoryStore({ maxEntries: 100_000 }) }),
    spend: createRouter({
      providers: [provider()],
      // Large enough never to refuse: what is measured is the checking, not the refusing.
      budgets: [{ name: 'bench-daily', limitUsd: 1_000_000, window: 'day' }],
      limits: [{ name: 'bench-rpm', scope: { provider: 'openai' }, rpm: 10_000_000, concurrency: 1_000 }],
    }),
    telemetry: createRouter({ providers: [provider()], telemetry: { tracer: telemetry.tracer, meter: telemetry.meter } }),
  }
  const bare = new OpenAI({ apiKey, baseURL: upstream.baseURL, maxRetries: 0 })
  const question = [{ role: 'user' as const, content: 'Say hello.' }]
  let asked = 0
  const contenders: Contender[] = [
    { name: 'openai SDK (bare)', run: () => bare.chat.completions.create({ model: 'gpt-4o', messages: question }) },
    { name: 'router.chat, defaults (caching off)', run: () => routers.plain.chat({ model: 'openai/gpt-4o', messages: question }) },
    // A new question every call: every call misses, then stores its answer.
    { name: 'router.chat, memory cache miss', run: () => routers.cached.chat({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: `Say hello, caller ${(asked += 1)}.` }] }) },
    { name: 'router.chat, 1 budget + 1 limit (memory)', run: () => routers.spend.chat({ model: 'openai/gpt-4o', messages: question }) },
    { name: 'router.chat, telemetry on', run: () => routers.telemetry.chat({ model: 'openai/gpt-4o', messages: question }) },
  ]
  try {
    const missed = await routers.cached.chat({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'check' }] })
    if (missed.route.cacheHit) throw new Error('the first call of the caching router was a hit')
    console.log(`rounds: each round every contender once in a shuffled order, 3 repetitions × ${rounds}; medians per repetition, shown as median (lowest–highest repetition)`)
    const baseline = 'router.chat, defaults (caching off)'
    const report = (result: ContestResult, verdicts: boolean) => {
      console.log(`${'contender'.padEnd(44)} ${'median latency µs'.padEnd(24)} ${'/ bare SDK'.padEnd(22)} ${'/ defaults'.padEnd(22)} CPU µs`)
      for (const [name, figures] of result) {
        console.log(
          `${name.padEnd(44)} ${formatSpread(spreadOf(figures.latency), 0).padEnd(24)} ${formatSpread(ratioOf(result, name, 'openai SDK (bare)'), 3).padEnd(22)} ${formatSpread(ratioOf(result, name, baseline), 3).padEnd(22)} ${formatSpread(spreadOf(figures.cpu), 0)}`,
        )
      }
      console.log(verdicts ? '\nTargets' : '')
      for (const [label, name, target] of targets) {
        const ratio = ratioOf(result, name, baseline)
        console.log(`${label.padEnd(36)} ${formatSpread(ratio, 3)}   ${verdicts ? `target <= ${target}: ${verdict(ratio.median, target)}` : '(first calls)'}`)
      }
    }
    console.log(`First calls (${warmupRounds} warm-up rounds: code a feature runs once per call not yet optimized by V8)`)
    report(await runContest(contenders, { warmupRounds, rounds }), false)
    console.log(`\nSteady state (${steadyStateWarmupRounds} more warm-up rounds)`)
    report(await runContest(contenders, { warmupRounds: steadyStateWarmupRounds, rounds }), true)
  } finally {
    upstream.stop()
    for (const router of Object.values(routers)) await router.close()
    await telemetry.shutdown()
  }
}
