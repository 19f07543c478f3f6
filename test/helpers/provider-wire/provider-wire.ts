import { http, HttpResponse } from 'msw'
import type { SetupServer } from 'msw/node'
import type { FinishReason, ProviderAdapter, Usage } from '../../../src/index.js'

/**
 * One provider's wire format, written from the provider's API documentation and recorded traffic,
 * independently of its adapter: how to answer the real SDK (JSON and SSE), how to read what the SDK
 * sent, and what canonical outcome a wire answer must produce. The parity matrix runs the same
 * canonical requests through every `ProviderWire`.
 */
export type ProviderName = 'openai' | 'anthropic' | 'google' | 'mistral' | 'groq' | 'azure' | 'bedrock' | 'vertex' | 'anthropic-vertex'

/** A request the real SDK sent to the msw handler. */
export interface WireCall {
  url: URL
  headers: Headers
  body: Record<string, any>
  /** Whether the SDK asked for a stream (a body flag or a streaming endpoint). */
  stream: boolean
  /** Aborted when the client gave up on the request. */
  signal: AbortSignal
  /**
   * The request msw handed over, kept so that `signal` keeps following the client's: Node's fetch
   * links a Request's signal to its source through a weak reference, so once the Request is
   * garbage-collected an abort no longer reaches `signal` (a GC during a test made it flaky).
   */
  request?: Request
}

export type Responder = (call: WireCall, index: number) => Response | Promise<Response>

/** A tool call as the provider's wire format carries it (`id` is absent where the provider has none). */
export interface WireToolCall {
  id?: string
  name: string
  arguments: Record<string, unknown>
}

/** The canonical outcome a wire answer must come out as. */
export interface ExpectedOutcome {
  /** Answer text; `null` when the answer has none. */
  text: string | null
  toolCalls: WireToolCall[]
  usage: Usage
  finishReason: FinishReason
  /** Reasoning / thinking text, when the answer carries it. */
  reasoning?: string
}

/** What reached the provider, read back into provider-neutral terms. */
export interface RequestView {
  systemTexts: string[]
  userTexts: string[]
  /** Earlier assistant tool calls sent back for a multi-turn conversation. */
  assistantToolCalls: WireToolCall[]
  /** Tool results, with the call id (or the tool name, where the provider matches by name). */
  toolResults: Array<{ callId?: string; name?: string; content: unknown }>
  tools: Array<{ name: string; description?: string; parameters?: Record<string, unknown> }>
  images: Array<{ mediaType?: string; data?: string; url?: string }>
  /** The JSON schema the output must follow, wherever the provider takes it. */
  outputSchema?: Record<string, unknown>
  /** Whether cache-control markers reached the provider, and where. */
  cacheMarkers: number
}

export type ErrorKind = 'invalid' | 'auth' | 'rate-limit' | 'server' | 'overloaded' | 'context-length' | 'content-filter'

/** An error answer in the provider's own format, with what the typed error must carry. */
export interface WireError {
  status: number
  body: unknown
  headers?: Record<string, string>
  /** `retryAfterMs` the typed error must carry (from a header, or Google's RetryInfo body). */
  retryAfterMs?: number
  /** Where the retry-after comes from, named in the test's title. */
  retryAfterSource?: string
}

/** Request parameters of the canonical dialect whose handling the matrix checks per provider. */
export type ParameterName =
  | 'temperature'
  | 'top_p'
  | 'max_tokens'
  | 'stop'
  | 'seed'
  | 'presence_penalty'
  | 'frequency_penalty'
  | 'tool_choice'
  | 'tool_choice_named'
  | 'parallel_tool_calls'
  | 'user'
  | 'json_object'
  | 'reasoning_effort'

/**
 * What an adapter does with a request parameter: sends it (read back in canonical form from the
 * body), emulates it, rejects it with `UnsupportedFeatureError`, or leaves it out where that is
 * documented (`user` is forwarded only where a provider accepts one). There is no fifth way: a
 * parameter left out without notice is a bug.
 */
export type ParameterHandling =
  | { kind: 'sent'; read(body: Record<string, any>): unknown }
  /** Emulated in the request (`read` finds the stand-in) or in the answer (`answer` then `verify`). */
  | {
      kind: 'emulated'
      how: string
      read?(body: Record<string, any>): unknown
      answer?(): WireAnswer
      verify?(toolCalls: Array<{ id: string; name: string; arguments: string }>): void
    }
  | { kind: 'rejected'; feature: string }
  | { kind: 'ignored'; why: string; absent(body: Record<string, any>): boolean }

