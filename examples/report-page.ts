// The report page: routed traffic on mock providers, then `router.fetch` serving the page.
//   npx tsx examples/report-page.ts               serves it on http://127.0.0.1:8787 until Ctrl-C
//   npx tsx examples/report-page.ts --screenshot docs/report-page.png   saves a screenshot (needs chromium) and exits
// Runs offline: the providers are scripted mocks with list prices, so the spend is what those calls would cost.
import { createServer } from 'node:http'
import { abTest, createRouter, fallback, mockProvider, race, type MockReply } from '../src/index.js'

const token = 'example-report-token-change-me'
const port = Number(process.env.PORT ?? 8787)

// A deterministic spread of latencies, so the page looks the same on every run.
let seed = 7
const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647)
const reply = (text: string, base: number, spread: number, tokens: [number, number]): (() => MockReply) => () => ({
  text,
  latencyMs: Math.round(base + random() * spread),
  usage: { inputTokens: tokens[0], outputTokens: tokens[1], cacheReadTokens: random() < 0.3 ? 512 : 0 },
})

const sonnet = reply('Paris is the capital of France.', 30, 40, [1200, 160])
const gpt4o = reply('Paris.', 20, 30, [1200, 90])
const mini = reply('Paris.', 5, 15, [1200, 40])
const router = createRouter({
  providers: [
    mockProvider({ id: 'anthropic', models: { 'claude-sonnet-4-5': (_request, call) => (call % 9 === 4 ? { error: 'overloaded' } : sonnet()) } }),
    mockProvider({ id: 'openai', models: { 'gpt-4o': () => gpt4o(), 'gpt-4o-mini': () => mini() } }),
    mockProvider({ id: 'groq', models: { 'llama-3.3-70b-versatile': () => ({ ...mini(), latencyMs: Math.round(3 + random() * 30) }) } }),
    // A judge that prefers the longer answer two times out of three.
    mockProvider({ id: 'judge', models: { mini: () => (random() < 0.67 ? 'B' : 'A') } }),
  ],
  prices: {
    'anthropic/claude-sonnet-4-5': { input: 3, output: 15, cacheRead: 0.3 },
    'openai/gpt-4o': { input: 2.5, output: 10, cacheRead: 1.25 },
    'openai/gpt-4o-mini': { input: 0.15, output: 0.6, cacheRead: 0.075 },
    'groq/llama-3.3-70b-versatile': { input: 0.59, output: 0.79 },
    'judge/mini': { input: 0.15, output: 0.6 },
  },
  routes: {
    chat: fallback(['anthropic/claude-sonnet-4-5', 'openai/gpt-4o'], { retries: 0 }),
    fast: race(['openai/gpt-4o-mini', 'groq/llama-3.3-70b-versatile']),
    cheap: 'openai/gpt-4o-mini',
    answers: abTest({ variants: { control: 'openai/gpt-4o-mini', candidate: 'anthropic/claude-sonnet-4-5' }, judge: 'judge/mini', sampleRate: 0.5, random }),
  },
  reportPage: { path: '/switchyard/report', token, title: 'Switchyard report (example traffic)' },
})

const messages = [{ role: 'user' as const, content: 'What is the capital of France?' }]
const teams = ['search', 'support', 'ads']
for (let index = 0; index < 120; index += 1) {
  const tags = { team: teams[index % teams.length]! }
  const model = (['chat', 'fast', 'cheap', 'answers'] as const)[index % 4]!
  if (index % 5 === 0) {
    for await (const _chunk of router.stream({ model, messages }, { tags })) void _chunk
  } else {
    await router.chat({ model, messages }, { tags })
  }
}
await router.close()

const report = router.report()
console.log(`${report.calls.total} calls, $${report.spend.totalUsd.toFixed(4)} spent, fallback rate ${((report.calls.fallbackRate ?? 0) * 100).toFixed(1)}%`)

const server = createServer(async (incoming, outgoing) => {
  const response = await router.fetch(`http://127.0.0.1:${port}${incoming.url}`, { method: incoming.method, headers: { authorization: incoming.headers.authorization ?? '' } })
  outgoing.writeHead(response.status, Object.fromEntries(response.headers))
  outgoing.end(Buffer.from(await response.arrayBuffer()))
})
await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
const url = `http://127.0.0.1:${port}/switchyard/report`

const screenshotIndex = process.argv.indexOf('--screenshot')
if (screenshotIndex > 0) {
  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  const page = await browser.newPage({ viewport: { width: 1240, height: 900 }, httpCredentials: { username: 'ops', password: token } })
  await page.goto(url)
  await page.screenshot({ path: process.argv[screenshotIndex + 1] ?? 'report-page.png', fullPage: true })
  await browser.close()
  server.close()
  console.log(`screenshot saved to ${process.argv[screenshotIndex + 1] ?? 'report-page.png'}`)
} else {
  console.log(`report page: ${url} (any user name; the password is the token: ${token})`)
}
