// The hot path, side by side in one run against the same local upstream (its own process): the bare
// official `openai` SDK, `router.chat`, the official SDK over `router.fetch`, the Vercel AI SDK
// (`generateText` / `streamText` with its chat model) and Portkey's open-source gateway (its own
// process, called with the official SDK); non-streamed and streamed (10 content chunks). Shuffled
// interleaving, warm-up, three repetitions (see contest.ts); ratios against the bare SDK.
// Beside them, the floor of any in-process `fetch`: the official SDK over a `fetch` that answers at
// once with the upstream's own body — the SDK's own work on the client side, which a drop-in fetch
// adds to the call it makes upstream however little the fetch itself does.
// Then the router's own CPU without I/O: `router.chat` and a 10-chunk `router.stream` over an
// adapter that answers at once.
//
// Targets (issue 14): router.chat latency / bare ≤ 1.02; CPU added per call ≤ 15 µs; official SDK
// over router.fetch / bare (non-streamed) ≤ 1.10; router.fetch streaming: time to first token added
// ≤ +0.2 ms and total ≤ 1.15×; router.stream router time, 10-chunk stream, ≤ 10 µs.
import OpenAI from 'openai'
import { generateText, streamText } from 'ai'
import { createOpenAI } from '@ai-sdk/openai'
import { differenceOf, formatSpread, ratioOf, runContest, spreadOf, verdict, type Contender, type ContestResult, type Spread } from './contest.js'
import { completionBody, startLocalUpstream, streamBody, streamedWords } from './local-upstream.js'
import { loadPackage } from './package-under-test.js'
import { startPortkeyGateway } from './portkey-gateway.js'

const apiKey = 'sk-bench-0000000000000000'
const messages = [{ role: 'user' as const, content: 'Say hello.' }]
const answer = 'Hello! How can I help you today?'
const streamedAnswer = streamedWords.join('')
const rounds = Number(process.env.BENCH_CALLS ?? 700)
const warmupRounds = 200

type ChunkLike = { choices: Array<{ delta?: { content?: string | null } }> }

/** Reads an OpenAI-shaped chunk stream to its end, marking the first content token; returns the text. */
async function readChunks(chunks: AsyncIterable<ChunkLike>, firstToken: () => void): Promise<string> {
  let text = ''
  for await (const chunk of chunks) {
    const content = chunk.choices[0]?.delta?.content
    if (content) {
      firstToken()
      text += content
    }
  }
  return text
}

function printTable(title: string, result: ContestResult, baseline: string, withFirstToken: boolean): void {
  console.log(`\n${title}`)
  const header = `${'contender'.padEnd(36)} ${'median latency µs'.padEnd(24)} ${'/ bare SDK'.padEnd(22)} ${withFirstToken ? `${'first token µs'.padEnd(24)} ` : ''}CPU µs (this process)`
  console.log(header)
  for (const [name, figures] of result) {
    const latency = formatSpread(spreadOf(figures.latency), 0)
    const ratio = name === baseline ? '1' : formatSpread(ratioOf(result, name, baseline), 3)
    const firstToken = withFirstToken ? `${(figures.firstToken.length > 0 ? formatSpread(spreadOf(figures.firstToken), 0) : 'n/a').padEnd(24)} ` : ''
    console.log(`${name.padEnd(36)} ${latency.padEnd(24)} ${ratio.padEnd(22)} ${firstToken}${formatSpread(spreadOf(figures.cpu), 0)}`)
  }
}

/** Runs `check` once; a contender that fails it is left out of the run, saying why. */
async function admitted(name: string, check: () => Promise<void>): Promise<boolean> {
  try {
    await check()
    return true
  } catch (error) {
    console.log(`${name}: left out of this run, its check call failed: ${error instanceof Error ? error.message : String(error)}`)
    return false
  }
}

