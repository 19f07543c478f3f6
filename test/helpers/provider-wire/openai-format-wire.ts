import type { SetupServer } from 'msw/node'
import type { FinishReason, ProviderAdapter } from '../../../src/index.js'
import { recordedChunks, recordedJson } from '../recordings.js'
import {
  captureCalls,
  contentText,
  copy,
  emptyRequestView,
  hangingSseAnswer,
  jsonAnswer,
  parseArguments,
  sseAnswer,
  usage,
  type ErrorKind,
  type ExpectedOutcome,
  type ParameterHandling,
  type ProviderName,
  type ProviderWire,
  type RequestView,
  type WireAnswer,
  type WireCall,
  type WireError,
  type WireToolCall,
} from './provider-wire.js'

/**
 * The OpenAI Chat Completions wire format, which OpenAI, Groq and Mistral all speak with small
 * differences (Mistral's finish reasons and whole-call tool deltas, Groq's `reasoning` field and
 * usage inside the finish chunk). Each provider file configures this with its own recordings.
 */
export interface OpenAIFormatConfig {
  provider: ProviderName
  model: string
  apiKey: string
  /** Base URL the official SDK calls by default (`…/v1`), without a trailing slash. */
  baseURL: string
  create(): ProviderAdapter
  /** The folder of `test/fixtures/recorded/` the recordings come from; default: the provider's own. */
  recordingsFolder?: string
  /** Where the SDK posts chat and embeddings requests; default `baseURL` + `/chat/completions`, `/embeddings`. */
  chatURL?: string
  embeddingsURL?: string
  /** Chunks the host sends before the first recorded one (Azure's prompt content-filter chunk). */
  leadingChunks?: unknown[]
  recordings: {
    /** Recorded plain-text answer (`<name>.json` and `<name>.chunks.txt`). */
    text: string
    /** Recorded tool-call answer, when the provider has one; otherwise built on the text recording. */
    toolCall?: string
  }
  /** How streamed tool calls arrive: OpenAI/Groq send `index` and argument pieces; Mistral sends whole calls. */
  streamedToolCalls: 'incremental' | 'whole'
  /** Where streamed usage arrives: a separate last chunk with no choices (OpenAI) or in the finish chunk. */
  streamedUsage: 'separate-chunk' | 'finish-chunk'
  /**
   * Where reasoning text travels, if the provider returns it: a message / delta field (Groq's
   * `reasoning`) or `thinking` content chunks (Mistral's Magistral models).
   */
  reasoning: { field: 'reasoning' | 'reasoning_content' } | 'thinking-chunks' | 'tokens-only'
  errors: Record<ErrorKind, WireError>
  support: ProviderWire['support']
  embeddingModel?: string
  toolCallIdFormat?: RegExp
  promptCaching: ProviderWire['promptCaching']
  /** Where the body carries each parameter; the OpenAI names are the default. */
  parameters?: Partial<ProviderWire['parameters']>
  /** Fields the provider adds to its embeddings response (Mistral: `id`, `usage.completion_tokens`). */
  embeddingResponseExtras?: { id?: string; usage?: Record<string, number> }
}

function finishReasonFromOpenAIFormat(reason: string | null | undefined, hasToolCalls: boolean): FinishReason {
  switch (reason) {
    case 'length':
    case 'model_length':
      return 'length'
    case 'tool_calls':
      return 'tool_calls'
    case 'content_filter':
      return 'content_filter'
    default:
      return hasToolCalls ? 'tool_calls' : 'stop'
  }
}

/** OpenAI-format usage counts cached tokens inside `prompt_tokens`; canonical input excludes them. */
function usageFromOpenAIFormat(wire: any) {
  if (!wire) return usage({})
  const cached = wire.prompt_tokens_details?.cached_tokens ?? 0
  return usage({
    inputTokens: (wire.prompt_tokens ?? 0) - cached,
    cacheReadTokens: cached,
    outputTokens: wire.completion_tokens ?? 0,
    reasoningTokens: wire.completion_tokens_details?.reasoning_tokens ?? 0,
  })
}

function wireArguments(value: unknown): Record<string, unknown> {
  return typeof value === 'string' ? parseArguments(value) : ((value ?? {}) as Record<string, unknown>)
}

