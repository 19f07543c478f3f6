// Runs every benchmark in bench/ in turn: `npm run bench`, or `npm run bench -- NAME` for one.
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const folder = fileURLToPath(new URL('.', import.meta.url))
const only = process.argv[2]
const files = readdirSync(folder)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => !only || file.startsWith(only))
  .sort()

for (const file of files) {
  const benchmark = (await import(`./${file}`)) as { default: () => Promise<void> }
  console.log(`\n=== ${file} ===`)
  await benchmark.default()
}
