import { execFile } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repositoryRoot } from '../helpers/package-build.js'

const run = promisify(execFile)

/**
 * A scratch project inside the repository's node_modules/.cache, with the package installed as
 * `node_modules/switchyard` (its package.json and the dist/ that `npm run build` makes), so
 * `switchyard/ai-sdk` resolves through the package's `exports` as in a user's project, and the
 * peers (`ai`) resolve from the repository's node_modules.
 */
const project = join(repositoryRoot, 'node_modules', '.cache', 'switchyard-built-subpaths')
const installed = join(project, 'node_modules', 'switchyard')

type ExportTarget = string | { [condition: string]: ExportTarget }

function targets(entry: ExportTarget): string[] {
  return typeof entry === 'string' ? [entry] : Object.values(entry).flatMap(targets)
}

async function node(file: string): Promise<string> {
  const { stdout } = await run(process.execPath, [file], { cwd: project, env: { ...process.env, NODE_OPTIONS: '' }, timeout: 60_000 })
  return stdout.trim()
}

const usage = (imports: string) => `${imports}
const router = createRouter({
  providers: [mockProvider({ id: 'mock', models: { small: { text: 'built answer', usage: { inputTokens: 10, outputTokens: 4 } } } })],
  prices: { 'mock/small': { input: 1, output: 2 } },
  routes: { default: 'mock/small' },
})
const result = await generateText({ model: createSwitchyardProvider(router)('default'), prompt: 'Hi' })
console.log(JSON.stringify({ text: result.text, usage: result.usage.inputTokens + '/' + result.usage.outputTokens }))
`

describe('the built package: `npm run build` output, imported by package name', { timeout: 240_000 }, () => {
  beforeAll(async () => {
    rmSync(project, { recursive: true, force: true })
    mkdirSync(installed, { recursive: true })
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'switchyard-consumer', private: true, type: 'module' }))
    copyFileSync(join(repositoryRoot, 'package.json'), join(installed, 'package.json'))
    // What `npm run build` runs (tsup with the project's configuration, declarations included), into the installed copy.
    await run(process.execPath, [join(repositoryRoot, 'node_modules', 'tsup', 'dist', 'cli-default.js'), '--out-dir', join(installed, 'dist'), '--silent'], {
      cwd: repositoryRoot,
      env: { ...process.env, NODE_OPTIONS: '' },
      timeout: 200_000,
    })
  }, 240_000)

  afterAll(() => rmSync(project, { recursive: true, force: true }))

  it('has every file package.json exports names, dist/ai-sdk and dist/core included', () => {
    const manifest = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as { exports: Record<string, ExportTarget> }
    const files = [...new Set(Object.entries(manifest.exports).filter(([path]) => path !== './package.json').flatMap(([, entry]) => targets(entry)))]
    expect(files).toEqual(expect.arrayContaining(['./dist/ai-sdk/index.js', './dist/ai-sdk/index.cjs', './dist/ai-sdk/index.d.ts', './dist/core.js']))
    expect(files.filter((file) => !existsSync(join(installed, file)))).toEqual([])
  })

  it('switchyard/ai-sdk works as an ES module: the AI SDK generates text through a route', async () => {
    writeFileSync(
      join(project, 'esm.mjs'),
      usage("import { generateText } from 'ai'\nimport { createRouter, mockProvider } from 'switchyard'\nimport { createSwitchyardProvider } from 'switchyard/ai-sdk'"),
    )
    expect(JSON.parse(await node('esm.mjs'))).toEqual({ text: 'built answer', usage: '10/4' })
  })

  it('switchyard/ai-sdk works through require() too (the CommonJS build)', async () => {
    writeFileSync(
      join(project, 'cjs.cjs'),
      `(async () => {\n${usage("const { generateText } = require('ai')\nconst { createRouter, mockProvider } = require('switchyard')\nconst { createSwitchyardProvider } = require('switchyard/ai-sdk')")}})()`,
    )
    expect(JSON.parse(await node('cjs.cjs'))).toEqual({ text: 'built answer', usage: '10/4' })
  })

  it('its type declarations resolve by package name for the type checker', async () => {
    writeFileSync(
      join(project, 'typed.ts'),
      "import { createSwitchyardProvider, type SwitchyardProvider } from 'switchyard/ai-sdk'\nimport { createRouter, openaiEndpoint } from 'switchyard/core'\nconst provider: SwitchyardProvider = createSwitchyardProvider(createRouter({ providers: [], features: [openaiEndpoint] }))\nexport default provider\n",
    )
    const tsc = join(repositoryRoot, 'node_modules', 'typescript', 'bin', 'tsc')
    const flags = ['--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', 'typed.ts']
    const result = await run(process.execPath, [tsc, ...flags], { cwd: project, timeout: 120_000 }).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    )
    expect(result).toBe('')
  })
})