/** How an adapter handles a feature it may not have natively. */
export type FeatureSupport =
  | { kind: 'native' }
  | { kind: 'emulated'; how: string }
  | { kind: 'rejected'; feature: string }

/** A complete answer: a non-streamed body, a streamed payload list, and the outcome they encode. */
export interface WireAnswer {
  json: unknown
  chunks: unknown[]
}

export interface ProviderWire {
  provider: ProviderName
  /** The folder of `test/fixtures/recorded/` this wire's recordings come from, when not its own (a cloud host of another provider's models). */
  recordingsFolder?: string
  model: string
  apiKey: string
  /** The real adapter, constructed with the test key. */
  create(): ProviderAdapter
  /** Serves the chat endpoint (streaming and not) with `respond`; returns every call the SDK made. */
  serveChat(server: SetupServer, respond: Responder): WireCall[]
  /** A `Response` with `json` as the non-streamed answer. */
  jsonResponse(json: unknown): Response
  /** A `Response` streaming `chunks` in the provider's SSE format. */
  streamResponse(chunks: unknown[], options?: { breakAfter?: number }): Response
  /** A stream that sends `chunks`, then stays open until `until` (the request's signal) aborts. */
  hangingStreamResponse(chunks: unknown[], until: AbortSignal): Response

  /** The recorded plain-text answer. */
  text(): WireAnswer
  /** The recorded tool-call answer, where the provider has one. */
  recordedToolCall?(): WireAnswer
  /** An answer carrying these tool calls, built on a recorded tool-call answer where one exists. */
  toolCalls(calls: WireToolCall[]): WireAnswer
  /** The recorded text answer, cut off by the output limit (finish reason `length` in canonical terms). */
  truncated(): WireAnswer
  /** A text answer with this content. */
  textWith(content: string): WireAnswer
  /** The answer to a json_schema request producing `value` (a text answer, or the emulation's own form). */
  jsonOutput(value: Record<string, unknown>): WireAnswer
  /**
   * An answer with reasoning: its text where the provider returns reasoning text (`undefined` for
   * OpenAI Chat Completions, which returns only the count), and the reasoning tokens usage reports.
   */
  reasoning(): WireAnswer & { reasoningText?: string; reasoningTokens: number }
  /**
   * An answer carrying an opaque signature the provider wants back on the next turn (Anthropic
   * thinking signatures, Gemini thought signatures), and that signature in each form of the answer.
   */
  signedAnswer?(): { answer: WireAnswer; signature: { json: string; chunks: string } }
  /** An answer whose usage reports cache-read (and, where the provider has them, cache-write) tokens. */
  cachedUsage(): WireAnswer & { cacheReadTokens: number; cacheWriteTokens: number }
  /** A blocked answer (HTTP 200) where the provider signals content filtering that way. */
  contentFilteredAnswer?(): WireAnswer

  /** The canonical outcome of a non-streamed wire answer (the oracle). */
  expectFromJson(json: any): ExpectedOutcome
  /** The canonical outcome of a streamed wire answer. */
  expectFromChunks(chunks: any[]): ExpectedOutcome
  /** Status and retry-after of a recorded error body, for error recordings. */
  expectErrorFromJson?(json: any): { status: number; retryAfterMs?: number }
  readRequest(call: WireCall): RequestView
  /** The provider's error answer of this kind; `undefined` where the provider signals it another way (see `contentFilteredAnswer`). */
  error(kind: ErrorKind): WireError | undefined

  /**
   * How the provider caches prompts: inline markers the adapter must forward (Anthropic), or
   * caching the provider does by itself, where our `cache_control` markers have nothing to map to.
   */
  promptCaching: { kind: 'markers' } | { kind: 'automatic'; how: string }
  parameters: Record<ParameterName, ParameterHandling>
  /** The schema a tool without `parameters` goes out with (`undefined`: none, which Gemini wants). */
  noArgumentToolSchema: Record<string, unknown> | undefined
  /** The tool-call id format the provider insists on, where the adapter must rewrite ids (Mistral: 9 letters or digits). */
  toolCallIdFormat?: RegExp
  /** How the adapter handles `response_format: json_schema` and image input (`imageUrl`: by https URL, when it differs from `image`). */
  support: { jsonSchema: FeatureSupport; image: FeatureSupport; imageUrl?: FeatureSupport; embeddings: FeatureSupport }
  /** Models on which json_schema output is emulated, and the emulation's recorded answer. */
  jsonEmulation?: JsonEmulation
  /** Serves the embeddings endpoint, for providers with embeddings. */
  serveEmbeddings?(server: SetupServer, vectors: number[][], inputTokens: number): WireCall[]
  embeddingModel?: string
  /** `false` where the provider reports no token count for embeddings (the Gemini API). */
  embeddingTokensReported?: false
}

