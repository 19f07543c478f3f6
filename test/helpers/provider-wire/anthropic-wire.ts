import { anthropic, type FinishReason } from '../../../src/index.js'
import { recordedChunks, recordedJson } from '../recordings.js'
import {
  captureCalls,
  copy,
  emptyRequestView,
  jsonAnswer,
  sseAnswer,
  hangingSseAnswer,
  usage,
  type ExpectedOutcome,
  type JsonEmulation,
  type ProviderWire,
  type RequestView,
  type WireAnswer,
  type WireCall,
  type WireError,
  type WireToolCall,
} from './provider-wire.js'

const apiKey = 'sk-ant-api03-testParityAnthropic0123456789'
const format = { namedEvents: true, done: false }

/** Anthropic's error body: `{ type: "error", error: { type, message } }`. */
function anthropicError(status: number, type: string, message: string, headers?: Record<string, string>): WireError {
  return { status, body: { type: 'error', error: { type, message }, request_id: 'req_parity' }, ...(headers ? { headers } : {}) }
}

function finishReasonFromAnthropic(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length'
    case 'tool_use':
      return 'tool_calls'
    case 'refusal':
      return 'content_filter'
    default:
      return 'stop'
  }
}

/** Anthropic's `input_tokens` already excludes cache reads and writes, which it reports apart. */
function usageFromAnthropic(wire: any) {
  return usage({
    inputTokens: wire?.input_tokens ?? 0,
    cacheReadTokens: wire?.cache_read_input_tokens ?? 0,
    cacheWriteTokens: wire?.cache_creation_input_tokens ?? 0,
    outputTokens: wire?.output_tokens ?? 0,
  })
}

function expectFromJson(json: any): ExpectedOutcome {
  const blocks: any[] = json.content ?? []
  const text = blocks.filter((block) => block.type === 'text').map((block) => block.text).join('')
  const reasoning = blocks.filter((block) => block.type === 'thinking').map((block) => block.thinking).join('')
  return {
    text: text || null,
    toolCalls: blocks.filter((block) => block.type === 'tool_use').map((block) => ({ id: block.id, name: block.name, arguments: block.input })),
    usage: usageFromAnthropic(json.usage),
    finishReason: finishReasonFromAnthropic(json.stop_reason),
    ...(reasoning ? { reasoning } : {}),
  }
}

function expectFromChunks(chunks: any[]): ExpectedOutcome {
  let wireUsage: Record<string, unknown> = {}
  let stopReason: string | null = null
  const blocks = new Map<number, { type: string; id?: string; name?: string; text: string; input?: unknown }>()
  for (const event of chunks) {
    if (event.type === 'message_start') wireUsage = { ...event.message.usage }
    if (event.type === 'content_block_start') {
      const block = event.content_block
      blocks.set(event.index, { type: block.type, id: block.id, name: block.name, text: block.text ?? block.thinking ?? '', input: block.input })
    }
    if (event.type === 'content_block_delta') {
      const block = blocks.get(event.index)!
      const delta = event.delta
      block.text += delta.text ?? delta.partial_json ?? delta.thinking ?? ''
    }
    if (event.type === 'message_delta') {
      // The final usage: output tokens, and (in newer streams) the input counts again.
      wireUsage = { ...wireUsage, ...event.usage }
      stopReason = event.delta.stop_reason
    }
  }
  const ordered = [...blocks.entries()].sort(([left], [right]) => left - right).map(([, block]) => block)
  const text = ordered.filter((block) => block.type === 'text').map((block) => block.text).join('')
  const reasoning = ordered.filter((block) => block.type === 'thinking').map((block) => block.text).join('')
  return {
    text: text || null,
    toolCalls: ordered
      .filter((block) => block.type === 'tool_use')
      .map((block) => ({ id: block.id, name: block.name!, arguments: block.text ? JSON.parse(block.text) : (block.input as Record<string, unknown>) })),
    usage: usageFromAnthropic(wireUsage),
    finishReason: finishReasonFromAnthropic(stopReason),
    ...(reasoning ? { reasoning } : {}),
  }
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content
  return (content as any[]).filter((block) => block.type === 'text').map((block) => block.text).join('')
}

function readRequest(call: WireCall): RequestView {
  const body = call.body
  const view = emptyRequestView(body, body.system === undefined ? [] : [textOf(body.system)])
  for (const message of body.messages ?? []) {
    const blocks = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content
    for (const block of blocks) {
      if (message.role === 'user' && block.type === 'text') view.userTexts.push(block.text)
      if (block.type === 'image') {
        view.images.push(block.source.type === 'base64' ? { mediaType: block.source.media_type, data: block.source.data } : { url: block.source.url })
      }
      if (block.type === 'tool_use') view.assistantToolCalls.push({ id: block.id, name: block.name, arguments: block.input })
      if (block.type === 'tool_result') view.toolResults.push({ callId: block.tool_use_id, content: textOf(block.content) })
    }
  }
  const forcedTool = body.tool_choice?.type === 'tool' ? body.tool_choice.name : undefined
  for (const tool of body.tools ?? []) {
    if (tool.name === forcedTool && body.output_config === undefined) continue
    view.tools.push({ name: tool.name, description: tool.description, parameters: tool.input_schema })
  }
  view.outputSchema = body.output_config?.format?.schema ?? body.tools?.find((tool: any) => tool.name === forcedTool)?.input_schema
  return view
}