export default async function hotPath(): Promise<void> {
  const { library, source } = await loadPackage()
  const { createRouter, openai } = library
  console.log(`package under test: ${source}`)
  const upstream = await startLocalUpstream()
  const { baseURL } = upstream
  const gateway = await startPortkeyGateway(baseURL)
  try {
    const bare = new OpenAI({ apiKey, baseURL, maxRetries: 0 })
    const router = createRouter({ providers: [openai({ apiKey, baseURL })] })
    const overFetch = new OpenAI({ apiKey: 'unused', baseURL: 'http://switchyard.local/v1', fetch: router.fetch, maxRetries: 0 })
    const overInstantFetch = new OpenAI({ apiKey: 'unused', baseURL: 'http://instant.local/v1', fetch: answerAtOnce, maxRetries: 0 })
    const aiSdk = createOpenAI({ apiKey, baseURL }).chat('gpt-4o')
    const portkey = 'baseURL' in gateway ? new OpenAI({ apiKey, baseURL: gateway.baseURL, defaultHeaders: gateway.headers, maxRetries: 0 }) : undefined
    if (!portkey) console.log(`Portkey gateway: not in this run, ${(gateway as { unavailable: string }).unavailable}`)

    // Non-streamed.
    const plain: Contender[] = [
      { name: 'openai SDK (bare)', run: () => bare.chat.completions.create({ model: 'gpt-4o', messages }) },
      { name: 'router.chat', run: () => router.chat({ model: 'openai/gpt-4o', messages }) },
      { name: 'openai SDK over router.fetch', run: () => overFetch.chat.completions.create({ model: 'openai/gpt-4o', messages }) },
      { name: 'AI SDK generateText', run: () => generateText({ model: aiSdk, messages, maxRetries: 0 }) },
      { name: floorName, run: () => overInstantFetch.chat.completions.create({ model: 'gpt-4o', messages }) },
    ]
    if (portkey) plain.push({ name: 'Portkey gateway (openai SDK)', run: () => portkey.chat.completions.create({ model: 'gpt-4o', messages }) })
    const plainChecks: Record<string, () => Promise<void>> = {
      'openai SDK (bare)': async () => void expectText((await bare.chat.completions.create({ model: 'gpt-4o', messages })).choices[0]!.message.content, answer),
      'router.chat': async () => {
        const result = await router.chat({ model: 'openai/gpt-4o', messages })
        expectText(result.choices[0]!.message.content, answer)
        if (result.cost.total === null || result.cost.total <= 0) throw new Error('router.chat returned no cost')
      },
      'openai SDK over router.fetch': async () => void expectText((await overFetch.chat.completions.create({ model: 'openai/gpt-4o', messages })).choices[0]!.message.content, answer),
      'AI SDK generateText': async () => void expectText((await generateText({ model: aiSdk, messages, maxRetries: 0 })).text, answer),
      [floorName]: async () => void expectText((await overInstantFetch.chat.completions.create({ model: 'gpt-4o', messages })).choices[0]!.message.content, answer),
      'Portkey gateway (openai SDK)': async () => void expectText((await portkey!.chat.completions.create({ model: 'gpt-4o', messages })).choices[0]!.message.content, answer),
    }

    // Streamed: the time to the first content token and to the end of the stream.
    const streamed: Contender[] = [
      { name: 'openai SDK stream (bare)', run: (sample) => readChunks(bareStream(bare, 'gpt-4o'), sample.firstToken) },
      { name: 'router.stream', run: (sample) => readChunks(router.stream({ model: 'openai/gpt-4o', messages }), sample.firstToken) },
      { name: 'openai SDK stream over router.fetch', run: (sample) => readChunks(bareStream(overFetch, 'openai/gpt-4o'), sample.firstToken) },
      {
        name: 'AI SDK streamText',
        run: async (sample) => {
          let text = ''
          for await (const delta of streamText({ model: aiSdk, messages, maxRetries: 0 }).textStream) {
            sample.firstToken()
            text += delta
          }
          return text
        },
      },
      { name: streamFloorName, run: (sample) => readChunks(bareStream(overInstantFetch, 'gpt-4o'), sample.firstToken) },
    ]
    if (portkey) streamed.push({ name: 'Portkey gateway stream (openai SDK)', run: (sample) => readChunks(bareStream(portkey, 'gpt-4o'), sample.firstToken) })
    const noMark = () => {}
    const streamChecks: Record<string, () => Promise<void>> = {
      'openai SDK stream (bare)': async () => expectText(await readChunks(bareStream(bare, 'gpt-4o'), noMark), streamedAnswer),
      'router.stream': async () => {
        let cost: number | null | undefined
        let text = ''
        for await (const chunk of router.stream({ model: 'openai/gpt-4o', messages })) {
          text += chunk.choices[0]?.delta?.content ?? ''
          if (chunk.cost) cost = chunk.cost.total
        }
        expectText(text, streamedAnswer)
        if (!cost) throw new Error('router.stream gave no cost')
      },
      'openai SDK stream over router.fetch': async () => expectText(await readChunks(bareStream(overFetch, 'openai/gpt-4o'), noMark), streamedAnswer),
      'AI SDK streamText': async () => expectText(await streamText({ model: aiSdk, messages, maxRetries: 0 }).text, streamedAnswer),
      [streamFloorName]: async () => expectText(await readChunks(bareStream(overInstantFetch, 'gpt-4o'), noMark), streamedAnswer),
      'Portkey gateway stream (openai SDK)': async () => expectText(await readChunks(bareStream(portkey!, 'gpt-4o'), noMark), streamedAnswer),
    }

    const plainIn: Contender[] = []
    for (const contender of plain) if (await admitted(contender.name, plainChecks[contender.name]!)) plainIn.push(contender)
    const streamedIn: Contender[] = []
    for (const contender of streamed) if (await admitted(contender.name, streamChecks[contender.name]!)) streamedIn.push(contender)

    console.log(`rounds: ${warmupRounds} warm-up, then 3 repetitions × ${rounds}, each round every contender once in a shuffled order; medians per repetition, shown as median (lowest–highest repetition)`)
    const plainResult = await runContest(plainIn, { warmupRounds, rounds })
    printTable('Non-streamed chat completion', plainResult, 'openai SDK (bare)', false)
    const streamResult = await runContest(streamedIn, { warmupRounds, rounds })
    printTable(`Streamed chat completion (${streamedWords.length} content chunks)`, streamResult, 'openai SDK stream (bare)', true)

    console.log('\nTargets')
    const chatRatio = ratioOf(plainResult, 'router.chat', 'openai SDK (bare)')
    console.log(`router.chat latency / bare SDK                  ${formatSpread(chatRatio, 3)}   target <= 1.02: ${verdict(chatRatio.median, 1.02)}`)
    const addedCpu = differenceOf(plainResult, 'router.chat', 'openai SDK (bare)', 'cpu')
    console.log(`CPU added per router.chat call                  ${formatSpread(addedCpu, 1, ' µs')}   target <= 15 µs: ${verdict(addedCpu.median, 15)}`)
    if (plainResult.has('openai SDK over router.fetch')) {
      const fetchRatio = ratioOf(plainResult, 'openai SDK over router.fetch', 'openai SDK (bare)')
      console.log(`SDK over router.fetch / bare SDK                ${formatSpread(fetchRatio, 3)}   target <= 1.10: ${verdict(fetchRatio.median, 1.1)}`)
      if (plainResult.has(floorName)) console.log(`  floor for any in-process fetch                ${formatSpread(floorOf(plainResult, floorName, 'openai SDK (bare)'), 3)}   (1 + the SDK's own work over a fetch that answers at once / bare SDK)`)
    }
    if (streamResult.has('openai SDK stream over router.fetch')) {
      const addedFirstToken = differenceOf(streamResult, 'openai SDK stream over router.fetch', 'openai SDK stream (bare)', 'firstToken')
      const streamRatio = ratioOf(streamResult, 'openai SDK stream over router.fetch', 'openai SDK stream (bare)')
      console.log(`router.fetch stream: first token added          ${formatSpread(spreadOf([addedFirstToken.median / 1000, addedFirstToken.low / 1000, addedFirstToken.high / 1000]), 2, ' ms')}   target <= +0.2 ms: ${verdict(addedFirstToken.median, 200)}`)
      if (streamResult.has(streamFloorName)) {
        const floorFirstToken = spreadOf(streamResult.get(streamFloorName)!.firstToken.map((microseconds) => microseconds / 1000))
        console.log(`  floor for any in-process fetch                +${formatSpread(floorFirstToken, 2, ' ms')}   (the SDK's own time to its first token over a fetch that answers at once)`)
      }
      console.log(`router.fetch stream: total / bare SDK stream    ${formatSpread(streamRatio, 3)}   target <= 1.15: ${verdict(streamRatio.median, 1.15)}`)
      if (streamResult.has(streamFloorName)) console.log(`  floor for any in-process fetch                ${formatSpread(floorOf(streamResult, streamFloorName, 'openai SDK stream (bare)'), 3)}`)
    }
    const routerStreamRatio = ratioOf(streamResult, 'router.stream', 'openai SDK stream (bare)')
    console.log(`router.stream total / bare SDK stream           ${formatSpread(routerStreamRatio, 3)}`)
    for (const peer of ['AI SDK generateText', 'Portkey gateway (openai SDK)']) {
      if (plainResult.has(peer)) console.log(`${`${peer} / bare SDK`.padEnd(48)}${formatSpread(ratioOf(plainResult, peer, 'openai SDK (bare)'), 3)}   (router.chat / ${peer}: ${formatSpread(ratioOf(plainResult, 'router.chat', peer), 3)})`)
    }
  } finally {
    upstream.stop()
    if ('stop' in gateway) gateway.stop()
  }

  await routerOwnTime(library)
}

