import { expect } from 'vitest'
import { bedrock, type FinishReason } from '../../../src/index.js'
import { eventStreamResponse } from '../aws-event-stream.js'
import { startHttp2Upstream } from '../http2-upstream.js'
import { recordedChunks, recordedJson } from '../recordings.js'
import { copy, emptyRequestView, parseArguments, usage, type ExpectedOutcome, type ProviderWire, type RequestView, type WireAnswer, type WireCall, type WireError, type WireToolCall } from './provider-wire.js'

/**
 * Amazon Bedrock's Converse API (`POST /model/{modelId}/converse` and `/converse-stream`), written
 * from the AWS API reference and the recordings in `recorded/bedrock`. The AWS SDK's default
 * transport is HTTP/2, which msw does not intercept: a local cleartext HTTP/2 server answers
 * instead (the SDK's `endpoint` points at it), streams as real AWS event-stream frames.
 */
const upstream = await startHttp2Upstream()
/** Stops the local server; the parity matrix calls it after its tests. */
export const closeBedrockUpstream = () => upstream.close()

const accessKeyId = 'AKIAIOSFODNN7EXAMPLE'
const secretAccessKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY0123'
const model = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'

type Event = Record<string, any>

const textJson = () => recordedJson('bedrock', 'amazon-bedrock-text')
const textChunks = (): Event[] => recordedChunks('bedrock', 'amazon-bedrock-text')
const recordedUsage = () => textJson().usage

function finishReasonOf(stopReason: string | undefined, hasToolCalls: boolean): FinishReason {
  if (stopReason === 'max_tokens' || stopReason === 'model_context_window_exceeded') return 'length'
  if (stopReason === 'tool_use') return 'tool_calls'
  if (stopReason === 'guardrail_intervened' || stopReason === 'content_filtered') return 'content_filter'
  return hasToolCalls ? 'tool_calls' : 'stop'
}

/** Converse's `inputTokens` leaves out cache reads and writes, which it reports beside it. */
function usageOf(wire: any) {
  return usage({ inputTokens: wire?.inputTokens ?? 0, cacheReadTokens: wire?.cacheReadInputTokens ?? 0, cacheWriteTokens: wire?.cacheWriteInputTokens ?? 0, outputTokens: wire?.outputTokens ?? 0 })
}

function expectFromJson(json: any): ExpectedOutcome {
  const blocks: any[] = json.output.message.content
  const texts = blocks.filter((block) => typeof block.text === 'string').map((block) => block.text)
  const reasoning = blocks.filter((block) => block.reasoningContent?.reasoningText).map((block) => block.reasoningContent.reasoningText.text).join('')
  const toolCalls: WireToolCall[] = blocks.filter((block) => block.toolUse).map((block) => ({ id: block.toolUse.toolUseId, name: block.toolUse.name, arguments: block.toolUse.input ?? {} }))
  return {
    text: texts.length > 0 ? texts.join('') : null,
    toolCalls,
    usage: usageOf(json.usage),
    finishReason: finishReasonOf(json.stopReason, toolCalls.length > 0),
    ...(reasoning ? { reasoning } : {}),
  }
}

function expectFromChunks(chunks: Event[]): ExpectedOutcome {
  let text: string | null = null
  let reasoning = ''
  let stopReason: string | undefined
  let wireUsage: unknown
  const calls = new Map<number, { id: string; name: string; input: string }>()
  for (const event of chunks) {
    if (event.contentBlockStart?.start?.toolUse) {
      const { toolUseId, name } = event.contentBlockStart.start.toolUse
      calls.set(event.contentBlockStart.contentBlockIndex, { id: toolUseId, name, input: '' })
    }
    const delta = event.contentBlockDelta?.delta
    if (typeof delta?.text === 'string') text = (text ?? '') + delta.text
    if (delta?.toolUse) calls.get(event.contentBlockDelta.contentBlockIndex)!.input += delta.toolUse.input
    if (typeof delta?.reasoningContent?.text === 'string') reasoning += delta.reasoningContent.text
    if (event.messageStop) stopReason = event.messageStop.stopReason
    if (event.metadata) wireUsage = event.metadata.usage
  }
  const toolCalls = [...calls.values()].map((call) => ({ id: call.id, name: call.name, arguments: parseArguments(call.input) }))
  return { text: text || null, toolCalls, usage: usageOf(wireUsage), finishReason: finishReasonOf(stopReason, toolCalls.length > 0), ...(reasoning ? { reasoning } : {}) }
}