const textRecording = () => ({ json: recordedJson('anthropic', 'anthropic-text'), chunks: recordedChunks('anthropic', 'anthropic-text') })
const toolRecording = () => ({ json: recordedJson('anthropic', 'anthropic-json-tool.1'), chunks: recordedChunks('anthropic', 'anthropic-json-tool.1') })

/**
 * A stream in Anthropic's event order: message_start, each block (start, deltas, stop),
 * message_delta with the stop reason and final usage, message_stop. Built on a recorded stream.
 */
function streamOf(template: any[], blocks: Array<{ start: Record<string, unknown>; deltas: Array<Record<string, unknown>> }>, stopReason: string, finalUsage: unknown) {
  const start = copy(template.find((event) => event.type === 'message_start'))
  const events: any[] = [start]
  blocks.forEach((block, index) => {
    events.push({ type: 'content_block_start', index, content_block: block.start })
    for (const delta of block.deltas) events.push({ type: 'content_block_delta', index, delta })
    events.push({ type: 'content_block_stop', index })
  })
  events.push({ type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: finalUsage })
  events.push({ type: 'message_stop' })
  return events
}

function halves(text: string): [string, string] {
  const middle = Math.floor(text.length / 2)
  return [text.slice(0, middle), text.slice(middle)]
}

function toolCalls(calls: WireToolCall[]): WireAnswer {
  const template = toolRecording()
  const json = copy(template.json)
  json.content = calls.map((call, index) => ({ type: 'tool_use', id: call.id ?? `toolu_${index}`, name: call.name, input: call.arguments }))
  json.stop_reason = 'tool_use'
  const finalUsage = template.chunks.find((event: any) => event.type === 'message_delta').usage
  const blocks = calls.map((call, index) => ({
    start: { type: 'tool_use', id: call.id ?? `toolu_${index}`, name: call.name, input: {} },
    // As recorded: an empty first piece, then the JSON in parts.
    deltas: ['', ...halves(JSON.stringify(call.arguments))].map((partial_json) => ({ type: 'input_json_delta', partial_json })),
  }))
  return { json, chunks: streamOf(template.chunks, blocks, 'tool_use', finalUsage) }
}

function textWith(content: string, thinking?: { text: string; signature: string }): WireAnswer {
  const template = textRecording()
  const json = copy(template.json)
  json.content = [...(thinking ? [{ type: 'thinking', thinking: thinking.text, signature: thinking.signature }] : []), { type: 'text', text: content }]
  const finalUsage = template.chunks.find((event: any) => event.type === 'message_delta').usage
  const blocks = [
    ...(thinking
      ? [
          {
            start: { type: 'thinking', thinking: '', signature: '' },
            deltas: [
              ...halves(thinking.text).map((text) => ({ type: 'thinking_delta', thinking: text })),
              { type: 'signature_delta', signature: thinking.signature },
            ],
          },
        ]
      : []),
    { start: { type: 'text', text: '' }, deltas: halves(content).map((text) => ({ type: 'text_delta', text })) },
  ]
  return { json, chunks: streamOf(template.chunks, blocks, 'end_turn', finalUsage) }
}

/**
 * Claude models without native structured output (Sonnet 4 and older) get json_schema through a
 * forced tool: the recorded `anthropic-json-tool.1` answer is exactly that tool call.
 */
const jsonEmulation: JsonEmulation = {
  model: 'claude-sonnet-4-20250514',
  how: 'a forced tool whose input is the JSON answer (models before Sonnet 4.5)',
  answer: toolRecording,
  /** The JSON value the recorded answer carries. */
  valueOf: (answer: WireAnswer, streamed: boolean) => {
    if (!streamed) return (answer.json as any).content.find((block: any) => block.type === 'tool_use').input
    return expectFromChunks(answer.chunks).toolCalls[0]!.arguments
  },
}