const floorName = 'openai SDK, fetch answers at once'
const streamFloorName = 'openai SDK stream, fetch at once'

const jsonHeaders = new Headers({ 'content-type': 'application/json' })
const eventStreamHeaders = new Headers({ 'content-type': 'text/event-stream' })
const streamBodyBytes = streamBody.map((event) => new TextEncoder().encode(event))

/**
 * A `fetch` that answers every request at once with the local upstream's own body, as the least
 * the SDK reads of a response — status, headers, and JSON or a body it can iterate (one chunk per
 * event, as the upstream writes them) — not a web `Response`, so that the floor is a true lower
 * bound, below any `Response` a real fetch could build.
 */
async function answerAtOnce(_url: unknown, init?: { body?: unknown }): Promise<Response> {
  const streamed = typeof init?.body === 'string' && init.body.includes('"stream":true')
  const least = {
    ok: true,
    status: 200,
    statusText: 'OK',
    url: '',
    headers: streamed ? eventStreamHeaders : jsonHeaders,
    body: streamed ? eventsAtOnce() : null,
    json: async () => JSON.parse(completionBody),
    text: async () => completionBody,
  }
  return least as unknown as Response
}

async function* eventsAtOnce(): AsyncGenerator<Uint8Array> {
  for (const event of streamBodyBytes) yield event
}

