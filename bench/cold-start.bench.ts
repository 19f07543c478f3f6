// Serverless cold start: every sample is a fresh `node` process, as a new function instance is.
// Each process runs a small script file in an app folder where the built package is installed as
// `node_modules/switchyard` (package.json and dist/), so it loads the package the way a user's function
// does: `import('switchyard')` resolved through the package's `exports`, from a file, not a path to
// dist/ from a `node -e` string. (A `node -e` module has not yet loaded Node's own file-loading parts
// of the ES module loader; its first `import()` loads them, ≈ 3.5 ms that an application started from
// a file has already spent before its first line runs. One variant still measures that way, for scale.)
// Measured, interleaved in a shuffled order each round so machine drift hits every variant alike:
// - importing the package (ESM and CommonJS) vs importing `openai` alone, and vs importing an empty
//   ES module (what any first `import()` of a file costs);
// - process start → first completed chat: import, `createRouter`, one `router.chat` (with its
//   exact cost) against the local upstream, vs import + `new OpenAI` + one call with the bare SDK.
// Targets: import <= 10 ms; first chat <= the bare SDK's + 10 ms.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startLocalUpstream } from './local-upstream.js'
import { median, percentile } from './statistics.js'

const root = fileURLToPath(new URL('../', import.meta.url))
const samples = Number(process.env.BENCH_COLD_SAMPLES ?? 25)
const apiKey = 'sk-bench-0000000000000000'

const messages = JSON.stringify([{ role: 'user', content: 'Say hello.' }])
const printElapsed = 'console.log(JSON.stringify({ ms: performance.now() - started }))'

/** The scripts an app folder holds; each prints one JSON line, `ms`, its figure. The upstream's URL is argv[2]. */
const appScripts: Record<string, string> = {
  'import-esm.mjs': `const started = performance.now(); await import('switchyard'); ${printElapsed}`,
  'import-cjs.cjs': `const started = performance.now(); require('switchyard'); ${printElapsed}`,
  'import-openai.mjs': `const started = performance.now(); await import('openai'); ${printElapsed}`,
  'empty.mjs': 'export {}\n',
  'import-empty.mjs': `const started = performance.now(); await import('./empty.mjs'); ${printElapsed}`,
  // performance.now() counts from the process's time origin, its start: the whole cold path.
  'first-chat-router.mjs': `
const { createRouter, openai } = await import('switchyard')
const router = createRouter({ providers: [openai({ apiKey: ${JSON.stringify(apiKey)}, baseURL: process.argv[2] })] })
const result = await router.chat({ model: 'openai/gpt-4o', messages: ${messages} })
const ms = performance.now()
if (result.choices[0].message.content !== 'Hello! How can I help you today?' || result.cost.total === null) throw new Error('no answer or no cost')
console.log(JSON.stringify({ ms }))`,
  'first-chat-sdk.mjs': `
const { default: OpenAI } = await import('openai')
const client = new OpenAI({ apiKey: ${JSON.stringify(apiKey)}, baseURL: process.argv[2], maxRetries: 0 })
const result = await client.chat.completions.create({ model: 'gpt-4o', messages: ${messages} })
const ms = performance.now()
if (result.choices[0].message.content !== 'Hello! How can I help you today?') throw new Error('no answer')
console.log(JSON.stringify({ ms }))`,
}

/**
 * An app folder with `build` (a dist/ folder) installed as `node_modules/switchyard`, beside this
 * repository's package.json (its `exports`). It lives inside the repository, so the package finds
 * the provider SDKs in the repository's node_modules as an installed one finds its app's.
 */
function makeApp(parent: string, name: string, build: string): string {
  const app = join(parent, name)
  const installed = join(app, 'node_modules', 'switchyard')
  mkdirSync(installed, { recursive: true })
  cpSync(join(root, 'package.json'), join(installed, 'package.json'))
  cpSync(build, join(installed, 'dist'), { recursive: true })
  for (const [file, code] of Object.entries(appScripts)) writeFileSync(join(app, file), code)
  return app
}

/**
 * A variant's child process: the app script it runs, in this build's app folder or, for
 * `otherBuild`, in the other build's; `inline` runs the script's code with `node -e` instead.
 */
interface VariantChild {
  readonly script: string
  readonly inline?: true
  readonly otherBuild?: true
}

