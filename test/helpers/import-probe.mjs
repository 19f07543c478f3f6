// Run in a child process: `node --import tsx test/helpers/import-probe.mjs <entry>`.
// Records every module resolved from a provider SDK package, imports <entry>, and prints the SDK
// modules that importing it loaded; then imports `openai` itself to prove the probe sees loads.
import { register } from 'node:module'
import { mkdtempSync, readFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const log = join(mkdtempSync(join(tmpdir(), 'switchyard-import-')), 'loaded.txt')
const hook = `
import { appendFileSync } from 'node:fs'
const sdk = /node_modules\\/(openai|@anthropic-ai\\/sdk|@google\\/genai|@mistralai\\/mistralai|groq-sdk)\\//
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context)
  if (sdk.test(result.url)) appendFileSync(${JSON.stringify(log)}, result.url + '\\n')
  return result
}
`
register(`data:text/javascript,${encodeURIComponent(hook)}`)

const read = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [])
const entry = await import(pathToFileURL(process.argv[2]).href)
const afterEntry = read()
await import('openai')
const afterOpenAI = read()
console.log(JSON.stringify({ exports: Object.keys(entry).length, afterEntry: afterEntry.slice(0, 5), afterOpenAI: afterOpenAI.length }))
