// Two router instances sharing one Redis: the response cache, cool-downs and A/B state are shared.
//   REDIS_URL=redis://127.0.0.1:6379 npx tsx examples/shared-redis.ts
// Runs on mock providers (no keys); in production each instance is its own process or serverless
// function, and the providers are openai(), anthropic(), ...
import { createClient } from 'redis'
import { createRouter, fallback, mockProvider, redisStore, type Router } from '../src/index.js'

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const prefix = `example-${Date.now()}:` // one prefix per deployment; a fresh one here so reruns start clean

/** One application instance: its own Redis client and router, the same prefix as the others. */
async function startInstance(name: string) {
  const client = createClient({ url })
  client.on('error', () => {}) // the router carries on with local state while Redis is away
  await client.connect()
  const provider = mockProvider({
    id: 'cloud',
    models: {
      flaky: { error: 'server' },
      steady: { text: 'Paris is the capital of France.', usage: { inputTokens: 14, outputTokens: 7 } },
    },
  })
  const router = createRouter({
    providers: [provider],
    prices: { 'cloud/flaky': { input: 1, output: 2 }, 'cloud/steady': { input: 3, output: 15 } },
    routes: { answer: fallback(['cloud/flaky', 'cloud/steady'], { retries: 0 }) },
    health: { failureThreshold: 1, cooldownMs: 60_000 },
    store: redisStore({ client, prefix }),
    cache: { ttlMs: 10 * 60_000 },
  })
  router.on((event) => {
    if (event.type === 'candidate-skipped') console.log(`${name}: skips ${event.provider}/${event.model} (${event.reason}, learnt from the shared store)`)
    if (event.type === 'warning') console.log(`${name}: warning ${event.code}: ${event.message}`)
  })
  return { name, router, provider, close: async () => (await router.close(), client.destroy()) }
}

async function ask(instance: { name: string; router: Router }, question: string, cache?: false) {
  const result = await instance.router.chat({ model: 'answer', messages: [{ role: 'user', content: question }] }, cache === false ? { cache } : {})
  const cost = result.route.cacheHit ? `cost $${result.cost.total} (saved $${result.cost.saved})` : `cost $${result.cost.total}`
  console.log(`${instance.name}: "${question}" → ${result.route.provider}/${result.route.model}, cache hit: ${result.route.cacheHit}, ${cost}`)
}

const first = await startInstance('instance A')
const second = await startInstance('instance B')

// A asks first: cloud/flaky fails once (and cools down, shared), cloud/steady answers (cached, shared).
await ask(first, 'What is the capital of France?')
await first.router.close() // waits for the writes to the store; a long-running server need not

// B is served from A's cache: no provider call, nothing paid.
await ask(second, 'What is the capital of France?')
// A new question, with the cache bypassed: B skips the model A saw fail, without trying it.
await ask(second, 'And of Spain?', false)
console.log(`provider calls: instance A ${first.provider.calls.length}, instance B ${second.provider.calls.length}`)

await first.close()
await second.close()
