import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { repositoryRoot } from '../helpers/package-build.js'

const run = promisify(execFile)

describe('API docs', () => {
  it('typedoc documents the package entry without a warning (typedoc.json treats warnings as errors)', async () => {
    // `--emit none`: the same checks as `npm run docs`, without writing docs/api.
    const { stdout, stderr } = await run(process.execPath, [join(repositoryRoot, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--emit', 'none'], {
      cwd: repositoryRoot,
      env: { ...process.env, NODE_OPTIONS: '' },
      timeout: 280_000,
    }).catch((error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: `${error.stderr ?? ''}\n${String(error)}` }))
    expect(`${stdout}\n${stderr}`).not.toMatch(/\[(warning|error)\]|Command failed/)
  }, 300_000)
})
