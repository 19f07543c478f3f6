// Serverless cold start: every sample is a fresh `node` process, as a new function instance is.
// Measured, interleaved in a shuffled order each round so machine drift hits every variant alike:
// - importing the built package (ESM and CommonJS) vs importing `openai` alone, and vs importing an
//   empty ES module (Node's own cost of a process's first `import()`, which no package can avoid);
// - process start → first completed chat: import, `createRouter`, one `router.chat` (with its
//   exact cost) against the local upstream, vs import + `new OpenAI` + one call with the bare SDK.
// Targets: import <= 10 ms; first chat <= the bare SDK's + 10 ms.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { startLocalUpstream } from './local-upstream.js'
import { median, percentile } from './statistics.js'

const root = fileURLToPath(new URL('../', import.meta.url))
const samples = Number(process.env.BENCH_COLD_SAMPLES ?? 25)
const apiKey = 'sk-bench-0000000000000000'

type Variant =
  | 'import switchyard (ESM)'
  | 'import switchyard (CJS)'
  | 'import openai'
  | 'import empty module (ESM)'
  | 'first chat: router'
  | 'first chat: bare SDK'
  | 'import other build (ESM)'
  | 'first chat: other build'

/** Each child prints one JSON line: `ms`, the figure for its variant. */
function childScript(variant: Variant, baseURL: string, esmEntry: string, cjsEntry: string, otherEntry: string, emptyEntry: string): { args: string[] } {
  const messages = JSON.stringify([{ role: 'user', content: 'Say hello.' }])
  const scripts: Partial<Record<Variant, { module: boolean; code: string }>> & Record<'import switchyard (ESM)' | 'first chat: router', { module: boolean; code: string }> = {
    'import switchyard (ESM)': {
      module: true,
      code: `const started = performance.now(); await import(${JSON.stringify(esmEntry)}); console.log(JSON.stringify({ ms: performance.now() - started }))`,
    },
    'import switchyard (CJS)': {
      module: false,
      code: `const started = performance.now(); require(${JSON.stringify(cjsEntry)}); console.log(JSON.stringify({ ms: performance.now() - started }))`,
    },
    'import openai': {
      module: true,
      code: `const started = performance.now(); await import('openai'); console.log(JSON.stringify({ ms: performance.now() - started }))`,
    },
    'import empty module (ESM)': {
      module: true,
      code: `const started = performance.now(); await import(${JSON.stringify(emptyEntry)}); console.log(JSON.stringify({ ms: performance.now() - started }))`,
    },
    // performance.now() counts from the process's time origin, its start: the whole cold path.
    'first chat: router': {
      module: true,
      code: `
        const { createRouter, openai } = await import(${JSON.stringify(esmEntry)})
        const router = createRouter({ providers: [openai({ apiKey: ${JSON.stringify(apiKey)}, baseURL: ${JSON.stringify(baseURL)} })] })
        const result = await router.chat({ model: 'openai/gpt-4o', messages: ${messages} })
        const ms = performance.now()
        if (result.choices[0].message.content !== 'Hello! How can I help you today?' || result.cost.total === null) throw new Error('no answer or no cost')
        console.log(JSON.stringify({ ms }))`,
    },
    'first chat: bare SDK': {
      module: true,
      code: `
        const { default: OpenAI } = await import('openai')
        const client = new OpenAI({ apiKey: ${JSON.stringify(apiKey)}, baseURL: ${JSON.stringify(baseURL)}, maxRetries: 0 })
        const result = await client.chat.completions.create({ model: 'gpt-4o', messages: ${messages} })
        const ms = performance.now()
        if (result.choices[0].message.content !== 'Hello! How can I help you today?') throw new Error('no answer')
        console.log(JSON.stringify({ ms }))`,
    },
  }
  // The same two measures on another build (BENCH_COLD_OTHER: an older dist/, for before/after in one run).
  scripts['import other build (ESM)'] = { module: true, code: scripts['import switchyard (ESM)'].code.replace(JSON.stringify(esmEntry), JSON.stringify(otherEntry)) }
  scripts['first chat: other build'] = { module: true, code: scripts['first chat: router'].code.replace(JSON.stringify(esmEntry), JSON.stringify(otherEntry)) }
  const script = scripts[variant]!
  return { args: script.module ? ['--input-type=module', '-e', script.code] : ['-e', script.code] }
}

