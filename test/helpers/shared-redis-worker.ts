/**
 * One router instance in its own Node process, on a shared Redis: the multi-instance tests start
 * several of these. Input: one JSON argument. Output: one JSON line on stdout.
 */
import { abTest, createRouter, fallback, mockProvider, redisStore, type RouterEvent } from '../../src/index.js'
import type { ModelRequest } from '../../src/spec/request.js'
import { connectRedisClient } from './redis-clients.js'
import { coreOf } from '../../src/router/router.js'

export interface WorkerInput {
  library: 'redis' | 'ioredis'
  port: number
  prefix: string
  scenario: 'cache' | 'cool-down' | 'one-failure' | 'ab' | 'outage' | 'spend'
  /** ab: calls to make; outage: calls to make. */
  calls?: number
  /** ab: share of calls judged. */
  sampleRate?: number
  /** outage: ms between calls. */
  spacingMs?: number
  /** spend: the `team` tag of this instance's calls. */
  team?: string
}

const input = JSON.parse(process.argv[2]!) as WorkerInput
const connection = await connectRedisClient(input.library, input.port)
// The outage scenario wants a killed Redis noticed at once; the others only a healthy Redis on a
// machine that may be busy running the rest of the suite, where 100 ms was seen to run out.
const store = redisStore({ client: connection.client, prefix: input.prefix, timeoutMs: input.scenario === 'outage' ? 100 : 2_000 })
const events: RouterEvent[] = []
const question = [{ role: 'user' as const, content: 'What is the capital of France?' }]

function lastText(request: ModelRequest): string {
  const content = request.messages.at(-1)!.content
  return typeof content === 'string' ? content : ''
}

const llm = mockProvider({
  id: 'llm',
  models: {
    answer: { text: 'Paris.', usage: { inputTokens: 12, outputTokens: 3 }, latencyMs: 5 },
    broken: { error: 'server' },
    backup: { text: 'Paris (backup).', usage: { inputTokens: 12, outputTokens: 4 } },
    alpha: (request) => ({ text: `alpha says ${lastText(request)}`, usage: { inputTokens: 10, outputTokens: 5 } }),
    beta: (request) => ({ text: `beta says ${lastText(request)}`, usage: { inputTokens: 10, outputTokens: 5 } }),
    // Always prefers alpha's answer, in whichever position it stands.
    judge: (request) => ({ text: lastText(request).split('<answer_a>')[1]!.split('</answer_a>')[0]!.includes('alpha says') ? 'A' : 'B' }),
  },
})

const router = createRouter({
  providers: [llm],
  prices: { 'llm/answer': { input: 1, output: 2 }, 'llm/backup': { input: 1, output: 2 }, 'llm/alpha': { input: 1, output: 1 }, 'llm/beta': { input: 1, output: 1 }, 'llm/judge': { input: 1, output: 1 } },
  store,
  sharedState: { syncIntervalMs: 50 },
  cache: { ttlMs: 60_000, everyCall: false, routes: { cached: { ttlMs: 60_000 } } },
  health: { failureThreshold: 2, cooldownMs: 30_000 },
  routes: {
    cached: 'llm/answer',
    resilient: fallback(['llm/broken', 'llm/backup'], { retries: 0 }),
    experiment: abTest({
      variants: { a: 'llm/alpha', b: 'llm/beta' },
      judge: 'llm/judge',
      sampleRate: input.sampleRate ?? 0,
      minComparisons: 5,
      promote: 'auto',
    }),
  },
  onEvent: (event) => events.push(event),
})

const warnings = () => events.filter((event) => event.type === 'warning').map((event) => (event as { code: string }).code)
let output: Record<string, unknown> = {}

if (input.scenario === 'cache') {
  const chat = await router.chat({ model: 'cached', messages: question })
  const stream = await router.stream({ model: 'cached', messages: question }).finalResult()
  output = {
    chat: { cacheHit: chat.route.cacheHit, text: chat.choices[0]!.message.content, cost: chat.cost, usage: chat.usage },
    stream: { cacheHit: stream.route.cacheHit, text: stream.choices[0]!.message.content },
  }
} else if (input.scenario === 'cool-down') {
  const results = []
  for (let index = 0; index < 3; index++) {
    const result = await router.chat({ model: 'resilient', messages: question })
    results.push({ provider: `${result.route.provider}/${result.route.model}`, attempts: result.route.attempts.map((attempt) => `${attempt.provider}/${attempt.model}:${attempt.outcome}`) })
  }
  output = {
    results,
    coolDowns: coreOf(router).health.coolDowns().map((coolDown) => coolDown.id),
    skipped: events.filter((event) => event.type === 'candidate-skipped').map((event) => `${(event as { provider: string }).provider}/${(event as { model: string }).model}`),
  }
} else if (input.scenario === 'one-failure') {
  // One call: the broken model fails once (under this instance's threshold of 2), the backup answers.
  const result = await router.chat({ model: 'resilient', messages: question })
  // The failure is counted in the store off the caller's path; close() waits for that write.
  await router.close()
  output = {
    provider: `${result.route.provider}/${result.route.model}`,
    coolDowns: coreOf(router).health.coolDowns().map((coolDown) => coolDown.id),
  }
} else if (input.scenario === 'spend') {
  let costUsd = 0
  for (let index = 0; index < (input.calls ?? 1); index++) {
    const result = await router.chat({ model: 'cached', messages: [{ role: 'user', content: `spend ${index}` }] }, { tags: { team: input.team ?? 'none' }, cache: false })
    costUsd += result.cost.total!
  }
  // close() writes this instance's last ledger batch to the store.
  await router.close()
  output = { costUsd }
} else if (input.scenario === 'ab') {
  let callsBefore = 0
  for (let index = 0; index < (input.calls ?? 0); index++) {
    await router.chat({ model: 'experiment', messages: [{ role: 'user', content: `q${index}` }] })
    if (index === 0) {
      // The experiment exists here from its first call on; from the next sync it follows the shared state.
      await router.syncSharedState()
      callsBefore = llm.calls.length
    }
  }
  await router.close()
  output = { report: router.experiments()[0] ?? null, laterCalls: llm.calls.slice(callsBefore).map((call) => call.model) }
} else if (input.scenario === 'outage') {
  let answered = 0
  let failed = 0
  let hits = 0
  const total = input.calls ?? 50
  for (let index = 0; index < total; index++) {
    try {
      // A handful of distinct questions: some hits, some misses, every one must be answered.
      const result = await router.chat({ model: 'cached', messages: [{ role: 'user', content: `question ${index % 4}` }] })
      if (result.choices[0]!.message.content === 'Paris.') answered += 1
      if (result.route.cacheHit) hits += 1
    } catch {
      failed += 1
    }
    console.error(`progress ${index + 1}`)
    await new Promise((resolve) => setTimeout(resolve, input.spacingMs ?? 20))
  }
  output = { answered, failed, hits, total }
}

await router.close()
output.warnings = warnings()
output.providerCalls = llm.calls.filter((call) => !call.model.startsWith('judge')).map((call) => call.model)
await connection.close()
console.log(JSON.stringify(output))
