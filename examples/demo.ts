/**
 * `npm run demo`: runs offline against simulated providers (built with `mockProvider`) and shows a
 * route, a fallback and the exact per-call cost. Every real provider whose key is in the environment
 * (OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY, MISTRAL_API_KEY, GROQ_API_KEY) joins a route for
 * one real call, which falls back across them and finally to a simulated provider.
 */
import {
  anthropic,
  createRouter,
  fallback,
  google,
  groq,
  mistral,
  mockProvider,
  openai,
  type ProviderAdapter,
  type RouteDefinition,
} from '../src/index.js'

// Two simulated providers: one is rate-limited on its first call, the other answers.
const busyCloud = mockProvider({
  id: 'busy-cloud',
  models: {
    'large-1': [
      { error: 'rate_limit', retryAfterMs: 50, latencyMs: 20 },
      { text: 'Switchyard routes each call to a model you choose and tells you what it cost.', latencyMs: 120, chunkDelayMs: 15 },
    ],
  },
})
const steadyCloud = mockProvider({
  id: 'steady-cloud',
  models: {
    'small-1': {
      text: 'Switchyard is an in-process LLM router: your keys, list prices, zero markup, zero network hops.',
      latencyMs: 80,
      chunkDelayMs: 15,
      usage: { inputTokens: 1200, cacheReadTokens: 800, outputTokens: 24 },
    },
  },
})

const providers: ProviderAdapter[] = [busyCloud, steadyCloud]
const routes: Record<string, RouteDefinition> = {
  // Tries busy-cloud once (no retries), falls back to steady-cloud on the 429.
  default: fallback(['busy-cloud/large-1', 'steady-cloud/small-1'], { retries: 0 }),
}
// A small, inexpensive model of each real provider, used only when its key is set.
const realProviders = [
  { keys: ['OPENAI_API_KEY'], create: () => openai(), model: 'openai/gpt-4o-mini' },
  { keys: ['ANTHROPIC_API_KEY'], create: () => anthropic(), model: 'anthropic/claude-haiku-4-5' },
  { keys: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'], create: () => google(), model: 'google/gemini-2.5-flash' },
  { keys: ['MISTRAL_API_KEY'], create: () => mistral(), model: 'mistral/mistral-small-latest' },
  { keys: ['GROQ_API_KEY'], create: () => groq(), model: 'groq/llama-3.3-70b-versatile' },
].filter((real) => real.keys.some((key) => process.env[key]))
for (const real of realProviders) providers.push(real.create())
if (realProviders.length > 0) {
  routes.real = fallback([...realProviders.map((real) => real.model), 'steady-cloud/small-1'])
}

const router = createRouter({
  providers,
  // USD per million tokens. Real providers' prices come from the @pydantic/genai-prices catalog.
  prices: {
    'busy-cloud/large-1': { input: 3, output: 15 },
    'steady-cloud/small-1': { input: 0.15, output: 0.6, cacheRead: 0.075 },
  },
  routes,
})

const usd = (value: number | null) => (value === null ? 'unknown' : `$${value.toFixed(8)}`)
const messages = [{ role: 'user' as const, content: 'What is Switchyard, in one sentence?' }]

console.log('1. router.chat on route "default" (busy-cloud is rate-limited, so it falls back)\n')
const result = await router.chat({ model: 'default', messages })
console.log(`   answer   : ${result.choices[0]!.message.content}`)
console.log(`   served by: ${result.route.provider}/${result.route.model} via ${result.route.strategy}`)
for (const attempt of result.route.attempts) {
  console.log(`   attempt  : ${attempt.provider}/${attempt.model} → ${attempt.outcome}${attempt.error ? ` (${attempt.error.code}, HTTP ${attempt.error.status})` : ''}, ${attempt.latencyMs.toFixed(0)} ms`)
}
const { tokens, cost } = result
console.log(`   tokens   : ${tokens.inputTokens} input + ${tokens.cacheReadTokens} cache-read + ${tokens.outputTokens} output`)
console.log(`   cost     : ${usd(cost.total)} (input ${usd(cost.input)}, cache read ${usd(cost.cacheRead)}, output ${usd(cost.output)})`)

console.log('\n2. router.stream on the same route (busy-cloud has recovered and answers)\n')
process.stdout.write('   ')
for await (const chunk of router.stream({ model: 'default', messages })) {
  process.stdout.write(chunk.choices[0]?.delta.content ?? '')
  if (chunk.route) {
    console.log(`\n   served by: ${chunk.route.provider}/${chunk.route.model}, first token after ${chunk.route.timeToFirstTokenMs?.toFixed(0)} ms`)
    console.log(`   cost     : ${usd(chunk.cost!.total)}`)
  }
}

if (routes.real) {
  console.log(`\n3. Real providers (keys found for ${realProviders.map((real) => real.model.split('/')[0]).join(', ')})\n`)
  const real = await router.chat({ model: 'real', messages, max_tokens: 60 })
  console.log(`   answer   : ${real.choices[0]!.message.content}`)
  console.log(`   served by: ${real.route.provider}/${real.route.model}, cost ${usd(real.cost.total)}`)
} else {
  console.log('\n(Set OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY, MISTRAL_API_KEY or GROQ_API_KEY to add real providers.)')
}