export interface JsonEmulation {
  model: string
  how: string
  answer(): WireAnswer
  /** The JSON value the emulation's answer carries. */
  valueOf(answer: WireAnswer, streamed: boolean): unknown
}

/** Installs one msw handler for `matcher` that records each call and answers with `respond`. */
export function captureCalls(
  server: SetupServer,
  matcher: string | RegExp,
  isStream: (url: URL, body: Record<string, any>) => boolean,
  respond: Responder,
): WireCall[] {
  const calls: WireCall[] = []
  server.use(
    http.post(matcher, async ({ request }) => {
      const body = (await request.json()) as Record<string, any>
      const url = new URL(request.url)
      const call: WireCall = { url, headers: request.headers, body, stream: isStream(url, body), signal: request.signal, request }
      calls.push(call)
      return respond(call, calls.length - 1)
    }),
  )
  return calls
}

export function jsonAnswer(json: unknown, init?: ResponseInit): Response {
  return HttpResponse.json(json as Record<string, unknown>, init)
}

/** An error answer: the provider's JSON error body with its status and headers. */
export function errorAnswer(error: Pick<WireError, 'status' | 'body' | 'headers'>): Response {
  return new Response(JSON.stringify(error.body), { status: error.status, headers: { 'content-type': 'application/json', ...error.headers } })
}

export interface SseFormat {
  /** Anthropic names each event after its payload's `type`. */
  namedEvents: boolean
  /** OpenAI-format streams end with `data: [DONE]`. */
  done: boolean
}

function ssePayload(payload: unknown, format: SseFormat): string {
  const event = format.namedEvents ? `event: ${(payload as { type: string }).type}\n` : ''
  return `${event}data: ${JSON.stringify(payload)}\n\n`
}

/** A `text/event-stream` Response in the given SSE dialect; `breakAfter` fails the connection mid-way. */
export function sseAnswer(chunks: unknown[], format: SseFormat, options: { breakAfter?: number } = {}): Response {
  const encoder = new TextEncoder()
  let next = 0
  // An errored stream discards whatever is still queued, and the HTTP layer reads ahead: the break
  // waits a moment, so the client has received everything sent before it.
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (options.breakAfter !== undefined && next >= options.breakAfter) {
        await new Promise((resolve) => setTimeout(resolve, 50))
        controller.error(new Error('connection reset'))
        return
      }
      if (next < chunks.length) {
        controller.enqueue(encoder.encode(ssePayload(chunks[next++], format)))
        return
      }
      if (format.done) controller.enqueue(encoder.encode('data: [DONE]\n\n'))
      controller.close()
    },
  })
  return new Response(stream, { headers: { 'content-type': 'text/event-stream' } })
}

/** An SSE Response that sends `chunks`, then stays open until `until` aborts (the client gave up). */
export function hangingSseAnswer(chunks: unknown[], format: SseFormat, until: AbortSignal): Response {
  const encoder = new TextEncoder()
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(ssePayload(chunk, format)))
      until.addEventListener('abort', () => controller.close(), { once: true })
    },
  })
  return new Response(stream, { headers: { 'content-type': 'text/event-stream' } })
}

/** An empty view of a request body, with its cache-control markers counted. */
export function emptyRequestView(body: Record<string, any>, systemTexts: string[]): RequestView {
  const cacheMarkers = (JSON.stringify(body).match(/"cache_control"/g) ?? []).length
  return { systemTexts, userTexts: [], assistantToolCalls: [], toolResults: [], tools: [], images: [], cacheMarkers }
}

/** Parses tool-call arguments that a wire format carries as JSON text. */
export function parseArguments(text: string | undefined | null): Record<string, unknown> {
  return text ? (JSON.parse(text) as Record<string, unknown>) : {}
}

/** Deep copy of a recorded payload, so a test can change it without touching the shared fixture. */
export function copy<T>(value: T): T {
  return structuredClone(value)
}

export function usage(partial: Partial<Usage>): Usage {
  return { inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0, ...partial }
}

/** Text content of an OpenAI-style content field (a string or an array of text parts). */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content
  if (Array.isArray(content)) {
    return content.map((part) => (typeof part === 'string' ? part : part?.type === 'text' ? part.text : '')).join('')
  }
  return ''
}