function imageFromUrl(imageUrl: unknown): { mediaType?: string; data?: string; url?: string } {
  const url = typeof imageUrl === 'string' ? imageUrl : (imageUrl as { url: string }).url
  const match = /^data:([^;]+);base64,(.*)$/.exec(url)
  return match ? { mediaType: match[1], data: match[2] } : { url }
}

function readOpenAIFormatRequest(call: WireCall): RequestView {
  const view = emptyRequestView(call.body, [])
  for (const message of call.body.messages ?? []) {
    if (message.role === 'system' || message.role === 'developer') view.systemTexts.push(contentText(message.content))
    if (message.role === 'user') {
      const parts = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content
      for (const part of parts) {
        if (part.type === 'text') view.userTexts.push(part.text)
        if (part.type === 'image_url') view.images.push(imageFromUrl(part.image_url))
      }
    }
    if (message.role === 'assistant') {
      for (const call of message.tool_calls ?? []) {
        view.assistantToolCalls.push({ id: call.id, name: call.function.name, arguments: wireArguments(call.function.arguments) })
      }
    }
    if (message.role === 'tool') view.toolResults.push({ callId: message.tool_call_id, name: message.name, content: contentText(message.content) })
  }
  for (const tool of call.body.tools ?? []) {
    view.tools.push({ name: tool.function.name, description: tool.function.description, parameters: tool.function.parameters })
  }
  const format = call.body.response_format
  if (format?.type === 'json_schema') view.outputSchema = format.json_schema?.schema
  return view
}

