import Anthropic from '@anthropic-ai/sdk'
import { http, HttpResponse } from 'msw'
import OpenAI from 'openai'
import { describe, expect, it } from 'vitest'
import { anthropic, createRouter, type RouterEvent } from '../../src/index.js'
import { useMswServer } from '../helpers/msw.js'
import { recordedChunks, recordedJson, sseResponse } from '../helpers/recordings.js'

/*
 * The response cache on every surface. Upstream is the real anthropic adapter and SDK talking to
 * msw, which replays the recorded tool-call answer (`recorded/anthropic/anthropic-json-tool.1`);
 * the callers are the router's own methods, its facades and the official clients over router.fetch.
 */
const server = useMswServer()
const anthropicUrl = 'https://api.anthropic.com/v1/messages'
const recordedStream = recordedChunks('anthropic', 'anthropic-json-tool.1')
const recordedAnswer = recordedJson('anthropic', 'anthropic-json-tool.1')

/** The tool input the recorded stream carries, joined from its deltas (as a client would). */
const streamedToolInput = JSON.parse(
  recordedStream
    .filter((event) => event.type === 'content_block_delta')
    .map((event) => event.delta.partial_json)
    .join(''),
)

function setup() {
  const upstream: Array<{ stream: boolean }> = []
  server.use(
    http.post(anthropicUrl, async ({ request }) => {
      const body = (await request.json()) as { stream?: boolean }
      upstream.push({ stream: body.stream === true })
      return body.stream ? sseResponse(recordedStream, { namedEvents: true }) : HttpResponse.json(recordedAnswer)
    }),
  )
  const events: RouterEvent[] = []
  const router = createRouter({ providers: [anthropic({ apiKey: 'anthropic-test-key' })], cache: { ttlMs: 60_000 }, onEvent: (event) => events.push(event) })
  return {
    router,
    upstream,
    events,
    openAIClient: new OpenAI({ apiKey: 'unused', baseURL: 'http://switchyard.local/v1', fetch: router.fetch, maxRetries: 0 }),
    anthropicClient: new Anthropic({ apiKey: 'unused', baseURL: 'http://switchyard.local', fetch: router.fetch, maxRetries: 0 }),
  }
}

const model = 'anthropic/claude-haiku-4-5'
const weather = [{ role: 'user' as const, content: 'Weather in San Francisco as JSON, please.' }]
const jsonTool = { type: 'function' as const, function: { name: 'json', parameters: { type: 'object', properties: { elements: { type: 'array' } } } } }

