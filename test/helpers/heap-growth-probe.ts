// Run in a child process: `node --expose-gc --import tsx test/helpers/heap-growth-probe.ts <calls> [baseURL]`.
// Makes `calls` router.chat calls after a warm-up and prints the heap in use after a forced full GC
// before and after them. Without a base URL the provider is mockProvider keeping no call log;
// with one, the openai adapter (the real SDK) against that local upstream.
import { createRouter, mockProvider, openai } from '../../src/index.js'

const calls = Number(process.argv[2] ?? 20_000)
const baseURL = process.argv[3]
const warmup = Number(process.argv[4] ?? 20_000)
const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with --expose-gc')

const router = createRouter({
  providers: [baseURL ? openai({ apiKey: 'sk-heap-0000', baseURL }) : mockProvider({ id: 'openai', catalogId: 'openai', callLog: 'none', models: { 'gpt-4o': { text: 'Hello!', usage: { inputTokens: 11, outputTokens: 9 } } } })],
})
const messages = [{ role: 'user' as const, content: 'Say hello.' }]
let costed = 0
const call = async () => {
  const result = await router.chat({ model: 'openai/gpt-4o', messages })
  if (result.cost.total !== null) costed += 1
}

/** Heap in use after full collections, settled: the least of a few readings. */
async function settledHeap(): Promise<number> {
  const readings: number[] = []
  for (let round = 0; round < 3; round += 1) {
    await new Promise((resolve) => setImmediate(resolve))
    gc!()
    readings.push(process.memoryUsage().heapUsed)
  }
  return Math.min(...readings)
}

for (let index = 0; index < warmup; index += 1) await call()
const before = await settledHeap()
for (let index = 0; index < calls; index += 1) await call()
const after = await settledHeap()
console.log(JSON.stringify({ calls, warmup, before, after, growth: after - before, costed }))