export function openAIFormatWire(config: OpenAIFormatConfig): ProviderWire {
  const { provider, recordings } = config
  const folder = config.recordingsFolder ?? provider
  const format = { namedEvents: false, done: true }
  const textJson = () => recordedJson(folder, recordings.text)
  const textChunks = () => [...copy(config.leadingChunks ?? []), ...recordedChunks(folder, recordings.text)]
  function reasoningOf(message: any): string | undefined {
    if (typeof config.reasoning === 'object') return message?.[config.reasoning.field] ?? undefined
    if (config.reasoning !== 'thinking-chunks' || !Array.isArray(message?.content)) return undefined
    const thinking = message.content.filter((part: any) => part.type === 'thinking')
    return thinking.length > 0 ? thinking.flatMap((part: any) => part.thinking).map((part: any) => part.text).join('') : undefined
  }

  function expectFromJson(json: any): ExpectedOutcome {
    const choice = json.choices[0]
    const toolCalls: WireToolCall[] = (choice.message.tool_calls ?? []).map((call: any) => ({
      id: call.id,
      name: call.function.name,
      arguments: wireArguments(call.function.arguments),
    }))
    const reasoning = reasoningOf(choice.message)
    return {
      text: contentText(choice.message.content) || null,
      toolCalls,
      usage: usageFromOpenAIFormat(json.usage),
      finishReason: finishReasonFromOpenAIFormat(choice.finish_reason, toolCalls.length > 0),
      ...(reasoning ? { reasoning } : {}),
    }
  }

  function expectFromChunks(chunks: any[]): ExpectedOutcome {
    let text = ''
    let reasoning = ''
    let finishReason: string | null = null
    let wireUsage: unknown
    const calls: Array<{ id?: string; name: string; arguments: string }> = []
    const byIndex = new Map<number, (typeof calls)[number]>()
    for (const chunk of chunks) {
      if (chunk.usage) wireUsage = chunk.usage
      const choice = chunk.choices?.[0]
      if (!choice) continue
      text += contentText(choice.delta?.content)
      reasoning += reasoningOf(choice.delta) ?? ''
      for (const delta of choice.delta?.tool_calls ?? []) {
        // A delta without `index` carries one whole call (Mistral).
        const existing = delta.index === undefined ? undefined : byIndex.get(delta.index)
        if (existing) {
          existing.arguments += delta.function?.arguments ?? ''
          continue
        }
        const call = { id: delta.id, name: delta.function?.name ?? '', arguments: typeof delta.function?.arguments === 'string' ? delta.function.arguments : JSON.stringify(delta.function?.arguments ?? {}) }
        calls.push(call)
        if (delta.index !== undefined) byIndex.set(delta.index, call)
      }
      if (choice.finish_reason) finishReason = choice.finish_reason
    }
    const toolCalls = calls.map((call) => ({ id: call.id, name: call.name, arguments: parseArguments(call.arguments) }))
    return {
      text: text || null,
      toolCalls,
      usage: usageFromOpenAIFormat(wireUsage),
      finishReason: finishReasonFromOpenAIFormat(finishReason, toolCalls.length > 0),
      ...(reasoning ? { reasoning } : {}),
    }
  }

  /** The recorded tool-call answer as a template, or the text answer turned into one. */
  function toolCallTemplate(): { json: any; chunks: any[] } {
    if (recordings.toolCall) return { json: recordedJson(folder, recordings.toolCall), chunks: [...copy(config.leadingChunks ?? []), ...recordedChunks(folder, recordings.toolCall)] }
    return { json: textJson(), chunks: textChunks() }
  }

  function wireCall(call: WireToolCall, index: number) {
    return { id: call.id ?? `call_${index}`, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.arguments) } }
  }

  function streamWith(template: any[], deltas: any[], finishReason: string, wireUsage: unknown): any[] {
    const first = copy(template[0])
    const base = { ...first, usage: undefined }
    const chunk = (delta: any, finish: string | null = null, extra: Record<string, unknown> = {}) => ({
      ...copy(base),
      choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
      ...extra,
    })
    const chunks = [first, ...deltas.map((delta) => chunk(delta))]
    if (config.streamedUsage === 'finish-chunk') {
      chunks.push(chunk({}, finishReason, { usage: wireUsage }))
    } else {
      chunks.push(chunk({}, finishReason))
      chunks.push({ ...copy(base), choices: [], usage: wireUsage })
    }
    return chunks
  }

  function toolCalls(calls: WireToolCall[]): WireAnswer {
    const template = toolCallTemplate()
    const json = copy(template.json)
    json.choices[0].message = { role: 'assistant', content: null, tool_calls: calls.map(wireCall) }
    json.choices[0].finish_reason = 'tool_calls'
    const streamedUsage = [...template.chunks].reverse().find((chunk) => chunk.usage)?.usage ?? json.usage
    const deltas =
      config.streamedToolCalls === 'whole'
        ? [{ content: null, tool_calls: calls.map(wireCall) }]
        : calls.flatMap((call, index) => {
            const whole = wireCall(call, index)
            const argumentsText = whole.function.arguments
            const middle = Math.floor(argumentsText.length / 2)
            return [
              { tool_calls: [{ index, id: whole.id, type: 'function', function: { name: call.name, arguments: '' } }] },
              { tool_calls: [{ index, function: { arguments: argumentsText.slice(0, middle) } }] },
              { tool_calls: [{ index, function: { arguments: argumentsText.slice(middle) } }] },
            ]
          })
    return { json, chunks: streamWith(template.chunks, deltas, 'tool_calls', streamedUsage) }
  }

  function textWith(content: string): WireAnswer {
    const json = copy(textJson())
    json.choices[0].message = { role: 'assistant', content }
    const chunks = textChunks()
    const streamedUsage = [...chunks].reverse().find((chunk) => chunk.usage)?.usage
    return { json, chunks: streamWith(chunks, [{ role: 'assistant', content }], 'stop', streamedUsage) }
  }

  function reasoning() {
    const reasoningConfig = config.reasoning
    const reasoningText = 'The user greets me; a short friendly answer fits.'
    const answer = textWith('Hello!')
    const message = (answer.json as any).choices[0].message
    const deltaChunk = (answer.chunks as any[])[1]
    if (reasoningConfig === 'tokens-only') {
      // OpenAI's Chat Completions never returns reasoning text, only the count of reasoning tokens.
      const wireUsage = { prompt_tokens: 30, completion_tokens: 120, total_tokens: 150, completion_tokens_details: { reasoning_tokens: 96 } }
      ;(answer.json as any).usage = wireUsage
      ;([...answer.chunks].reverse().find((chunk: any) => chunk.usage) as any).usage = wireUsage
      return { ...answer, reasoningTokens: 96 }
    }
    if (reasoningConfig === 'thinking-chunks') {
      const content = [{ type: 'thinking', thinking: [{ type: 'text', text: reasoningText }] }, { type: 'text', text: 'Hello!' }]
      message.content = content
      deltaChunk.choices[0].delta.content = content
    } else {
      message[reasoningConfig.field] = reasoningText
      answer.chunks.splice(1, 0, { ...copy(deltaChunk), choices: [{ index: 0, delta: { [reasoningConfig.field]: reasoningText }, finish_reason: null, logprobs: null }] })
    }
    return { ...answer, reasoningText, reasoningTokens: 0 }
  }

  const wire: ProviderWire = {
    provider,
    ...(config.recordingsFolder ? { recordingsFolder: config.recordingsFolder } : {}),
    model: config.model,
    apiKey: config.apiKey,
    create: config.create,
    support: config.support,
    promptCaching: config.promptCaching,
    // Strict hosts want an object schema even for a tool without arguments.
    noArgumentToolSchema: { type: 'object', properties: {} },
    parameters: { ...openAIParameters(), ...config.parameters },
    embeddingModel: config.embeddingModel,
    ...(config.toolCallIdFormat ? { toolCallIdFormat: config.toolCallIdFormat } : {}),
    serveChat: (server, respond) => captureCalls(server, config.chatURL ?? `${config.baseURL}/chat/completions`, (_url, body) => body.stream === true, respond),
    jsonResponse: (json) => jsonAnswer(json),
    streamResponse: (chunks, options) => sseAnswer(chunks, format, options),
    hangingStreamResponse: (chunks, until) => hangingSseAnswer(chunks, format, until),
    text: () => ({ json: textJson(), chunks: textChunks() }),
    truncated() {
      const json = copy(textJson())
      json.choices[0].finish_reason = 'length'
      const chunks = textChunks().map((chunk) => (chunk.choices?.[0]?.finish_reason ? { ...chunk, choices: [{ ...chunk.choices[0], finish_reason: 'length' }] } : chunk))
      return { json, chunks }
    },
    ...(recordings.toolCall ? { recordedToolCall: () => toolCallTemplate() } : {}),
    toolCalls,
    textWith,
    jsonOutput: (value) => textWith(JSON.stringify(value)),
    reasoning,
    cachedUsage() {
      const answer = textWith('Cached answer.')
      const wireUsage = { prompt_tokens: 2048, completion_tokens: 12, total_tokens: 2060, prompt_tokens_details: { cached_tokens: 1536 } }
      ;(answer.json as any).usage = wireUsage
      const last = [...answer.chunks].reverse().find((chunk: any) => chunk.usage) as any
      last.usage = wireUsage
      return { ...answer, cacheReadTokens: 1536, cacheWriteTokens: 0 }
    },
    expectFromJson,
    expectFromChunks,
    readRequest: readOpenAIFormatRequest,
    error: (kind) => config.errors[kind],
  }
  if (config.embeddingModel) {
    wire.serveEmbeddings = (server: SetupServer, vectors: number[][], inputTokens: number) =>
      captureCalls(server, config.embeddingsURL ?? `${config.baseURL}/embeddings`, () => false, () =>
        jsonAnswer({
          object: 'list',
          model: config.embeddingModel,
          data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
          ...(config.embeddingResponseExtras?.id ? { id: config.embeddingResponseExtras.id } : {}),
          usage: { prompt_tokens: inputTokens, total_tokens: inputTokens, ...config.embeddingResponseExtras?.usage },
        }),
      )
  }
  return wire
}