function runChild(args: string[]): number {
  const output = execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } })
  return (JSON.parse(output.trim().split('\n').at(-1)!) as { ms: number }).ms
}

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items]
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(Math.random() * (index + 1))
    ;[copy[index], copy[other]] = [copy[other]!, copy[index]!]
  }
  return copy
}

export default async function coldStart(): Promise<void> {
  // The package as users get it: dist/ from the project's own tsup configuration.
  execFileSync('npx', ['tsup', '--silent'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
  const esmEntry = pathToFileURL(join(root, 'dist', 'index.js')).href
  const cjsEntry = join(root, 'dist', 'index.cjs')
  if (!existsSync(cjsEntry)) throw new Error('tsup did not build dist/index.cjs')

  // An ES module with nothing in it, beside no package.json (`.mjs`): what any first `import()` costs.
  const emptyFolder = mkdtempSync(join(tmpdir(), 'switchyard-cold-'))
  const emptyEntry = pathToFileURL(join(emptyFolder, 'empty.mjs')).href
  writeFileSync(new URL(emptyEntry), 'export {}\n')
  const server = await startLocalUpstream()
  const other = process.env.BENCH_COLD_OTHER
  const otherEntry = other ? pathToFileURL(join(other, 'index.js')).href : ''
  const variants: Variant[] = ['import switchyard (ESM)', 'import switchyard (CJS)', 'import openai', 'import empty module (ESM)', 'first chat: router', 'first chat: bare SDK']
  if (other) variants.push('import other build (ESM)', 'first chat: other build')
  const results = new Map<Variant, number[]>(variants.map((variant) => [variant, []]))
  try {
    // One discarded round fills the OS file cache, as a warm serverless host has it.
    for (const variant of variants) runChild(childScript(variant, server.baseURL, esmEntry, cjsEntry, otherEntry, emptyEntry).args)
    for (let round = 0; round < samples; round += 1) {
      for (const variant of shuffled(variants)) results.get(variant)!.push(runChild(childScript(variant, server.baseURL, esmEntry, cjsEntry, otherEntry, emptyEntry).args))
    }
  } finally {
    server.stop()
    rmSync(emptyFolder, { recursive: true, force: true })
  }

  const figure = (variant: Variant) => median(results.get(variant)!)
  console.log(`fresh node processes: ${samples} per variant, shuffled order each round, after one discarded round; dist/ from tsup${other ? `; other build: ${other}` : ''}`)
  for (const variant of variants) {
    const values = results.get(variant)!
    console.log(`${variant.padEnd(26)} median ${median(values).toFixed(1).padStart(6)} ms   p10 ${percentile(values, 0.1).toFixed(1).padStart(6)} ms   p90 ${percentile(values, 0.9).toFixed(1).padStart(6)} ms`)
  }
  const importTime = figure('import switchyard (ESM)')
  const added = figure('first chat: router') - figure('first chat: bare SDK')
  console.log(`import switchyard        ${importTime.toFixed(1)} ms (ESM), ${figure('import switchyard (CJS)').toFixed(1)} ms (CJS)   (target <= 10 ms: ${importTime <= 10 ? 'met' : 'MISSED'})`)
  console.log(`  of which Node's own    ${figure('import empty module (ESM)').toFixed(1)} ms (an empty module's first import(), medians); the package's part ${(importTime - figure('import empty module (ESM)')).toFixed(1)} ms`)
  console.log(`first chat vs bare SDK   ${added >= 0 ? '+' : ''}${added.toFixed(1)} ms (process start → first completed chat, medians)   (target <= +10 ms: ${added <= 10 ? 'met' : 'MISSED'})`)
}
