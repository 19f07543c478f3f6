import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repositoryRoot } from '../helpers/package-build.js'

const run = promisify(execFile)

/**
 * A user's minified bundle renames every class, the SDK's included: an error can no longer be
 * recognised by `constructor.name`. The package and the official `openai` SDK are bundled and
 * minified together with esbuild, and the bundle runs in its own Node process against a local
 * server whose first two answers break the connection.
 */
describe('a minified bundle of the package', () => {
  const outDir = join(repositoryRoot, 'node_modules', '.cache', 'switchyard-minified')
  const bundle = join(outDir, 'app.mjs')
  let server: Server
  let baseURL: string
  const seen: string[] = []
  const completion = JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, message: { role: 'assistant', content: 'made it through' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
  })

  beforeAll(async () => {
    let requests = 0
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      request.resume()
      request.on('end', () => {
        requests += 1
        if (requests === 1) {
          // Reset before any answer.
          seen.push('reset before the answer')
          request.socket.destroy()
        } else if (requests === 2) {
          // A 200 whose body is cut off half-way: undici ends the read with `terminated`.
          seen.push('reset mid-body')
          response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(completion)) })
          response.write(completion.slice(0, 40))
          setTimeout(() => request.socket.destroy(), 20)
        } else {
          seen.push('answered')
          response.writeHead(200, { 'content-type': 'application/json' }).end(completion)
        }
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`

    rmSync(outDir, { recursive: true, force: true })
    mkdirSync(outDir, { recursive: true })
    const entry = join(outDir, 'app-entry.ts')
    writeFileSync(
      entry,
      `
      import { createRouter, fallback, openai } from ${JSON.stringify(join(repositoryRoot, 'src', 'index.ts'))}
      const router = createRouter({
        providers: [openai({ apiKey: 'sk-test-minified-0000', baseURL: process.env.TEST_BASE_URL })],
        routes: { main: fallback(['openai/gpt-4o-mini'], { retries: 2 }) },
      })
      const result = await router.chat({ model: 'main', messages: [{ role: 'user', content: 'hi' }] })
      console.log(JSON.stringify({
        text: result.choices[0].message.content,
        attempts: result.route.attempts.map((attempt) => ({ outcome: attempt.outcome, code: attempt.error?.code, retryable: attempt.error?.retryable })),
      }))
      `,
    )
    await build({ entryPoints: [entry], outfile: bundle, bundle: true, minify: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'silent' })
  }, 120_000)

  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()))
  })

  it('retries a reset connection and a body cut off mid-way, then succeeds', async () => {
    const source = readFileSync(bundle, 'utf8')
    // The premise: the SDK's error classes lost their names in the bundle.
    expect(source).not.toMatch(/class APIConnectionError\b/)
    expect(source).toContain('Connection error.')
    const { stdout } = await run(process.execPath, [bundle], { env: { ...process.env, TEST_BASE_URL: baseURL, NODE_OPTIONS: '' }, timeout: 60_000 })
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!)
    expect(seen).toEqual(['reset before the answer', 'reset mid-body', 'answered'])
    expect(report).toEqual({
      text: 'made it through',
      attempts: [
        { outcome: 'error', code: 'provider_error', retryable: true },
        { outcome: 'error', code: 'provider_error', retryable: true },
        { outcome: 'success' },
      ],
    })
  }, 60_000)
})
