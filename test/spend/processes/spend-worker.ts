// One "instance" of an application: its own router, sharing budgets and limits with the others
// through one Redis. Runs `calls` calls, `concurrency` at a time, and prints what happened as JSON.
import { Redis } from 'ioredis'
import { createRouter } from '../../../src/create-router.js'
import { mockProvider } from '../../../src/providers/mock/mock-provider.js'
import { redisStore } from '../../../src/stores/redis-store.js'
import { BudgetExceededError } from '../../../src/errors/budget-exceeded-error.js'
import { LocalRateLimitError } from '../../../src/errors/local-rate-limit-error.js'

const [port, scenario, callsText, concurrencyText] = process.argv.slice(2)
const calls = Number(callsText)
const concurrency = Number(concurrencyText)
const client = new Redis({ host: '127.0.0.1', port: Number(port), maxRetriesPerRequest: 1 })

// Each answer reports exactly its worst case: ~5 prompt tokens and its 10 output tokens, at $0.001 a token.
const mock = mockProvider({ models: { a: { text: 'ok', latencyMs: 5, usage: { inputTokens: 5, outputTokens: 10 } } } })
const router = createRouter({
  providers: [mock],
  prices: { 'mock/a': { input: 1_000, output: 1_000 } },
  store: redisStore({ client, prefix: `spend-test:${scenario}:`, timeoutMs: 5_000 }),
  ...(scenario === 'budget'
    ? { budgets: [{ name: 'shared', limitUsd: 0.605, window: 'day' as const }] }
    : { limits: [{ name: 'shared-rpm', rpm: 25 }] }),
})
const warnings: string[] = []
router.on((event) => {
  if (event.type === 'warning') warnings.push(`${event.code}: ${event.message}`)
})

let next = 0
const outcome = { answered: 0, refused: 0, other: [] as string[], costUsd: 0 }
async function lane(): Promise<void> {
  while (next < calls) {
    next += 1
    try {
      const result = await router.chat({ model: 'mock/a', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 })
      outcome.answered += 1
      outcome.costUsd += result.cost.total ?? Number.NaN
    } catch (error) {
      if (error instanceof BudgetExceededError || error instanceof LocalRateLimitError) outcome.refused += 1
      else outcome.other.push(String(error))
    }
  }
}
await Promise.all(Array.from({ length: concurrency }, lane))
await router.close()
client.disconnect()
console.log(JSON.stringify({ ...outcome, providerCalls: mock.calls.length, warnings }))
