// Writing your own strategy: the same interface every built-in uses.
//   npx tsx examples/custom-strategy.ts
//
// The strategy itself is in cheapest-within-budget.ts; here it serves a route for chat calls and
// for embeddings alike.
import { createRouter, mockProvider } from '../src/index.js'
import { cheapestWithin } from './cheapest-within-budget.js'

const router = createRouter({
  providers: [
    mockProvider({ id: 'slowcheap', models: { m: { text: 'cheap but slow', latencyMs: 300 } } }),
    mockProvider({ id: 'mid', models: { m: { text: 'mid price, quick', latencyMs: 20 } } }),
    mockProvider({ id: 'premium', models: { m: { text: 'premium, quick', latencyMs: 15 } } }),
  ],
  prices: {
    'slowcheap/m': { input: 0.1, output: 0.4 },
    'mid/m': { input: 1, output: 4 },
    'premium/m': { input: 5, output: 20 },
  },
  routes: { budgeted: cheapestWithin(['slowcheap/m', 'mid/m', 'premium/m'], 100) },
})

const messages = [{ role: 'user' as const, content: 'Hello!' }]
for (let call = 1; call <= 3; call++) {
  const result = await router.chat({ model: 'budgeted', messages })
  console.log(`call ${call}: ${result.model} "${result.choices[0]!.message.content}" in ${result.route.latencyMs.toFixed(0)} ms, $${result.cost.total}`)
}
// Call 1 measures the cheap model (300 ms, over budget); from call 2 on, the cheapest model within 100 ms answers.

const embedded = await router.embed({ model: 'budgeted', input: ['Hello!', 'Bonjour !'] })
console.log(`embed: ${embedded.model}, ${embedded.data.length} vectors of ${embedded.data[0]!.embedding.length} dimensions`)
await router.close()
