import { sleep } from '../../internal/abortable.js'
import {
  AuthenticationError,
  ConfigurationError,
  ContentFilteredError,
  ContextLengthExceededError,
  InvalidRequestError,
  ProviderError,
  RateLimitError,
  SwitchyardError,
  TimeoutError,
} from '../../errors/errors.js'
import type { ModelRequest } from '../../spec/request.js'
import type { EmbedModelResponse, FinishReason, ModelResponse } from '../../spec/response.js'
import type { StreamEvent } from '../../spec/stream-event.js'
import type { Usage } from '../../spec/usage.js'
import { emptyUsage } from '../../provider-kit/usage.js'
import type { AssistantMessage } from '../../spec/message.js'
import type { ModelCapabilities, ProviderAdapter } from '../../spec/provider-adapter.js'
import { defineProvider } from '../../provider-kit/define-provider.js'

/** Shorthand for a scripted failure. */
export type MockErrorKind = 'rate_limit' | 'server' | 'overloaded' | 'timeout' | 'auth' | 'invalid' | 'context_length' | 'content_filter'

/** One scripted answer. Every field is optional; an empty reply answers "ok". */
export interface MockReply {
  text?: string
  toolCalls?: Array<{ id?: string; name: string; arguments?: string | Record<string, unknown> }>
  reasoning?: string
  finishReason?: FinishReason
  /** Usage to report; missing parts are estimated at ~4 characters per token. */
  usage?: Partial<Usage>
  /** Milliseconds before the answer (for streams: before the first token). */
  latencyMs?: number
  /** Milliseconds between streamed chunks. */
  chunkDelayMs?: number
  /** Fail instead of answering: a typed error, or a shorthand kind. */
  error?: SwitchyardError | MockErrorKind
  /** With `error` of kind rate_limit: the retry-after the provider sends. */
  retryAfterMs?: number
  /** For streams: fail with `error` after this many text chunks (a stream that breaks mid-way). */
  failAfterChunks?: number
}

export type MockScript = MockReply | string | Array<MockReply | string> | ((request: ModelRequest, call: number) => MockReply | string)

export interface MockProviderOptions {
  /** Provider id used in model ids. Default `mock`. */
  id?: string
  /** The models it serves and how each answers: one reply, a sequence (the last repeats), or a function. */
  models: Record<string, MockScript>
  /** Capabilities per model, for strategies that filter (default: everything supported). */
  capabilities?: Record<string, Partial<ModelCapabilities>>
  /** Embedding dimensions for `embed()`. Default 8. */
  embeddingDimensions?: number
  /** Price catalog id to use for default prices, when the mock stands in for a real provider. */
  catalogId?: string
  /**
   * What `calls` keeps: `'all'` (the default: every call, for assertions), `'none'` (nothing: for
   * load tests and long-running demos, where a log of every request would grow without end), or a
   * number: the most recent calls only, at most that many.
   */
  callLog?: 'all' | 'none' | number
}

export interface MockCall {
  model: string
  request: ModelRequest | { model: string; input: string[] }
  kind: 'chat' | 'stream' | 'embed'
  /** The signal the call ran under: `signal.aborted` tells whether the router cancelled it. */
  signal: AbortSignal
}

export interface MockProvider extends ProviderAdapter {
  readonly models: readonly string[]
  /** Every call received, in order. */
  readonly calls: MockCall[]
}

function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4))
}

function promptText(request: ModelRequest): string {
  return request.messages
    .map((message) =>
      typeof message.content === 'string'
        ? message.content
        : (message.content ?? []).map((part) => ('text' in part ? part.text : '')).join(''),
    )
    .join('\n')
}

function toError(reply: MockReply, provider: string, model: string): SwitchyardError {
  if (reply.error instanceof SwitchyardError) return reply.error
  const details = { provider, model }
  const message = `${provider}/${model}: scripted ${reply.error}`
  switch (reply.error) {
    case 'rate_limit':
      return new RateLimitError(message, { ...details, status: 429, retryable: true, retryAfterMs: reply.retryAfterMs })
    case 'overloaded':
      return new ProviderError(message, { ...details, status: 529, retryable: true })
    case 'timeout':
      return new TimeoutError(message, { ...details, status: 408, retryable: true })
    case 'auth':
      return new AuthenticationError(message, { ...details, status: 401 })
    case 'invalid':
      return new InvalidRequestError(message, { ...details, status: 400 })
    case 'context_length':
      return new ContextLengthExceededError(message, { ...details, status: 400 })
    case 'content_filter':
      return new ContentFilteredError(message, { ...details, status: 400 })
    default:
      return new ProviderError(message, { ...details, status: 500, retryable: true })
  }
}

/** Splits text into small chunks the way a provider streams it. */
function chunkText(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? []
}

/**
 * A scripted provider for tests and demos: answers, errors, latency and streams, with no network.
 * It implements the same adapter interface as the real providers, so everything the router does
 * with a real provider it does with a mock.
 */
