// Run in a fresh child process: `node --import tsx test/helpers/first-call-cost-probe.ts`.
// Every surface makes its router's first call at once, while the price catalog is still loading
// (the mock answers within microtasks, the catalog takes milliseconds to load), and prints the cost
// each call reported, whether the catalog was loaded when the provider answered, and the
// catalog's own price for the same usage (computed by the catalog, not by the router).
import { calcPrice } from '@pydantic/genai-prices'
import { createRouter, mockProvider, type RouterEvent } from '../../src/index.js'
import { coreOf } from '../../src/router/router.js'

const chatUsage = { inputTokens: 1_000, outputTokens: 200 }
const embedUsage = { inputTokens: 1_000 }
const messages = [{ role: 'user' as const, content: 'Price me.' }]

interface Surface {
  name: string
  run(router: ReturnType<typeof createRouter>): Promise<unknown>
  model: string
}

const surfaces: Surface[] = [
  { name: 'router.chat', model: 'gpt-4o', run: (router) => router.chat({ model: 'openai/gpt-4o', messages }) },
  {
    name: 'router.stream',
    model: 'gpt-4o',
    run: async (router) => {
      for await (const _chunk of router.stream({ model: 'openai/gpt-4o', messages })) {
        // drained
      }
    },
  },
  { name: 'router.embed', model: 'text-embedding-3-small', run: (router) => router.embed({ model: 'openai/text-embedding-3-small', input: ['one', 'two'] }) },
  { name: 'router.openai facade', model: 'gpt-4o', run: (router) => router.openai.chat.completions.create({ model: 'openai/gpt-4o', messages }) },
  { name: 'router.anthropic facade', model: 'gpt-4o', run: (router) => router.anthropic.messages.create({ model: 'openai/gpt-4o', max_tokens: 300, messages }) },
  {
    name: 'router.fetch',
    model: 'gpt-4o',
    run: async (router) => {
      const response = await router.fetch(
        new Request('http://switchyard.local/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'openai/gpt-4o', messages }) }),
      )
      if (response.status !== 200) throw new Error(`router.fetch answered ${response.status}: ${await response.text()}`)
      await response.json()
    },
  },
  {
    name: 'router.fetch stream',
    model: 'gpt-4o',
    run: async (router) => {
      const response = await router.fetch(
        new Request('http://switchyard.local/v1/chat/completions', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'openai/gpt-4o', messages, stream: true }),
        }),
      )
      if (response.status !== 200) throw new Error(`router.fetch answered ${response.status}: ${await response.text()}`)
      await response.text()
    },
  },
]

const runs = surfaces.map((surface) => {
  const costs: Array<number | null> = []
  const catalogLoadedWhenAnswered: boolean[] = []
  let router: ReturnType<typeof createRouter> | undefined
  // Scripted answers are functions, called when the provider answers: they look at the router's
  // price book then (a catalog price is known only once the catalog has loaded).
  const answer = (model: string) => () => {
    catalogLoadedWhenAnswered.push(coreOf(router!).prices.resolve('openai', model) !== undefined)
    return { text: 'Priced.', usage: model === 'gpt-4o' ? chatUsage : embedUsage }
  }
  router = createRouter({
    providers: [mockProvider({ id: 'openai', catalogId: 'openai', models: { 'gpt-4o': answer('gpt-4o'), 'text-embedding-3-small': answer('text-embedding-3-small') } })],
    onEvent: (event: RouterEvent) => {
      if (event.type === 'call-end' && event.outcome === 'success') costs.push(event.cost?.total ?? null)
    },
  })
  return { surface, costs, catalogLoadedWhenAnswered, done: surface.run(router) }
})
await Promise.all(runs.map((run) => run.done))

const expected = (model: string) =>
  calcPrice(model === 'gpt-4o' ? { input_tokens: chatUsage.inputTokens, output_tokens: chatUsage.outputTokens } : { input_tokens: embedUsage.inputTokens }, model, { providerId: 'openai' })!.total_price
console.log(
  JSON.stringify(
    runs.map(({ surface, costs, catalogLoadedWhenAnswered }) => ({ surface: surface.name, costs, expected: expected(surface.model), catalogLoadedWhenAnswered })),
  ),
)
