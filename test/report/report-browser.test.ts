import type { Server } from 'node:http'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { abTest, createRouter, fallback, mockProvider, type Router } from '../../src/index.js'
import { launchChromium, serveFetchHandler } from '../helpers/chromium.js'

const token = 'browser-report-token-0123456789'
const messages = [{ role: 'user' as const, content: 'Name the capital of France.' }]

let browser: Browser
let server: Server
let origin: string
let router: Router

beforeAll(async () => {
  router = createRouter({
    providers: [
      mockProvider({ id: 'primary', models: { large: [{ error: 'server' }, { text: 'Paris.', latencyMs: 8, usage: { inputTokens: 900, outputTokens: 40 } }] } }),
      mockProvider({ id: 'backup', models: { small: { text: 'Paris.', latencyMs: 3, usage: { inputTokens: 900, outputTokens: 12 } } } }),
      mockProvider({ id: 'judge', models: { mini: 'B' } }),
    ],
    prices: { 'primary/large': { input: 2.5, output: 10 }, 'backup/small': { input: 0.15, output: 0.6 }, 'judge/mini': { input: 0.1, output: 0.4 } },
    routes: {
      main: fallback(['primary/large', 'backup/small'], { retries: 0 }),
      exp: abTest({ variants: { control: 'backup/small', candidate: 'primary/large' }, judge: 'judge/mini', sampleRate: 1, random: () => 0 }),
    },
    reportPage: { path: '/ops/report', token },
  })
  for (let index = 0; index < 4; index += 1) await router.chat({ model: 'main', messages }, { tags: { team: index % 2 ? 'search' : 'support' } })
  for await (const _chunk of router.stream({ model: 'backup/small', messages })) void _chunk
  await router.chat({ model: 'exp', messages })
  await router.close()
  ;({ origin, server } = await serveFetchHandler((request) => router.fetch(request)))
  browser = await launchChromium()
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await new Promise((resolve) => server?.close(resolve))
})

/** The status the navigation ended with, or its error. */
function refusal(page: import('playwright-core').Page, url: string): Promise<string> {
  return page.goto(url).then(
    (response) => String(response?.status()),
    (error: unknown) => String(error),
  )
}

describe('the report page in headless Chromium', () => {
  it('loads with no console error and no request but its own, and shows the numbers router.report() gives', async () => {
    // The browser's own credential prompt answered with the token as the password: nothing in the URL.
    const context = await browser.newContext({ httpCredentials: { username: 'ops', password: token } })
    const page = await context.newPage()
    const problems: string[] = []
    const requests: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`)
    })
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
    page.on('request', (request) => requests.push(request.url()))
    const url = `${origin}/ops/report`
    const response = await page.goto(url, { waitUntil: 'load' })
    expect(response!.status()).toBe(200)
    expect(problems).toEqual([])
    expect(requests).toEqual([url])

    const report = router.report()
    const metric = async (name: string) => {
      const element = page.locator(`.cards [data-metric="${name}"]`)
      return { value: await element.getAttribute('data-value'), text: (await element.textContent())!.trim() }
    }
    const spend = await metric('spend.totalUsd')
    expect(Number(spend.value)).toBe(report.spend.totalUsd)
    expect(spend.text).toBe(`$${report.spend.totalUsd.toFixed(6)}`)
    expect(await metric('calls.total')).toEqual({ value: String(report.calls.total), text: String(report.calls.total) })
    const fallbackRate = await metric('calls.fallbackRate')
    expect(Number(fallbackRate.value)).toBe(report.calls.fallbackRate)
    expect(fallbackRate.text).toBe(`${(report.calls.fallbackRate! * 100).toFixed(1)}%`)
    const p50 = await metric('latency.callMs.p50')
    expect(Number(p50.value)).toBe(report.latency.callMs!.p50)

    for (const row of report.spend.byModel) {
      const cells = page.locator(`[data-table="byModel"] tr[data-row="${row.name}"]`)
      expect(Number(await cells.locator('[data-metric="costUsd"]').getAttribute('data-value'))).toBe(row.costUsd)
      expect(await cells.locator('[data-metric="count"]').textContent()).toBe(String(row.count))
    }
    for (const row of report.spend.byTag) {
      expect(Number(await page.locator(`[data-table="byTag"] tr[data-row="${row.name}"] [data-metric="costUsd"]`).getAttribute('data-value'))).toBe(row.costUsd)
    }

    const [experiment] = report.experiments
    const candidate = experiment!.variants.find((variant) => variant.name === 'candidate')!
    const candidateRow = page.locator(`[data-experiment="exp"] tr[data-row="candidate"]`)
    expect(Number(await candidateRow.locator('[data-metric="winRate"]').getAttribute('data-value'))).toBe(candidate.winRate)
    expect(await candidateRow.locator('[data-metric="winRate"]').textContent()).toBe(`${(candidate.winRate! * 100).toFixed(1)}%`)
    const interval = candidateRow.locator('[data-metric="interval"]')
    expect(Number(await interval.getAttribute('data-lower'))).toBe(candidate.confidenceInterval!.lower)
    expect(Number(await interval.getAttribute('data-upper'))).toBe(candidate.confidenceInterval!.upper)

    // Charts are drawn: one bar per model in the spend chart, an interval per judged variant.
    expect(await page.locator('svg[aria-label="Spend by model"] rect').count()).toBe(report.spend.byModel.length)
    expect(await page.locator(`svg[aria-label="Win rate of exp"] circle`).count()).toBe(experiment!.variants.filter((variant) => variant.winRate !== null).length)
    await context.close()
  }, 60_000)

  it('without the token, or with a wrong one, the browser is refused (its credential prompt has nothing to send) and sees no figures', async () => {
    for (const credentials of [undefined, { username: 'ops', password: `${token}-wrong` }]) {
      const context = await browser.newContext(credentials ? { httpCredentials: credentials } : {})
      const page = await context.newPage()
      const statuses: number[] = []
      page.on('response', (response) => statuses.push(response.status()))
      // Headless Chromium cannot show the prompt: the navigation ends at the 401 (or, having no
      // credentials it may retry with, as an authentication failure).
      expect(await refusal(page, `${origin}/ops/report`)).toMatch(/^401$|ERR_INVALID_AUTH_CREDENTIALS/)
      expect(statuses).not.toContain(200)
      await context.close()
    }
    // A token in the URL is not accepted either.
    const page = await browser.newPage()
    expect(await refusal(page, `${origin}/ops/report?token=${token}`)).toMatch(/^401$|ERR_INVALID_AUTH_CREDENTIALS/)
    await page.close()
  }, 30_000)
})
