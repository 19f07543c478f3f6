// scratch (not committed): paired harness — one call without, one with spend control, median of differences
import { startLocalUpstream } from './local-upstream.js'
const rounds = Number(process.env.ROUNDS ?? 6000)
const pkgs = (process.env.PKGS ?? '').split(',')
const budgets = [{ name: 'bench-daily', limitUsd: 1_000_000, window: 'day' }]
const limits = [{ name: 'bench-rpm', scope: { provider: 'openai' }, rpm: 10_000_000, concurrency: 1_000 }]
const messages = [{ role: 'user' as const, content: 'Say hello.' }]
const upstream = await startLocalUpstream()
const libs = await Promise.all(pkgs.map((p) => import(new URL(`../${p}/index.js`, import.meta.url).href)))
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]! }
const pairs = libs.map((lib) => {
  const provider = () => lib.openai({ apiKey: 'sk-bench-0000000000000000', baseURL: upstream.baseURL })
  return { none: lib.createRouter({ providers: [provider()] }), memory: lib.createRouter({ providers: [provider()], budgets, limits }), diffs: [] as number[], base: [] as number[] }
})
for (let round = 0; round < rounds + 500; round += 1) {
  for (const pair of pairs) {
    const order = Math.random() < 0.5
    const a = order ? pair.none : pair.memory, b = order ? pair.memory : pair.none
    const t0 = performance.now(); await a.chat({ model: 'openai/gpt-4o', messages })
    const t1 = performance.now(); await b.chat({ model: 'openai/gpt-4o', messages })
    const t2 = performance.now()
    const none = order ? t1 - t0 : t2 - t1, mem = order ? t2 - t1 : t1 - t0
    if (round >= 500) { pair.diffs.push((mem - none) * 1000); pair.base.push(none * 1000) }
  }
}
for (const [i, pair] of pairs.entries()) console.log(`${pkgs[i]}: added ${median(pair.diffs).toFixed(1)} µs (none ${median(pair.base).toFixed(0)} µs) ratio ${(1 + median(pair.diffs) / median(pair.base)).toFixed(4)}`)
upstream.stop()
process.exit(0)