/** The stream Bedrock sends for `json`'s content blocks: each block started, delta'd in two pieces and stopped. */
function chunksFor(json: any): Event[] {
  const events: Event[] = [{ messageStart: { role: 'assistant' } }]
  json.output.message.content.forEach((block: any, index: number) => {
    if (block.toolUse) {
      const input = JSON.stringify(block.toolUse.input ?? {})
      const middle = Math.ceil(input.length / 2)
      events.push({ contentBlockStart: { contentBlockIndex: index, start: { toolUse: { toolUseId: block.toolUse.toolUseId, name: block.toolUse.name } } } })
      for (const piece of [input.slice(0, middle), input.slice(middle)]) if (piece) events.push({ contentBlockDelta: { contentBlockIndex: index, delta: { toolUse: { input: piece } } } })
    } else if (block.reasoningContent) {
      const { text, signature } = block.reasoningContent.reasoningText
      events.push({ contentBlockDelta: { contentBlockIndex: index, delta: { reasoningContent: { text } } } })
      events.push({ contentBlockDelta: { contentBlockIndex: index, delta: { reasoningContent: { signature } } } })
    } else {
      const middle = Math.ceil(block.text.length / 2)
      for (const piece of [block.text.slice(0, middle), block.text.slice(middle)]) if (piece) events.push({ contentBlockDelta: { contentBlockIndex: index, delta: { text: piece } } })
    }
    events.push({ contentBlockStop: { contentBlockIndex: index } })
  })
  events.push({ messageStop: { stopReason: json.stopReason } })
  events.push({ metadata: { usage: json.usage, metrics: { latencyMs: 321 } } })
  return events
}

function answerOf(content: any[], stopReason: string, wireUsage = recordedUsage()): WireAnswer {
  const json = { ...copy(textJson()), output: { message: { role: 'assistant', content } }, stopReason, usage: wireUsage }
  return { json, chunks: chunksFor(json) }
}

const textWith = (content: string) => answerOf([{ text: content }], 'end_turn')

function toolCalls(calls: WireToolCall[]): WireAnswer {
  return answerOf(
    calls.map((call, index) => ({ toolUse: { toolUseId: call.id ?? `tooluse_${index}`, name: call.name, input: call.arguments } })),
    'tool_use',
    recordedJson('bedrock', 'amazon-bedrock-tool-call.1').usage,
  )
}

/** The recorded reasoning answer, its stream built from its own blocks so both forms say the same. */
function reasoningAnswer() {
  const json = recordedJson('bedrock', 'amazon-bedrock-reasoning')
  const thinking = json.output.message.content[0].reasoningContent.reasoningText
  return { json, chunks: chunksFor(json), reasoningText: thinking.text as string, signature: thinking.signature as string }
}

function readRequest(call: WireCall): RequestView {
  const body = call.body
  const view = emptyRequestView(body, (body.system ?? []).filter((block: any) => typeof block.text === 'string').map((block: any) => block.text))
  view.cacheMarkers = (JSON.stringify(body).match(/"cachePoint"/g) ?? []).length
  for (const message of body.messages ?? []) {
    for (const block of message.content ?? []) {
      if (message.role === 'user' && typeof block.text === 'string') view.userTexts.push(block.text)
      if (block.image) view.images.push({ mediaType: `image/${block.image.format}`, data: block.image.source.bytes })
      if (block.toolUse) view.assistantToolCalls.push({ id: block.toolUse.toolUseId, name: block.toolUse.name, arguments: block.toolUse.input })
      if (block.toolResult) view.toolResults.push({ callId: block.toolResult.toolUseId, content: block.toolResult.content })
    }
  }
  for (const tool of body.toolConfig?.tools ?? []) {
    if (tool.toolSpec) view.tools.push({ name: tool.toolSpec.name, description: tool.toolSpec.description, parameters: tool.toolSpec.inputSchema?.json })
  }
  const schema = body.outputConfig?.textFormat?.structure?.jsonSchema?.schema
  if (typeof schema === 'string') view.outputSchema = JSON.parse(schema)
  return view
}

/** An AWS REST-JSON error: the exception's name in `x-amzn-errortype`, its message in the body. */
function awsError(status: number, exception: string, message: string, headers: Record<string, string> = {}): WireError {
  return { status, body: { message }, headers: { 'x-amzn-errortype': `${exception}:http://internal.amazon.com/coral/com.amazon.bedrock/`, 'x-amzn-requestid': 'req-error-0001', ...headers } }
}

