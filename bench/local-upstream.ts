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

/** The words of the streamed answer: ten content chunks, as `router.stream`'s 10-chunk target counts them. */
export const streamedWords = ['Hello', '!', ' How', ' can', ' I', ' help', ' you', ' today', '?', ' Ask away.']

/** The SSE body of a streamed answer: a role chunk, ten content chunks, the finish chunk, the usage chunk, `[DONE]`. */
export const streamBody = (() => {
  const chunk = (choices: unknown[], usage: unknown = null) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1_770_000_000, model: 'gpt-4o-2024-08-06', system_fingerprint: 'fp_bench', choices, usage })}\n\n`
  return [
    chunk([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }]),
    ...streamedWords.map((word) => chunk([{ index: 0, delta: { content: word }, logprobs: null, finish_reason: null }])),
    chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]),
    chunk([], { prompt_tokens: 11, completion_tokens: 10, total_tokens: 21, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } }),
    'data: [DONE]\n\n',
  ]
})()

// Answers a request whose JSON body asks for `"stream": true` with the SSE chunks, each its own
// write (as a provider flushes them), and any other with the completion.
const serverScript = `
const { createServer } = require('node:http')
const body = process.env.BENCH_BODY
const chunks = JSON.parse(process.env.BENCH_STREAM)
const server = createServer((request, response) => {
  let received = ''
  request.setEncoding('utf8')
  request.on('data', (part) => (received += part))
  request.on('end', () => {
    if (/"stream"\\s*:\\s*true/.test(received)) {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
      for (const chunk of chunks) response.write(chunk)
      response.end()
      return
    }
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
  const child = spawn(process.execPath, ['-e', serverScript], { env: { ...process.env, BENCH_BODY: body, BENCH_STREAM: JSON.stringify(streamBody), NODE_OPTIONS: '' }, stdio: ['pipe', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.stdout.once('data', (data: Buffer) => resolve({ baseURL: `http://127.0.0.1:${data.toString().trim()}/v1`, stop: () => child.stdin.end() }))
  })
}
