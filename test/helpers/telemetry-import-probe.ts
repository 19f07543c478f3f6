// Run in a child process: `node --import tsx test/helpers/telemetry-import-probe.ts`.
// Records every module resolved from an @opentelemetry package, and prints which ones were loaded
// after importing switchyard, after a call with telemetry off, and after a call with it on.
import { register } from 'node:module'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const log = join(mkdtempSync(join(tmpdir(), 'switchyard-otel-')), 'loaded.txt')
const hook = `
import { appendFileSync } from 'node:fs'
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context)
  if (/@opentelemetry\\//.test(result.url) || /src\\/telemetry\\/open-telemetry-observer/.test(result.url)) appendFileSync(${JSON.stringify(log)}, result.url + '\\n')
  return result
}
`
register(`data:text/javascript,${encodeURIComponent(hook)}`)

const loaded = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [])
const { createRouter, mockProvider } = await import('../../src/index.js')
const afterImport = loaded()
const messages = [{ role: 'user' as const, content: 'Hi' }]
const off = createRouter({ providers: [mockProvider({ id: 'llm', models: { m: 'ok' } })] })
await off.chat({ model: 'llm/m', messages })
off.report()
const afterCallWithoutTelemetry = loaded()
const on = createRouter({ providers: [mockProvider({ id: 'llm', models: { m: 'ok' } })], telemetry: true })
const afterCreatingWithTelemetry = loaded()
await on.chat({ model: 'llm/m', messages })
const afterCallWithTelemetry = loaded()
console.log(JSON.stringify({ afterImport, afterCallWithoutTelemetry, afterCreatingWithTelemetry, afterCallWithTelemetry }))