/** A parameter the body carries; `read` finds it and returns it in canonical form. */
export const sentParameter = (read: (body: Record<string, any>) => unknown): ParameterHandling => ({ kind: 'sent', read })

/** Parameters as OpenAI Chat Completions names them, read back in canonical form. */
function openAIParameters(): ProviderWire['parameters'] {
  return {
    temperature: sentParameter((body) => body.temperature),
    top_p: sentParameter((body) => body.top_p),
    max_tokens: sentParameter((body) => body.max_tokens),
    stop: sentParameter((body) => body.stop),
    seed: sentParameter((body) => body.seed),
    presence_penalty: sentParameter((body) => body.presence_penalty),
    frequency_penalty: sentParameter((body) => body.frequency_penalty),
    tool_choice: sentParameter((body) => body.tool_choice),
    tool_choice_named: sentParameter((body) => body.tool_choice?.function?.name),
    parallel_tool_calls: sentParameter((body) => body.parallel_tool_calls),
    user: sentParameter((body) => body.user),
    json_object: sentParameter((body) => body.response_format?.type === 'json_object'),
    reasoning_effort: sentParameter((body) => body.reasoning_effort === 'low'),
  }
}

/** OpenAI's error body, which Groq copies: `{ error: { message, type, param, code } }`. */
export function openAIErrorBody(message: string, type: string | null, code: string | null = null) {
  return { error: { message, type, param: null, code } }
}
