// Run in a fresh child process: `node --import tsx test/helpers/static-price-probe.ts`.
// The official SDKs (openai, @anthropic-ai/sdk) answer from recordings through msw. Calls to models
// whose catalog price is the same at all times (chat, stream, the Anthropic SDK, and `cheapest`,
// which reads prices before it calls) are made first, and the packages loaded by then are noted:
// the price catalog must not be among them. Then a model with a dated catalog price is called,
// which must load it. Prints what was loaded when, each call's reported cost, and the catalog's own
// price for each (computed by `calcPrice` on the recorded usage, after the checks).
import { register } from 'node:module'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const log = join(mkdtempSync(join(tmpdir(), 'switchyard-static-price-')), 'loaded.txt')
// The loader hook runs off the main thread in Node 20: it writes each resolved package to a file.
const hook = `
  import { appendFileSync } from 'node:fs'
  export async function resolve(specifier, context, next) {
    const result = await next(specifier, context)
    const found = /\\/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(result.url)
    if (found) appendFileSync(${JSON.stringify(log)}, found[1] + '\\n')
    return result
  }`
register(`data:text/javascript,${encodeURIComponent(hook)}`)
const loaded = () => [...new Set(existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [])].sort()

const { anthropic, cheapest, createRouter, openai } = await import('../../src/index.js')
const { openaiModels } = await import('../../src/providers/catalog-models/openai.js')
const { recordedChunks, recordedJson, sseResponse } = await import('./recordings.js')
const { http, HttpResponse } = await import('msw')
const { setupServer } = await import('msw/node')

const openAIText = recordedJson('openai', 'openai-text')
const anthropicText = recordedJson('anthropic', 'anthropic-text')
const streamedUsage = recordedChunks('openai', 'openai-text').at(-1).usage as { prompt_tokens: number; completion_tokens: number }

/** An OpenAI model the generated list marks as dated (price 1) and names exactly (`=…`). */
function datedModel(): string {
  const entries = JSON.parse(openaiModels.models) as Array<[unknown, number, unknown]>
  for (const [rule, , price] of entries) {
    const names = typeof rule === 'string' ? [rule] : Array.isArray(rule) && rule[0] === 'or' ? rule.slice(1) : []
    const exact = names.find((name): name is string => typeof name === 'string' && name.startsWith('='))
    if (price === 1 && exact) return exact.slice(1)
  }
  throw new Error('the generated OpenAI list has no dated model named exactly')
}
const dated = datedModel()

const server = setupServer(
  http.post('https://api.openai.com/v1/chat/completions', async ({ request }) => {
    const body = (await request.json()) as { model: string; stream?: boolean }
    if (body.stream) return sseResponse(recordedChunks('openai', 'openai-text'), { done: true })
    return HttpResponse.json(body.model === dated ? { ...openAIText, model: dated } : openAIText)
  }),
  http.post('https://api.anthropic.com/v1/messages', () => HttpResponse.json(anthropicText)),
)
server.listen({ onUnhandledRequest: 'error' })

const costs: Record<string, number | null> = {}
const router = createRouter({
  providers: [openai({ apiKey: 'sk-test-static-price-0000' }), anthropic({ apiKey: 'sk-ant-test-static-price-0000' })],
  routes: { cheap: cheapest(['anthropic/claude-sonnet-4-5', 'openai/gpt-4.1-nano']) },
})
const messages = [{ role: 'user' as const, content: 'Price me.' }]
costs['router.chat'] = (await router.chat({ model: 'openai/gpt-4.1-nano', messages })).cost.total
let streamed: number | null = null
const stream = router.stream({ model: 'openai/gpt-4.1-nano', messages })
for await (const chunk of stream) if (chunk.cost) streamed = chunk.cost.total
costs['router.stream'] = streamed
costs['anthropic chat'] = (await router.chat({ model: 'anthropic/claude-sonnet-4-5', messages })).cost.total
const cheap = await router.chat({ model: 'cheap', messages })
costs['cheapest'] = cheap.cost.total
const afterStaticCalls = loaded()

costs['dated model'] = (await router.chat({ model: `openai/${dated}`, messages })).cost.total
const afterDatedCall = loaded()
server.close()

const { calcPrice } = await import('@pydantic/genai-prices')
const catalogPrice = (model: string, providerId: string, usage: { input_tokens: number; output_tokens: number }) => calcPrice(usage, model, { providerId })!.total_price
const openAIUsage = { input_tokens: openAIText.usage.prompt_tokens, output_tokens: openAIText.usage.completion_tokens }
const expected: Record<string, number> = {
  'router.chat': catalogPrice(openAIText.model, 'openai', openAIUsage),
  'router.stream': catalogPrice(openAIText.model, 'openai', { input_tokens: streamedUsage.prompt_tokens, output_tokens: streamedUsage.completion_tokens }),
  'anthropic chat': catalogPrice(anthropicText.model, 'anthropic', { input_tokens: anthropicText.usage.input_tokens, output_tokens: anthropicText.usage.output_tokens }),
  cheapest: catalogPrice(openAIText.model, 'openai', openAIUsage),
  'dated model': catalogPrice(dated, 'openai', openAIUsage),
}
console.log(JSON.stringify({ dated, cheapestModel: cheap.route.model, afterStaticCalls, afterDatedCall, costs, expected }))