const errors: Record<string, WireError | undefined> = {
  invalid: awsError(400, 'ValidationException', 'The provided request is not valid: temperature must be less than or equal to 1.'),
  auth: awsError(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.'),
  // Bedrock documents no retry-after on throttling; a gateway or endpoint that sends one is honoured (see test/providers/bedrock).
  'rate-limit': awsError(429, 'ThrottlingException', 'Too many requests, please wait before trying again.'),
  server: awsError(500, 'InternalServerException', 'The server encountered an internal error while processing the request.'),
  overloaded: awsError(503, 'ServiceUnavailableException', 'Bedrock is unable to process your request.'),
  'context-length': awsError(400, 'ValidationException', 'Input is too long for requested model.'),
  // A guardrail blocks with HTTP 200 and stopReason "guardrail_intervened": see contentFilteredAnswer.
  'content-filter': undefined,
}

export const bedrockWire: ProviderWire = {
  provider: 'bedrock',
  model,
  apiKey: secretAccessKey,
  create: () => bedrock({ region: 'us-east-1', credentials: { accessKeyId, secretAccessKey }, baseURL: upstream.url }),
  serveChat(_server, respond) {
    const calls: WireCall[] = []
    upstream.answer(async (request) => {
      const url = new URL(request.path, upstream.url)
      if (request.method !== 'POST' || !/^\/model\/[^/]+\/converse(-stream)?$/.test(url.pathname)) return new Response(`unexpected ${request.method} ${url.pathname}`, { status: 599 })
      const headers = new Headers()
      for (const [name, value] of Object.entries(request.headers)) if (!name.startsWith(':') && value !== undefined) headers.set(name, String(value))
      const call: WireCall = { url, headers, body: JSON.parse(request.body), stream: url.pathname.endsWith('/converse-stream'), signal: request.signal }
      // The model id travels in the path, URL-encoded; the body has none.
      expect(decodeURIComponent(url.pathname.split('/')[2]!)).toBe(model)
      calls.push(call)
      return respond(call, calls.length - 1)
    })
    return calls
  },
  jsonResponse: (json) => Response.json(json, { headers: { 'x-amzn-requestid': 'req-local-0001' } }),
  streamResponse: (chunks, options) => eventStreamResponse(chunks as Event[], options),
  hangingStreamResponse: (chunks, until) => eventStreamResponse(chunks as Event[], { until }),
  text: () => ({ json: textJson(), chunks: textChunks() }),
  recordedToolCall: () => ({ json: recordedJson('bedrock', 'amazon-bedrock-tool-call.1'), chunks: recordedChunks('bedrock', 'amazon-bedrock-tool-call.1') }),
  toolCalls,
  truncated() {
    const json = { ...textJson(), stopReason: 'max_tokens' }
    const chunks = textChunks().map((event) => (event.messageStop ? { messageStop: { ...event.messageStop, stopReason: 'max_tokens' } } : event))
    return { json, chunks }
  },
  textWith,
  jsonOutput: (value) => textWith(JSON.stringify(value)),
  reasoning() {
    const { json, chunks, reasoningText } = reasoningAnswer()
    return { json, chunks, reasoningText, reasoningTokens: 0 }
  },
  signedAnswer() {
    const { json, chunks, signature } = reasoningAnswer()
    return { answer: { json, chunks }, signature: { json: signature, chunks: signature } }
  },
  cachedUsage() {
    const answer = answerOf([{ text: 'Cached answer.' }], 'end_turn', { inputTokens: 512, outputTokens: 12, cacheReadInputTokens: 1536, cacheWriteInputTokens: 256, totalTokens: 2316 })
    return { ...answer, cacheReadTokens: 1536, cacheWriteTokens: 256 }
  },
  contentFilteredAnswer: () => answerOf([{ text: 'Sorry, the model cannot answer this question.' }], 'guardrail_intervened'),
  expectFromJson,
  expectFromChunks,
  readRequest,
  error: (kind) => errors[kind],
  promptCaching: { kind: 'markers' },
  parameters: {
    temperature: { kind: 'sent', read: (body) => body.inferenceConfig?.temperature },
    top_p: { kind: 'sent', read: (body) => body.inferenceConfig?.topP },
    max_tokens: { kind: 'sent', read: (body) => body.inferenceConfig?.maxTokens },
    stop: { kind: 'sent', read: (body) => body.inferenceConfig?.stopSequences },
    seed: { kind: 'rejected', feature: 'seed' },
    presence_penalty: { kind: 'rejected', feature: 'presence_penalty' },
    frequency_penalty: { kind: 'rejected', feature: 'frequency_penalty' },
    tool_choice: { kind: 'sent', read: (body) => (body.toolConfig?.toolChoice?.any ? 'required' : body.toolConfig?.toolChoice) },
    tool_choice_named: { kind: 'sent', read: (body) => body.toolConfig?.toolChoice?.tool?.name },
    parallel_tool_calls: {
      kind: 'emulated',
      how: 'Converse has no switch for it: only the first tool call of the answer is kept',
      answer: () =>
        toolCalls([
          { id: 'tooluse_paris', name: 'weather', arguments: { location: 'Paris' } },
          { id: 'tooluse_berlin', name: 'weather', arguments: { location: 'Berlin' } },
        ]),
      verify: (calls) => expect(calls.map((call) => JSON.parse(call.arguments))).toEqual([{ location: 'Paris' }]),
    },
    user: { kind: 'ignored', why: 'Converse has no end-user field', absent: (body) => JSON.stringify(body).indexOf('user-1234') === -1 },
    json_object: { kind: 'rejected', feature: 'json_object' },
    reasoning_effort: { kind: 'sent', read: (body) => body.additionalModelRequestFields?.thinking?.type === 'enabled' },
  },
  noArgumentToolSchema: { type: 'object', properties: {} },
  support: { jsonSchema: { kind: 'native' }, image: { kind: 'native' }, imageUrl: { kind: 'rejected', feature: 'image_url' }, embeddings: { kind: 'rejected', feature: 'embeddings' } },
}
