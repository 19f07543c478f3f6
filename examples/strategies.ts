// Every routing strategy on mock providers: runs with no keys and no network.
//   npx tsx examples/strategies.ts
// Swap the mock providers for openai(), anthropic(), groq(), ... and the ids for real models.
import { abTest, cheapest, createRouter, fastest, mockProvider, race } from '../src/index.js'

const providers = [
  mockProvider({
    id: 'budget',
    models: { small: { text: 'Paris.', latencyMs: 40, usage: { inputTokens: 20, outputTokens: 3 } } },
    capabilities: { small: { tools: false } },
  }),
  mockProvider({
    id: 'premium',
    models: { large: { text: 'Paris is the capital of France.', latencyMs: 120, usage: { inputTokens: 20, outputTokens: 9 } } },
  }),
  mockProvider({
    id: 'quick',
    models: { turbo: { text: 'Paris, France.', latencyMs: 10, usage: { inputTokens: 20, outputTokens: 4 } } },
  }),
  // A judge that prefers the answer mentioning France (in the pairwise prompt: A or B; ranked: the number).
  mockProvider({
    id: 'judge',
    models: {
      referee: (request) => {
        const prompt = String(request.messages.at(-1)!.content)
        if (prompt.includes('<answer_a>')) return prompt.split('<answer_a>')[1]!.split('</answer_a>')[0]!.includes('France') ? 'A' : 'B'
        const answers = prompt.split(/<answer_\d+>/).slice(1)
        return String(1 + Math.max(0, answers.findIndex((answer) => answer.includes('France'))))
      },
    },
  }),
]

const router = createRouter({
  providers,
  prices: {
    'budget/small': { input: 0.15, output: 0.6 },
    'premium/large': { input: 2.5, output: 10, cacheRead: 1.25 },
    'quick/turbo': { input: 0.6, output: 2.4 },
    'judge/referee': { input: 0.15, output: 0.6 },
  },
  routes: {
    // Cheapest model that can serve the request; falls back in cost order.
    cheap: cheapest(['premium/large', 'quick/turbo', 'budget/small']),
    // Cheapest model that supports tools, and never more than $0.002 per call by estimate.
    cheapTools: cheapest(['premium/large', 'quick/turbo', 'budget/small'], { require: ['tools'], maxPrice: 0.002 }),
    // Fastest by the router's own measurements (unmeasured models get a first turn).
    fast: fastest(['premium/large', 'budget/small', 'quick/turbo'], { metric: 'latency' }),
    // All at once, first answer wins, the others are aborted.
    first: race(['premium/large', 'budget/small', 'quick/turbo']),
    // One at a time: the next only if nothing answered within 50 ms.
    hedged: race(['budget/small', 'premium/large'], { mode: 'hedge', hedgeMs: 50 }),
    // All at once, a judge picks the best answer.
    best: race(['budget/small', 'premium/large'], { mode: 'best', judge: 'judge/referee', timeoutMs: 5_000 }),
    // A/B test, sticky per user; every call also runs the other variant and the judge compares.
    experiment: abTest({
      variants: { control: 'budget/small', candidate: 'premium/large' },
      weights: { control: 1, candidate: 1 },
      judge: 'judge/referee',
      sampleRate: 1,
      minComparisons: 5,
      promote: 'auto',
    }),
  },
})

const messages = [{ role: 'user' as const, content: 'What is the capital of France?' }]

for (const route of ['cheap', 'cheapTools', 'first', 'hedged', 'best'] as const) {
  const result = await router.chat({ model: route, messages, ...(route === 'cheapTools' ? { tools: [{ type: 'function' as const, function: { name: 'lookup' } }] } : {}) })
  console.log(
    `${route.padEnd(10)} → ${result.model.padEnd(14)} "${result.choices[0]!.message.content}"  $${result.cost.total}  ` +
      `attempts: ${result.route.attempts.map((attempt) => `${attempt.provider}/${attempt.model}:${attempt.outcome}`).join(', ')}`,
  )
}

for (let call = 0; call < 5; call++) await router.chat({ model: 'fast', messages })
console.log(`fast       → ${(await router.chat({ model: 'fast', messages })).model} after learning latencies`)

const stream = router.stream({ model: 'first', messages })
let streamed = ''
for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? ''
console.log(`first (stream) → "${streamed}"`)

for (let user = 0; user < 8; user++) await router.chat({ model: 'experiment', messages, user: `user-${user}` })
await router.close() // judging happens off the hot path; close() waits for it
for (const experiment of router.experiments()) {
  console.log(`experiment "${experiment.name}": ${experiment.comparisons} comparisons, judge cost $${experiment.judgeCost}`)
  for (const variant of experiment.variants) {
    const interval = variant.confidenceInterval
    console.log(
      `  ${variant.name.padEnd(9)} calls ${variant.calls}  W/L/T ${variant.wins}/${variant.losses}/${variant.ties}  ` +
        `win rate ${variant.winRate?.toFixed(2)} [${interval?.lower.toFixed(2)}, ${interval?.upper.toFixed(2)}]  $/call ${variant.costPerCall}  weight now ${variant.weight}`,
    )
  }
  console.log(`  recommendation: ${experiment.recommendation?.reason ?? 'none yet'}`)
  console.log(`  promoted: ${experiment.promoted ?? 'no'}`)
}
