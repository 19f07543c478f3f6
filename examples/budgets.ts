// Spend control, offline with the mock provider: a per-team daily budget, a per-user rate limit,
// a per-call cost cap that cuts a stream, a fallback that moves on to the model that still fits,
// and the spend report by team. Run: npx tsx examples/budgets.ts
import { BudgetExceededError, CostCapExceededError, LocalRateLimitError, createRouter, fallback, mockProvider } from '../src/index.js'

const longStory = Array.from({ length: 120 }, (_, index) => `sentence${index}`).join(' ')
const provider = mockProvider({
  id: 'cloud',
  models: {
    // Every answer reports its usage, so each call's cost is exact.
    large: { text: 'A thorough answer.', usage: { inputTokens: 500, outputTokens: 300 } },
    small: { text: 'A short answer.', usage: { inputTokens: 500, outputTokens: 100 } },
    story: { text: longStory },
  },
})

const router = createRouter({
  providers: [provider],
  // USD per million tokens.
  prices: {
    'cloud/large': { input: 10, output: 30 },
    'cloud/small': { input: 0.5, output: 1.5 },
    'cloud/story': { input: 10, output: 30 },
  },
  routes: { default: fallback(['cloud/large', 'cloud/small']) },
  budgets: [
    // Each team has $0.05 a day; calls without a team tag are not counted against it.
    { name: 'team-daily', limitUsd: 0.05, window: 'day', scope: { tags: { team: '*' } } },
  ],
  limits: [{ name: 'per-user', scope: { user: '*' }, rpm: 3, onLimit: 'reject' }],
})

const question = [{ role: 'user' as const, content: 'Explain the plan.' }]

// 1. The search team spends its budget on the large model; once the large model's worst case no
//    longer fits what is left, the fallback moves on to the small one, which still fits.
for (let call = 1; call <= 6; call += 1) {
  try {
    const result = await router.chat({ model: 'default', messages: question, max_tokens: 300 }, { tags: { team: 'search' }, user: `user-${call}` })
    console.log(`search call ${call}: ${result.route.provider}/${result.route.model} $${result.cost.total?.toFixed(4)}`)
  } catch (error) {
    if (!(error instanceof BudgetExceededError)) throw error
    console.log(`search call ${call}: refused by budget "${error.budget}" (${error.scope}): $${error.spentUsd.toFixed(4)} of $${error.limitUsd} spent, resets ${error.resetsAt?.toISOString()}`)
  }
}

// 2. Another team has its own budget.
const ads = await router.chat({ model: 'default', messages: question, max_tokens: 300 }, { tags: { team: 'ads' }, user: 'dana' })
console.log(`ads call: ${ads.route.provider}/${ads.route.model} $${ads.cost.total?.toFixed(4)}`)

// 3. One user may make 3 requests a minute; the fourth is refused with when to retry.
for (let call = 1; call <= 4; call += 1) {
  try {
    await router.chat({ model: 'cloud/small', messages: question }, { user: 'erin' })
  } catch (error) {
    if (!(error instanceof LocalRateLimitError)) throw error
    console.log(`erin call ${call}: rate limited by "${error.limit}", retry in ${Math.ceil((error.retryAfterMs ?? 0) / 1000)} s`)
  }
}

// 4. A per-call cap: this stream would cost more than $0.0005, so it is cut there.
let streamed = ''
try {
  for await (const chunk of router.stream({ model: 'cloud/story', messages: question }, { maxCostUsd: 0.0005 })) streamed += chunk.choices[0]?.delta.content ?? ''
} catch (error) {
  if (!(error instanceof CostCapExceededError)) throw error
  console.log(`story stream cut at the cap: ${error.partialText.split(' ').length} words kept, cost ~$${error.costUsd.toFixed(5)} (cap $${error.maxCostUsd})`)
}

// 5. Where the money went today, by team.
const report = await router.spend({ window: 'day', by: { tag: 'team' } })
console.log(`spent today: $${report.totalUsd.toFixed(4)} over ${report.attempts} attempts`)
for (const group of report.groups) console.log(`  team ${group.value}: $${group.costUsd.toFixed(4)} (${group.attempts} attempts)`)
await router.close()