/**
 * The lowest latency ratio an in-process fetch under the official SDK can have: the bare call it
 * makes upstream, plus the outer SDK's own work (measured over a fetch that answers at once).
 */
function floorOf(result: ContestResult, floorContender: string, baseline: string): Spread {
  const ratio = ratioOf(result, floorContender, baseline)
  return { median: 1 + ratio.median, low: 1 + ratio.low, high: 1 + ratio.high }
}

function bareStream(client: OpenAI, model: string): AsyncIterable<ChunkLike> {
  // The SDK's stream is returned by a promise: wrapped so `readChunks` sees one iterable.
  return {
    async *[Symbol.asyncIterator]() {
      yield* await client.chat.completions.create({ model, messages, stream: true, stream_options: { include_usage: true } })
    },
  }
}

function expectText(text: string | null | undefined, expected: string): void {
  if (text !== expected) throw new Error(`answered ${JSON.stringify(text)} instead of ${JSON.stringify(expected)}`)
}

/**
 * The router's own CPU, without I/O: an adapter that answers at once (chat), or streams ten text
 * deltas and a finish event at once (stream). For the stream, the adapter's events read directly
 * are subtracted, so what is left is the router's time.
 */
async function routerOwnTime(library: Awaited<ReturnType<typeof loadPackage>>['library']): Promise<void> {
  const usage = { inputTokens: 11, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 10, reasoningTokens: 0 }
  const events = () => [
    ...streamedWords.map((text) => ({ type: 'text-delta' as const, text })),
    { type: 'finish' as const, finishReason: 'stop' as const, usage, model: 'gpt-4o' },
  ]
  async function* instantStream() {
    for (const event of events()) yield event
  }
  const instant = library.createRouter({
    providers: [
      {
        specificationVersion: 'v1',
        id: 'openai',
        catalogId: 'openai',
        chat: async () => ({ id: 'chatcmpl-instant', model: 'gpt-4o', message: { role: 'assistant' as const, content: answer }, finishReason: 'stop' as const, usage }),
        stream: instantStream,
      },
    ],
  })
  const cpuPer = async (count: number, run: () => Promise<unknown>) => {
    const before = process.cpuUsage()
    for (let index = 0; index < count; index += 1) await run()
    const used = process.cpuUsage(before)
    return (used.user + used.system) / count
  }
  const chat = () => instant.chat({ model: 'openai/gpt-4o', messages })
  const stream = async () => {
    for await (const _chunk of instant.stream({ model: 'openai/gpt-4o', messages }));
  }
  const adapterAlone = async () => {
    for await (const _event of instantStream());
  }
  for (const run of [chat, stream, adapterAlone]) await cpuPer(3_000, run)
  const samples = { chat: [] as number[], stream: [] as number[], adapter: [] as number[] }
  for (let repetition = 0; repetition < 3; repetition += 1) {
    samples.chat.push(await cpuPer(10_000, chat))
    samples.stream.push(await cpuPer(10_000, stream))
    samples.adapter.push(await cpuPer(10_000, adapterAlone))
  }
  console.log('\nThe router alone (an adapter that answers at once; 3 × 10 000 calls)')
  console.log(`router.chat CPU per call                        ${formatSpread(spreadOf(samples.chat), 1, ' µs')}`)
  const streamRouterTime = spreadOf(samples.stream.map((value, index) => value - samples.adapter[index]!))
  console.log(`router.stream router time, 10-chunk stream      ${formatSpread(streamRouterTime, 1, ' µs')}   target <= 10 µs: ${verdict(streamRouterTime.median, 10)}`)
}