/** Anthropic Messages at api.anthropic.com, answered from `recorded/anthropic`. */
export const anthropicWire: ProviderWire = {
  provider: 'anthropic',
  // A current model: the SDK warns on stdout about deprecated ones (claude-sonnet-4-5).
  model: 'claude-sonnet-5-5',
  apiKey,
  create: () => anthropic({ apiKey }),
  serveChat: (server, respond) => captureCalls(server, 'https://api.anthropic.com/v1/messages', (_url, body) => body.stream === true, respond),
  jsonResponse: (json) => jsonAnswer(json),
  streamResponse: (chunks, options) => sseAnswer(chunks, format, options),
  hangingStreamResponse: (chunks, until) => hangingSseAnswer(chunks, format, until),
  text: textRecording,
  truncated() {
    const { json, chunks } = textRecording()
    json.stop_reason = 'max_tokens'
    for (const event of chunks) if (event.type === 'message_delta') event.delta.stop_reason = 'max_tokens'
    return { json, chunks }
  },
  recordedToolCall: toolRecording,
  toolCalls,
  textWith: (content) => textWith(content),
  jsonOutput: (value) => textWith(JSON.stringify(value)),
  signedAnswer() {
    const signature = 'EqQBCkYIBxgCKkDparitySignature'
    const answer = textWith('Hello!', { text: 'A greeting; answer briefly.', signature })
    return { answer, signature: { json: signature, chunks: signature } }
  },
  reasoning() {
    const reasoningText = 'The user greets me; a short friendly answer fits.'
    // Anthropic counts thinking inside output_tokens and reports no separate reasoning count.
    return { ...textWith('Hello!', { text: reasoningText, signature: 'EqQBCkYIBxgCKkDparitySignature' }), reasoningText, reasoningTokens: 0 }
  },
  cachedUsage() {
    const answer = textWith('Cached answer.')
    const wireUsage = { input_tokens: 12, cache_creation_input_tokens: 512, cache_read_input_tokens: 1536, output_tokens: 20 }
    ;(answer.json as any).usage = { ...(answer.json as any).usage, ...wireUsage }
    const start = (answer.chunks as any[]).find((event) => event.type === 'message_start')
    start.message.usage = { ...start.message.usage, ...wireUsage, output_tokens: 1 }
    const delta = (answer.chunks as any[]).find((event) => event.type === 'message_delta')
    delta.usage = { ...delta.usage, ...wireUsage }
    return { ...answer, cacheReadTokens: 1536, cacheWriteTokens: 512 }
  },
  contentFilteredAnswer: () => ({ json: recordedJson('anthropic', 'anthropic-refusal'), chunks: recordedChunks('anthropic', 'anthropic-refusal') }),
  expectFromJson,
  expectFromChunks,
  readRequest,
  error(kind) {
    switch (kind) {
      case 'invalid':
        return anthropicError(400, 'invalid_request_error', 'messages.0.content: Input should be a valid list')
      case 'auth':
        return anthropicError(401, 'authentication_error', `invalid x-api-key: ${apiKey}`)
      case 'rate-limit':
        return {
          ...anthropicError(429, 'rate_limit_error', 'This request would exceed the rate limit for your organization of 50 requests per minute.', { 'retry-after': '12' }),
          retryAfterMs: 12_000,
          retryAfterSource: 'retry-after header, in seconds',
        }
      case 'server':
        return anthropicError(500, 'api_error', 'Internal server error')
      case 'overloaded':
        return anthropicError(529, 'overloaded_error', 'Overloaded')
      case 'context-length':
        return anthropicError(400, 'invalid_request_error', 'prompt is too long: 215000 tokens > 200000 maximum')
      case 'content-filter':
        // Anthropic signals it in the answer: stop_reason "refusal" (see contentFilteredAnswer).
        return undefined
    }
  },
  promptCaching: { kind: 'markers' },
  noArgumentToolSchema: { type: 'object', properties: {} },
  parameters: {
    temperature: { kind: 'sent', read: (body) => body.temperature },
    top_p: { kind: 'sent', read: (body) => body.top_p },
    max_tokens: { kind: 'sent', read: (body) => body.max_tokens },
    stop: { kind: 'sent', read: (body) => body.stop_sequences },
    seed: { kind: 'rejected', feature: 'seed' },
    presence_penalty: { kind: 'rejected', feature: 'presence_penalty' },
    frequency_penalty: { kind: 'rejected', feature: 'frequency_penalty' },
    tool_choice: { kind: 'sent', read: (body) => (body.tool_choice?.type === 'any' ? 'required' : body.tool_choice?.type) },
    tool_choice_named: { kind: 'sent', read: (body) => (body.tool_choice?.type === 'tool' ? body.tool_choice.name : undefined) },
    parallel_tool_calls: { kind: 'sent', read: (body) => (body.tool_choice?.disable_parallel_tool_use === true ? false : undefined) },
    user: { kind: 'sent', read: (body) => body.metadata?.user_id },
    reasoning_effort: {
      kind: 'emulated',
      how: 'extended thinking with a token budget below max_tokens',
      read: (body) => body.thinking?.type === 'enabled' && body.thinking.budget_tokens > 0 && body.max_tokens > body.thinking.budget_tokens,
    },
    json_object: {
      kind: 'emulated',
      how: 'a forced `json` tool with an open object schema',
      read: (body) => body.tool_choice?.type === 'tool' && body.tools?.some((tool: any) => tool.name === body.tool_choice.name && tool.input_schema?.type === 'object'),
    },
  },
  support: { jsonSchema: { kind: 'native' }, image: { kind: 'native' }, embeddings: { kind: 'rejected', feature: 'embeddings' } },
  jsonEmulation,
}

