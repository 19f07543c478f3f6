// A custom strategy, written against the same interface every built-in uses (`Strategy`, v1).
//
// "Cheapest within a latency budget": of the models the router has seen answer within `budgetMs`
// (recent-weighted), try the cheapest first; models never measured get a turn so they can qualify;
// everything else follows, fastest first. Health, retries and recording come from the shared pieces.
import { planCheapest, rankBySpeed, tryInOrder, type Strategy } from '../src/index.js'

export function cheapestWithin(models: string[], budgetMs: number): Strategy {
  return {
    specificationVersion: 'v1',
    name: 'cheapest-within-budget',
    // Every model the strategy may call: createRouter() checks them all.
    models,
    async run(context) {
      const candidates = models.map((id) => context.candidate(id))
      // The context says which operation it runs: an embedding call has no prompt or output to
      // price, so it keeps the order given; chat and stream calls are priced on their messages.
      const byCost =
        context.operation === 'embed'
          ? candidates
          : planCheapest(context.request, candidates, context.services).ranked.map((entry) => entry.candidate)
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
