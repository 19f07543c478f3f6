// Memory: heap in use after 100k router.chat calls through the openai adapter (the real SDK)
// against the local upstream, after 20k warm-up calls, each reading taken after forced full
// collections, in a fresh process with --expose-gc. Target: grows by under 1 MB.
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { startLocalUpstream } from './local-upstream.js'

const root = fileURLToPath(new URL('../', import.meta.url))
const calls = Number(process.env.BENCH_MEMORY_CALLS ?? 100_000)

export default async function memory(): Promise<void> {
  const server = await startLocalUpstream()
  try {
    const output = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'test/helpers/heap-growth-probe.ts', String(calls), server.baseURL], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
      maxBuffer: 1 << 20,
    })
    const report = JSON.parse(output.trim().split('\n').at(-1)!) as { calls: number; warmup: number; before: number; after: number; growth: number; costed: number }
    const mb = (bytes: number) => (bytes / 1e6).toFixed(2)
    console.log(`router.chat through openai() against the local upstream: ${report.calls} calls after ${report.warmup} warm-up, every one priced: ${report.costed === report.calls + report.warmup}`)
    console.log(`heap after full GC   before ${mb(report.before)} MB   after ${mb(report.after)} MB   growth ${mb(report.growth)} MB   (target < 1 MB: ${report.growth < 1e6 ? 'met' : 'MISSED'})`)
  } finally {
    server.stop()
  }
}