describe('response cache on every surface (recorded Anthropic tool-call stream upstream)', () => {
  it('router.stream live, then replayed from the cache to stream, chat, the OpenAI facade and the OpenAI client over fetch', async () => {
    const { router, upstream, openAIClient, events } = setup()
    const request = { model, messages: weather, tools: [jsonTool], max_tokens: 500 }
    const live = await router.stream(request).finalResult()
    expect(upstream).toEqual([{ stream: true }])
    const liveArguments = JSON.parse(live.choices[0]!.message.tool_calls![0]!.function.arguments)
    expect(liveArguments).toEqual(streamedToolInput)

    const replayed = await router.stream(request).finalResult()
    const chat = await router.chat(request)
    const facadeChunks: OpenAI.ChatCompletionChunk[] = []
    for await (const chunk of await router.openai.chat.completions.create({ ...request, stream: true, stream_options: { include_usage: true } })) {
      facadeChunks.push(chunk as OpenAI.ChatCompletionChunk)
    }
    const response = await openAIClient.chat.completions.create({ ...request }).withResponse()
    expect(upstream).toHaveLength(1)

    for (const result of [replayed, chat]) {
      expect(result.route.cacheHit).toBe(true)
      expect(result.cost.total).toBe(0)
      expect(result.cost.saved).toBe(live.cost.total)
      expect(result.usage).toEqual(live.usage)
      expect(result.choices[0]!.finish_reason).toBe('tool_calls')
      expect(JSON.parse(result.choices[0]!.message.tool_calls![0]!.function.arguments)).toEqual(streamedToolInput)
    }
    // The facade's stream: the tool call arrives in deltas, usage in the last chunk.
    const argumentsText = facadeChunks.flatMap((chunk) => chunk.choices.flatMap((choice) => choice.delta.tool_calls ?? [])).map((call) => call.function?.arguments ?? '').join('')
    expect(JSON.parse(argumentsText)).toEqual(streamedToolInput)
    expect(facadeChunks.at(-1)!.usage!.completion_tokens).toBe(recordedStream.at(-2).usage.output_tokens)
    // The official client over router.fetch: a whole completion, and a header saying it was a hit.
    expect(response.response.headers.get('x-switchyard-cache')).toBe('hit')
    expect(JSON.parse((response.data.choices[0]!.message.tool_calls![0] as OpenAI.ChatCompletionMessageFunctionToolCall).function.arguments)).toEqual(streamedToolInput)
    expect(events.filter((event) => event.type === 'cache-hit')).toHaveLength(4)
  })

  it('the Anthropic client over fetch and the Anthropic facade: a stream replayed as Anthropic events', async () => {
    const { router, upstream, anthropicClient } = setup()
    const params = {
      model,
      max_tokens: 500,
      messages: weather,
      tools: [{ name: 'json', input_schema: { type: 'object' as const, properties: { elements: { type: 'array' } } } }],
    }
    const live = await anthropicClient.messages.stream(params).finalMessage()
    const replayed = await anthropicClient.messages.stream(params).finalMessage()
    const facadeEvents: Anthropic.MessageStreamEvent[] = []
    for await (const event of await router.anthropic.messages.create({ ...params, stream: true })) facadeEvents.push(event as Anthropic.MessageStreamEvent)
    expect(upstream).toEqual([{ stream: true }])
    for (const message of [live, replayed]) {
      const toolUse = message.content.find((block) => block.type === 'tool_use')!
      expect(toolUse.input).toEqual(streamedToolInput)
      expect(message.stop_reason).toBe('tool_use')
      expect(message.usage.output_tokens).toBe(recordedStream.at(-2).usage.output_tokens)
    }
    expect(facadeEvents.map((event) => event.type)).toEqual(expect.arrayContaining(['message_start', 'content_block_start', 'content_block_delta', 'message_delta', 'message_stop']))
  })

  it('router.fetch honours cache-control: no-store neither reads nor writes, no-cache fetches a fresh answer and stores it', async () => {
    const { router, upstream } = setup()
    const body = JSON.stringify({ model, messages: weather, tools: [jsonTool], max_tokens: 500 })
    const post = (headers: Record<string, string> = {}) =>
      router.fetch(new Request('http://switchyard.local/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }))

    const noStore = await post({ 'cache-control': 'no-store' })
    expect(noStore.headers.get('x-switchyard-cache')).toBeNull()
    expect(upstream).toHaveLength(1)
    // no-store wrote nothing: the next plain call goes upstream too.
    const first = await post()
    expect(first.headers.get('x-switchyard-cache')).toBeNull()
    expect(upstream).toHaveLength(2)
    const hit = await post()
    expect(hit.headers.get('x-switchyard-cache')).toBe('hit')
    expect(hit.headers.get('x-switchyard-cost-usd')).toBe('0')
    expect(upstream).toHaveLength(2)
    const fresh = await post({ 'cache-control': 'no-cache' })
    expect(fresh.headers.get('x-switchyard-cache')).toBeNull()
    expect(upstream).toHaveLength(3)
    expect((await post({ 'cache-control': 'max-age=0, no-store' })).headers.get('x-switchyard-cache')).toBeNull()
    expect(upstream).toHaveLength(4)
    expect((await post()).headers.get('x-switchyard-cache')).toBe('hit')
    expect(upstream).toHaveLength(4)
    const answer = (await hit.json()) as OpenAI.ChatCompletion
    expect(JSON.parse((answer.choices[0]!.message.tool_calls![0] as OpenAI.ChatCompletionMessageFunctionToolCall).function.arguments)).toEqual(recordedAnswer.content[0].input)
  })

  it('a streamed SSE response over fetch is served from the cache', async () => {
    const { router, upstream } = setup()
    const body = JSON.stringify({ model, messages: weather, tools: [jsonTool], max_tokens: 500, stream: true })
    const post = () => router.fetch(new Request('http://switchyard.local/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body }))
    const liveText = await (await post()).text()
    const cachedText = await (await post()).text()
    expect(upstream).toHaveLength(1)
    const argumentsOf = (sse: string) =>
      sse
        .split('\n')
        .filter((line) => line.startsWith('data: {'))
        .map((line) => JSON.parse(line.slice(6)) as OpenAI.ChatCompletionChunk)
        .flatMap((chunk) => chunk.choices.flatMap((choice) => choice.delta.tool_calls ?? []))
        .map((call) => call.function?.arguments ?? '')
        .join('')
    expect(JSON.parse(argumentsOf(cachedText))).toEqual(streamedToolInput)
    expect(argumentsOf(cachedText)).toBe(argumentsOf(liveText))
    expect(cachedText).toContain('"cacheHit":true')
  })
})
