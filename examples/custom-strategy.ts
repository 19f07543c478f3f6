// Writing your own strategy: the same interface every built-in uses.
//   npx tsx examples/custom-strategy.ts
//
// "Cheapest within a latency budget": of the models the router has seen answer within `budgetMs`
// (recent-weighted), try the cheapest first; models never measured get a turn so they can qualify;
// everything else follows, fastest first. Health, retries and recording come from the shared pieces.
import {
  createRouter,
  mockProvider,
  planCheapest,
  rankBySpeed,
  tryInOrder,
  type ChatParameters,
  type Strategy,
  type StrategyContext,
} from '../src/index.js'

function cheapestWithin(models: string[], budgetMs: number): Strategy {
  return {
    name: 'cheapest-within-budget',
    // Every model the strategy may call: createRouter() checks them all.
    models,
    async run(context: StrategyContext) {
      const candidates = models.map((id) => context.candidate(id))
      const byCost = planCheapest(context.request as ChatParameters, candidates, context.services).ranked.map((entry) => entry.candidate)
      const isWithinBudget = (id: string) => {
        const latency = context.services.stats.get(id)?.latencyMs
        return latency === undefined || latency <= budgetMs
      }
      const withinBudget = byCost.filter((candidate) => isWithinBudget(candidate.id))
      const rest = rankBySpeed(context, candidates, { explore: 0 }).filter((candidate) => !withinBudget.includes(candidate))
      // tryInOrder: retries with backoff, skips cooling-down models, records every attempt.
      return tryInOrder(context, [...withinBudget, ...rest], { retries: 1 })
    },
  }
}

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