const variantChildren = {
  'import switchyard (ESM)': { script: 'import-esm.mjs' },
  'import switchyard (CJS)': { script: 'import-cjs.cjs' },
  'import openai': { script: 'import-openai.mjs' },
  'import empty module (ESM)': { script: 'import-empty.mjs' },
  'import switchyard, node -e': { script: 'import-esm.mjs', inline: true },
  'first chat: router': { script: 'first-chat-router.mjs' },
  'first chat: bare SDK': { script: 'first-chat-sdk.mjs' },
  'import other build (ESM)': { script: 'import-esm.mjs', otherBuild: true },
  'first chat: other build': { script: 'first-chat-router.mjs', otherBuild: true },
} satisfies Record<string, VariantChild>

type Variant = keyof typeof variantChildren

const childOf = (variant: Variant): VariantChild => variantChildren[variant]

function childArguments(variant: Variant, app: string, otherApp: string): string[] {
  const child = childOf(variant)
  if (child.inline) return ['--input-type=module', '-e', appScripts[child.script]!]
  return [join(child.otherBuild ? otherApp : app, child.script)]
}

function runChild(args: string[], cwd: string, baseURL: string): number {
  const output = execFileSync(process.execPath, [...args, baseURL], { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } })
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
  if (!existsSync(join(root, 'dist', 'index.cjs'))) throw new Error('tsup did not build dist/index.cjs')
  const other = process.env.BENCH_COLD_OTHER
  const cache = join(root, 'node_modules', '.cache')
  mkdirSync(cache, { recursive: true })
  const apps = mkdtempSync(join(cache, 'switchyard-cold-'))
  const app = makeApp(apps, 'app', join(root, 'dist'))
  // The same package.json (its exports) over another build (BENCH_COLD_OTHER: an older dist/), for before/after in one run.
  const otherApp = other ? makeApp(apps, 'other-app', other) : ''
  const server = await startLocalUpstream()
  // The other build's variants only when there is one.
  const variants = (Object.keys(variantChildren) as Variant[]).filter((variant) => other || !childOf(variant).otherBuild)
  const results = new Map<Variant, number[]>(variants.map((variant) => [variant, []]))
  const run = (variant: Variant) => runChild(childArguments(variant, app, otherApp), app, server.baseURL)
  try {
    // One discarded round fills the OS file cache, as a warm serverless host has it.
    for (const variant of variants) run(variant)
    for (let round = 0; round < samples; round += 1) {
      for (const variant of shuffled(variants)) results.get(variant)!.push(run(variant))
    }
  } finally {
    server.stop()
    rmSync(apps, { recursive: true, force: true })
  }

  const figure = (variant: Variant) => median(results.get(variant)!)
  console.log(`fresh node processes: ${samples} per variant, shuffled order each round, after one discarded round; dist/ from tsup, installed as node_modules/switchyard${other ? `; other build: ${other}` : ''}`)
  for (const variant of variants) {
    const values = results.get(variant)!
    console.log(`${variant.padEnd(26)} median ${median(values).toFixed(1).padStart(6)} ms   p10 ${percentile(values, 0.1).toFixed(1).padStart(6)} ms   p90 ${percentile(values, 0.9).toFixed(1).padStart(6)} ms`)
  }
  const importTime = figure('import switchyard (ESM)')
  const added = figure('first chat: router') - figure('first chat: bare SDK')
  console.log(`import switchyard        ${importTime.toFixed(1)} ms (ESM), ${figure('import switchyard (CJS)').toFixed(1)} ms (CJS)   (target <= 10 ms: ${importTime <= 10 ? 'met' : 'MISSED'})`)
  console.log(`  an empty module        ${figure('import empty module (ESM)').toFixed(1)} ms (any first import() of a file, medians); the package's part ${(importTime - figure('import empty module (ESM)')).toFixed(1)} ms`)
  console.log(`first chat vs bare SDK   ${added >= 0 ? '+' : ''}${added.toFixed(1)} ms (process start → first completed chat, medians)   (target <= +10 ms: ${added <= 10 ? 'met' : 'MISSED'})`)
  if (other) {
    const otherAdded = figure('first chat: other build') - figure('first chat: bare SDK')
    console.log(`other build              import ${figure('import other build (ESM)').toFixed(1)} ms (ESM); first chat vs bare SDK ${otherAdded >= 0 ? '+' : ''}${otherAdded.toFixed(1)} ms`)
  }
}
