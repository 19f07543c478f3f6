// The local OpenAI-shaped upstream every benchmark calls: a tiny HTTP server in its own process, as a
// real provider would be, so its CPU is not counted as ours.
import { spawn } from 'node:child_process'

/** One recorded-shape chat completion, answered to every request. */
export const completionBody = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1_770_000_000,
  model: 'gpt-4o-2024-08-06',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello! How can I help you today?', refusal: null }, logprobs: null, finish_reason: 'stop' }],
  usage: { prompt_tokens: 11, completion_tokens: 9, total_tokens: 20, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } },
})

const serverScript = `
const { createServer } = require('node:http')
const body = process.env.BENCH_BODY
const server = createServer((request, response) => {
  request.resume()
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
    response.end(body)
  })
})
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'))
process.stdin.on('end', () => process.exit(0))
process.stdin.resume()
`

export interface LocalUpstream {
  /** `http://127.0.0.1:PORT/v1`, for an OpenAI client's or adapter's `baseURL`. */
  baseURL: string
  /** Ends the server process (by closing its stdin). */
  stop(): void
}

export function startLocalUpstream(body: string = completionBody): Promise<LocalUpstream> {
  const child = spawn(process.execPath, ['-e', serverScript], { env: { ...process.env, BENCH_BODY: body, NODE_OPTIONS: '' }, stdio: ['pipe', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.stdout.once('data', (data: Buffer) => resolve({ baseURL: `http://127.0.0.1:${data.toString().trim()}/v1`, stop: () => child.stdin.end() }))
  })
}