export function mockProvider(options: MockProviderOptions): MockProvider {
  const id = options.id ?? 'mock'
  const callCounts = new Map<string, number>()
  const calls: MockCall[] = []
  const callLog = options.callLog ?? 'all'
  if (callLog !== 'all' && callLog !== 'none' && !(Number.isInteger(callLog) && callLog > 0)) {
    throw new ConfigurationError(`mockProvider: callLog must be 'all', 'none' or a positive whole number of calls to keep, got ${String(callLog)}.`)
  }
  let callCount = 0
  const record = (call: MockCall) => {
    callCount += 1
    if (callLog === 'none') return
    calls.push(call)
    if (callLog !== 'all' && calls.length > callLog) calls.splice(0, calls.length - callLog)
  }

  function nextReply(request: ModelRequest): MockReply {
    const script = options.models[request.model]
    if (script === undefined) {
      throw new InvalidRequestError(`${id}/${request.model}: the mock provider has no such model.`, { provider: id, model: request.model, status: 404 })
    }
    const call = callCounts.get(request.model) ?? 0
    callCounts.set(request.model, call + 1)
    const reply =
      typeof script === 'function'
        ? script(request, call)
        : Array.isArray(script)
          ? script[Math.min(call, script.length - 1)]!
          : script
    return typeof reply === 'string' ? { text: reply } : reply
  }

  function usageFor(request: ModelRequest, reply: MockReply, output: string): Usage {
    return {
      ...emptyUsage(),
      inputTokens: estimateTokens(promptText(request)),
      outputTokens: estimateTokens(output),
      ...reply.usage,
    }
  }

  function toolCallsOf(reply: MockReply) {
    return (reply.toolCalls ?? []).map((call, index) => ({
      id: call.id ?? `call_${index}`,
      type: 'function' as const,
      function: {
        name: call.name,
        arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {}),
      },
    }))
  }

  const models = Object.keys(options.models)
  // Written with the provider kit like every built-in; scripted errors are typed already and pass
  // through its error mapping unchanged.
  return defineProvider({
    id,
    settings: { models },
    catalogId: options.catalogId,
    capabilities: (model) => options.capabilities?.[model] ?? {},
    extend: { calls, models },

    async chat(request: ModelRequest, { signal }): Promise<ModelResponse> {
      record({ model: request.model, request, kind: 'chat', signal })
      const reply = nextReply(request)
      if (reply.latencyMs) await sleep(reply.latencyMs, signal)
      if (reply.error) throw toError(reply, id, request.model)
      const toolCalls = toolCallsOf(reply)
      const text = reply.text ?? (toolCalls.length > 0 ? '' : 'ok')
      const message: AssistantMessage = { role: 'assistant', content: text === '' && toolCalls.length > 0 ? null : text }
      if (toolCalls.length > 0) message.tool_calls = toolCalls
      if (reply.reasoning) message.reasoning = reply.reasoning
      return {
        id: `mock-${request.model}-${callCount}`,
        model: request.model,
        message,
        finishReason: reply.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
        usage: usageFor(request, reply, text + JSON.stringify(toolCalls)),
      }
    },

    async *stream(request: ModelRequest, { signal }): AsyncGenerator<StreamEvent> {
      record({ model: request.model, request, kind: 'stream', signal })
      const reply = nextReply(request)
      if (reply.latencyMs) await sleep(reply.latencyMs, signal)
      if (reply.error && reply.failAfterChunks === undefined) throw toError(reply, id, request.model)
      yield { type: 'response-start', id: `mock-${request.model}-${callCount}`, model: request.model }
      if (reply.reasoning) yield { type: 'reasoning-delta', text: reply.reasoning }
      const toolCalls = toolCallsOf(reply)
      const text = reply.text ?? (toolCalls.length > 0 ? '' : 'ok')
      let sent = 0
      for (const piece of chunkText(text)) {
        if (reply.failAfterChunks !== undefined && sent >= reply.failAfterChunks) throw toError(reply, id, request.model)
        if (sent > 0 && reply.chunkDelayMs) await sleep(reply.chunkDelayMs, signal)
        yield { type: 'text-delta', text: piece }
        sent += 1
      }
      if (reply.error) throw toError(reply, id, request.model)
      for (const [index, call] of toolCalls.entries()) {
        yield { type: 'tool-call-start', index, id: call.id, name: call.function.name }
        yield { type: 'tool-call-delta', index, argumentsDelta: call.function.arguments }
        yield { type: 'tool-call-end', index, id: call.id, name: call.function.name, arguments: call.function.arguments }
      }
      yield {
        type: 'finish',
        finishReason: reply.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
        usage: usageFor(request, reply, text + JSON.stringify(toolCalls)),
      }
    },

    async embed(request, { signal }): Promise<EmbedModelResponse> {
      record({ model: request.model, request, kind: 'embed', signal })
      const reply = nextReply({ model: request.model, messages: [{ role: 'user', content: request.input.join('\n') }] })
      if (reply.latencyMs) await sleep(reply.latencyMs, signal)
      if (reply.error) throw toError(reply, id, request.model)
      const dimensions = request.dimensions ?? options.embeddingDimensions ?? 8
      return {
        model: request.model,
        // Deterministic vectors derived from the text, so equal inputs embed equally.
        embeddings: request.input.map((text, index) => ({
          index,
          embedding: Array.from({ length: dimensions }, (_, position) => ((text.charCodeAt(position % Math.max(1, text.length)) || 0) % 97) / 97),
        })),
        usage: { inputTokens: reply.usage?.inputTokens ?? request.input.reduce((sum, text) => sum + estimateTokens(text), 0) },
      }
    },
  })
}
