import type { CallCacheOptions, HttpEndpointOptions, RouterClient } from '../router/router-client.js'
import type { Cost } from '../spec/cost.js'
import type { AnthropicCountTokensParams, AnthropicMessageParams, AnthropicStreamEvent } from './anthropic-types.js'
import { describeFailure, errorBody, errorResponse, type Dialect, type HttpFailure } from './http-errors.js'
import type { FetchSurfaces } from './fetch-surfaces.js'
import { toOpenAIModel } from './openai-facade.js'
import type { OpenAIChatCompletionChunk, OpenAIChatCompletionParams, OpenAIEmbeddingParams, OpenAIModel } from './openai-types.js'
import type { ResponseCreateParams, ResponseStreamEvent } from './openai-responses/responses-types.js'
import { readAttributionHeaders } from './attribution-headers.js'
import type { FacadeCallOptions } from './facade-call-options.js'
import { openAIChunkWriter } from './openai-chunk-json.js'
import { abortError, sseBody, sseHeaders, type ServerSentEvent } from './sse.js'
import { runsOnNode, TextBodyResponse } from './text-body-response.js'

/** What a serverless platform passes a request handler besides the request: a Worker's `ctx`, a Vercel edge function's `context`. */
export interface PlatformContext {
  waitUntil(work: Promise<unknown>): void
}

/**
 * `router.fetch`: the Fetch API's signature, so it can be handed to an SDK or exported as a route
 * handler. Exported as a Worker's `fetch(request, env, ctx)` or called as `(request, context)` by
 * a platform, the context's `waitUntil` receives the work a call leaves running after it answers.
 */
export type FetchHandler = (input: RequestInfo | URL, init?: RequestInit | object, platform?: PlatformContext) => Promise<Response>

function isPlatformContext(value: unknown): value is PlatformContext {
  return typeof value === 'object' && value !== null && typeof (value as PlatformContext).waitUntil === 'function'
}

export type { HttpEndpointOptions, FetchSurfaces }

/** The first `provider_options` field the configuration does not allow, as `provider.field`. */
function disallowedProviderOption(providerOptions: unknown, allowed: Readonly<Record<string, readonly string[]>>): string | undefined {
  if (providerOptions === undefined || providerOptions === null) return undefined
  if (typeof providerOptions !== 'object' || Array.isArray(providerOptions)) return 'provider_options'
  for (const [provider, fields] of Object.entries(providerOptions)) {
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return provider
    const allowedFields = Object.hasOwn(allowed, provider) ? allowed[provider]! : []
    for (const field of Object.keys(fields)) if (!allowedFields.includes(field)) return `${provider}.${field}`
  }
  return undefined
}

export const defaultMaxBodyBytes = 10 * 1024 * 1024

type Endpoint =
  | { name: 'chat' | 'embeddings' | 'models' | 'messages' | 'responses' | 'count-tokens'; method: 'GET' | 'POST'; dialect: Dialect }
  | { name: 'stored-response'; method: 'GET' | 'POST' | 'DELETE'; dialect: Dialect }
  | { name: 'model'; method: 'GET'; dialect: Dialect; id: string }

/**
 * Endpoints are recognised by how the path ends, so any base path (`/v1`, `/api/llm/v1`) works.
 * `/v1/models` exists in both dialects; the Anthropic SDK's `anthropic-version` header picks its shape.
 */
function endpointOf(pathname: string, fromAnthropicClient: boolean): Endpoint | undefined {
  const path = pathname.replace(/\/+$/, '')
  const modelsDialect: Dialect = fromAnthropicClient ? 'anthropic' : 'openai'
  if (path.endsWith('/chat/completions')) return { name: 'chat', method: 'POST', dialect: 'openai' }
  if (path.endsWith('/embeddings')) return { name: 'embeddings', method: 'POST', dialect: 'openai' }
  if (path.endsWith('/responses')) return { name: 'responses', method: 'POST', dialect: 'openai' }
  // Retrieving, cancelling or deleting a stored response: the router stores none.
  if (/\/responses\/[^/]+(\/[a-z_]+)?$/.test(path)) return { name: 'stored-response', method: 'GET', dialect: 'openai' }
  if (path.endsWith('/messages/count_tokens')) return { name: 'count-tokens', method: 'POST', dialect: 'anthropic' }
  if (path.endsWith('/messages')) return { name: 'messages', method: 'POST', dialect: 'anthropic' }
  if (path.endsWith('/models')) return { name: 'models', method: 'GET', dialect: modelsDialect }
  const modelPath = path.indexOf('/models/')
  if (modelPath >= 0) return { name: 'model', method: 'GET', dialect: modelsDialect, id: safeDecode(path.slice(modelPath + '/models/'.length)) }
  return undefined
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** Anthropic's model object; routes have no creation date, so the epoch stands in. */
function anthropicModel(model: OpenAIModel) {
  return { type: 'model', id: model.id, display_name: model.id, created_at: new Date(model.created * 1000).toISOString() }
}

function anthropicModelList(models: OpenAIModel[]) {
  return { data: models.map(anthropicModel), has_more: false, first_id: models[0]?.id ?? null, last_id: models.at(-1)?.id ?? null }
}

function dialectOfUnknown(headers: Headers, pathname: string): Dialect {
  return headers.has('anthropic-version') || pathname.includes('/messages') ? 'anthropic' : 'openai'
}

function failure(status: number, code: string, message: string): HttpFailure {
  return { status, code, message, retryable: false }
}

/**
 * A 200 JSON answer. On Node, to a caller that handed over the parts of a request (an SDK), the
 * body is kept as text until read (see TextBodyResponse): Node 20 builds a web stream for every
 * body, and nothing on Node reads a `Response` but through its methods. Elsewhere, and to a
 * caller that passed a `Request` (a platform, which may read the body natively), it is an
 * ordinary `Response`.
 */
function json(body: unknown, headers: Record<string, string> | undefined, asText: boolean): Response {
  const init = { status: 200, headers: headers ? { 'content-type': 'application/json', ...headers } : jsonHeaders }
  return asText ? new TextBodyResponse(JSON.stringify(body), init) : new Response(JSON.stringify(body), init)
}

const jsonHeaders = { 'content-type': 'application/json' }

/** Which model answered and what it cost, for clients that only see headers. */
function routeHeaders(result: { model: string; cost: Cost; route?: { cacheHit: boolean } }): Record<string, string> {
  const headers: Record<string, string> = { 'x-switchyard-model': result.model, 'x-switchyard-cost-usd': result.cost.total === null ? 'unknown' : String(result.cost.total) }
  if (result.route?.cacheHit) headers['x-switchyard-cache'] = 'hit'
  return headers
}

type BodyReading = { body: Record<string, unknown> } | { failure: HttpFailure }

/**
 * Only `application/json` (or a `+json` type) is read. Anything else could come from a plain HTML
 * form or a "simple" cross-origin `fetch`, which browsers send without a CORS preflight.
 */
function isJsonContentType(header: string | null): boolean {
  if (header === null) return false
  const mediaType = header.split(';')[0]!.trim().toLowerCase()
  return mediaType === 'application/json' || (mediaType.startsWith('application/') && mediaType.endsWith('+json'))
}

const tooLarge = (limit: number) => failure(413, 'request_too_large', `The request body is larger than the endpoint's limit of ${limit} bytes.`)

/** A body handed over as a string, within `limit` bytes: a declared or actual excess is a 413. */
function limitedText(text: string, headers: Headers, limit: number): { text: string } | { failure: HttpFailure } {
  const declared = Number(headers.get('content-length') ?? Number.NaN)
  if (Number.isFinite(declared) && declared > limit) return { failure: tooLarge(limit) }
  // A UTF-16 code unit is at most three UTF-8 bytes: only a long text needs encoding to be sure.
  if (text.length * 3 > limit && new TextEncoder().encode(text).byteLength > limit) return { failure: tooLarge(limit) }
  return { text }
}

/** The body as text, read no further than `limit` bytes: a declared or actual excess is a 413. */
async function readLimitedText(request: Request, limit: number): Promise<{ text: string } | { failure: HttpFailure }> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN)
  if (Number.isFinite(declared) && declared > limit) return { failure: tooLarge(limit) }
  if (!request.body) return { text: '' }
  const reader = request.body.getReader()
  const decoder = new TextDecoder()
  let size = 0
  let text = ''
  try {
    while (true) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > limit) {
        void reader.cancel().catch(() => {})
        return { failure: tooLarge(limit) }
      }
      text += decoder.decode(value, { stream: true })
    }
    return { text: text + decoder.decode() }
  } catch {
    return { failure: failure(400, 'invalid_body', 'The request body could not be read.') }
  }
}

/** What the endpoint reads of a request, whether it came as a web `Request` or as the parts an SDK hands to `fetch`. */
interface IncomingRequest {
  readonly method: string
  readonly pathname: string
  readonly headers: Headers
  /** `undefined` when nothing can abort the request. */
  readonly signal: AbortSignal | undefined
  /** Whether the caller handed over the parts of a request (an SDK's `fetch(url, init)`) rather than a `Request`. */
  readonly fromParts: boolean
  readBody(limit: number): Promise<{ text: string } | { failure: HttpFailure }> | { text: string } | { failure: HttpFailure }
  /** The request as a web `Request`, built on first use when the caller handed over its parts. */
  request(): Request
}

/**
 * An SDK calls `fetch(url, { method, headers, body: jsonText, signal })`: those parts are read as
 * they are. Building a web `Request` from them (a body stream to read back, a signal of its own, a
 * parsed copy of the headers) would cost more than routing the call. Anything else (a `Request`,
 * a streamed or binary body) is read through a `Request`, as the Fetch API defines it.
 */
function incomingRequest(input: RequestInfo | URL, init: RequestInit | undefined): IncomingRequest {
  // A bare path ("/v1/models") has no origin; any origin will do, only the path is routed.
  const target = typeof input === 'string' && input.startsWith('/') ? `http://switchyard.local${input}` : input
  const body = init?.body
  if (init !== undefined && !(target instanceof Request) && (body === undefined || body === null || typeof body === 'string')) {
    const pathname = (typeof target === 'string' ? new URL(target) : target).pathname
    const headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers)
    let built: Request | undefined
    return {
      method: (init.method ?? 'GET').toUpperCase(),
      pathname,
      headers,
      signal: init.signal ?? undefined,
      fromParts: true,
      readBody: (limit) => limitedText(body ?? '', headers, limit),
      request: () => (built ??= new Request(target, init)),
    }
  }
  const request = target instanceof Request && init === undefined ? target : new Request(target, init)
  return {
    method: request.method,
    pathname: new URL(request.url).pathname,
    headers: request.headers,
    signal: request.signal,
    fromParts: false,
    readBody: (limit) => readLimitedText(request, limit),
    request: () => request,
  }
}

async function readJson(incoming: IncomingRequest, maxBodyBytes: number): Promise<BodyReading> {
  if (!isJsonContentType(incoming.headers.get('content-type'))) {
    return { failure: failure(415, 'unsupported_media_type', 'The request body must be JSON, sent with `content-type: application/json`.') }
  }
  const reading = await incoming.readBody(maxBodyBytes)
  if ('failure' in reading) return reading
  const text = reading.text
  if (text.trim() === '') return { failure: failure(400, 'invalid_body', 'The request body is empty; send a JSON object.') }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    return { failure: failure(400, 'invalid_json', `The request body is not valid JSON (${(error as Error).message}).`) }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { failure: failure(400, 'invalid_body', 'The request body must be a JSON object.') }
  return { body: parsed as Record<string, unknown> }
}

const responsesEvent = (event: ResponseStreamEvent): ServerSentEvent => ({ event: event.type, data: JSON.stringify(event) })
/** A stream's chunks as events, written by one writer that keeps the stream's unchanging part. */
const openAIEvents = (): ((chunk: OpenAIChatCompletionChunk) => ServerSentEvent) => {
  const write = openAIChunkWriter()
  return (chunk) => ({ data: write(chunk) })
}
const openAIDone: ServerSentEvent = { data: '[DONE]' }
const anthropicEvent = (event: AnthropicStreamEvent): ServerSentEvent => ({ event: event.type, data: JSON.stringify(event) })

function streamResponse<Item>(stream: AsyncIterable<Item>, toEvent: (item: Item) => ServerSentEvent, dialect: Dialect, signal: AbortSignal | undefined, last?: ServerSentEvent): Response {
  // A failure after the first token can no longer change the status: it becomes the dialect's error event.
  const onError = (error: unknown): ServerSentEvent[] => [
    { ...(dialect === 'anthropic' ? { event: 'error' } : {}), data: JSON.stringify(errorBody(dialect, describeFailure(error))) },
  ]
  return new Response(sseBody(stream, toEvent, onError, signal, last), { status: 200, headers: sseHeaders })
}

/**
 * Answers a call that may stream. For a request that asks to stream, the event-stream `Response`
 * is built while the call waits for its first token, once its request is sent (`setImmediate`,
 * where there is one), rather than after the first token: on Node 20 a web stream and a
 * `Response` cost more than routing a call. A call that fails before its first token still
 * answers with its own status (the prepared response is dropped).
 */
async function streamOrAnswer<Result extends object, Item>(
  calling: Promise<Result | (AsyncIterable<Item> & { controller: AbortController })>,
  asksToStream: boolean,
  stream: (source: AsyncIterable<Item>) => Response,
  answer: (result: Result) => Response,
): Promise<Response> {
  let prepared: Response | undefined
  let started: AsyncIterator<Item> | undefined
  // The stream's items once the call resolves to it (it has, by the time the response is handed out).
  const source: AsyncIterable<Item> = {
    [Symbol.asyncIterator]: () => ({
      next: () => started?.next() ?? calling.then((result) => (started = (result as AsyncIterable<Item>)[Symbol.asyncIterator]()).next()),
      return: async (value?: unknown) => (await started?.return?.(value)) ?? { value: undefined, done: true },
    }),
  }
  const prepare = () => (prepared ??= stream(source))
  const waiting = asksToStream && typeof setImmediate === 'function' ? setImmediate(prepare) : undefined
  const result = await calling
  if (waiting) clearImmediate(waiting)
  return 'controller' in result ? prepare() : answer(result)
}

/**
 * The caller's `cache-control`: `no-store` keeps the call out of the response cache entirely,
 * `no-cache` fetches a fresh answer (and stores it where caching is on).
 */
function cacheFromHeaders(headers: Headers): { cache?: CallCacheOptions | false } {
  const directives = headers.get('cache-control')?.toLowerCase()
  if (!directives) return {}
  const names = directives.split(',').map((directive) => directive.trim().split('=')[0])
  if (names.includes('no-store')) return { cache: false }
  if (names.includes('no-cache')) return { cache: { refresh: true } }
  return {}
}

/**
 * What the router adds to its HTTP endpoint besides the facades: pages its features serve (the
 * report page) and the trace context of incoming requests (telemetry). Composed by the router.
 */
export interface HttpEndpointHost {
  /** A response for a path a feature serves, or `undefined` for every other path; `request()` builds the web `Request`. */
  servePath?(pathname: string, request: () => Request): Promise<Response> | undefined
  /** Runs the call inside the trace the request carries (`traceparent`), when telemetry is on. */
  withIncomingRequest?<Result>(headers: Headers, run: () => Promise<Result>): Promise<Result>
}

/** Which surface serves an endpoint; `models` and `model` need none. */
const surfaceOf: Partial<Record<Endpoint['name'], keyof FetchSurfaces>> = {
  chat: 'openai',
  embeddings: 'openai',
  responses: 'responses',
  'stored-response': 'responses',
  messages: 'anthropic',
  'count-tokens': 'anthropic',
}

const surfacePaths: Record<keyof FetchSurfaces, string> = {
  openai: 'POST …/v1/chat/completions, POST …/v1/embeddings',
  responses: 'POST …/v1/responses',
  anthropic: 'POST …/v1/messages, POST …/v1/messages/count_tokens',
}

/**
 * An in-process HTTP endpoint speaking OpenAI (`/v1/chat/completions`, `/v1/embeddings`,
 * `/v1/responses`, `/v1/models`) and Anthropic (`/v1/messages`), each as far as `surfaces` has it.
 * Every failure, bad input included, is answered in the dialect's own error shape; the returned
 * promise rejects only when the request's signal aborts it, as `fetch` does.
 */
export function createFetchHandler(router: RouterClient, surfaces: FetchSurfaces, options: HttpEndpointOptions = {}, host: HttpEndpointHost = {}): FetchHandler {
  const { openai, responses, anthropic } = surfaces
  const served = `Served: ${[...(Object.keys(surfacePaths) as (keyof FetchSurfaces)[]).filter((surface) => surfaces[surface]).map((surface) => surfacePaths[surface]), 'GET …/v1/models'].join(', ')}.`
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes
  const textBodies = runsOnNode()
  const isRoute = (model: unknown) => typeof model === 'string' && router.routes.includes(model)
  const modelNotAllowed = (model: unknown) =>
    failure(403, 'model_not_allowed', `This endpoint serves only its routes (${router.routes.join(', ') || 'none defined'}); ${JSON.stringify(model)} is not one of them.`)

  async function handle(request: IncomingRequest, endpoint: Endpoint, platform: PlatformContext | undefined): Promise<Response> {
    const signal = request.signal
    const answer = (body: unknown, headers?: Record<string, string>) => json(body, headers, textBodies && request.fromParts)
    if (endpoint.name === 'models') {
      let data = router.models().map(toOpenAIModel)
      if (options.routesOnly) data = data.filter((model) => isRoute(model.id))
      return answer(endpoint.dialect === 'anthropic' ? anthropicModelList(data) : { object: 'list', data })
    }
    if (endpoint.name === 'model') {
      if (options.routesOnly && !isRoute(endpoint.id)) return errorResponse(endpoint.dialect, modelNotAllowed(endpoint.id))
      const model = toOpenAIModel(router.model(endpoint.id))
      return answer(endpoint.dialect === 'anthropic' ? anthropicModel(model) : model)
    }
    if (endpoint.name === 'stored-response') {
      return errorResponse('openai', failure(400, 'unsupported_feature', 'Stored responses are not supported: the router keeps no responses to retrieve, cancel or delete (`store: true` cannot be served).'))
    }
    const reading = await readJson(request, maxBodyBytes)
    if ('failure' in reading) return errorResponse(endpoint.dialect, reading.failure)
    const attribution = readAttributionHeaders(request.headers)
    if ('failure' in attribution) return errorResponse(endpoint.dialect, attribution.failure)
    // Assigned rather than spread together: each spread after the first adds fields to a copy,
    // which costs ~0.6 µs a field on Node 20.
    const callOptions: FacadeCallOptions = Object.assign({}, attribution.options, cacheFromHeaders(request.headers))
    if (signal) callOptions.signal = signal
    if (platform) callOptions.waitUntil = (work: Promise<unknown>) => platform.waitUntil(work)
    const body = reading.body
    if (options.routesOnly && !isRoute(body.model)) return errorResponse(endpoint.dialect, modelNotAllowed(body.model))
    const refusedOption = disallowedProviderOption(body.provider_options, options.providerOptions ?? {})
    if (refusedOption !== undefined) {
      return errorResponse(
        endpoint.dialect,
        failure(400, 'provider_options_not_allowed', `\`provider_options.${refusedOption}\` is not accepted by this endpoint (allow it with createRouter({ http: { providerOptions } })).`),
      )
    }
    if (endpoint.name === 'embeddings') {
      const result = await openai!.embeddings.create(body as unknown as OpenAIEmbeddingParams, callOptions)
      return answer(result, routeHeaders(result))
    }
    const asksToStream = body.stream === true
    if (endpoint.name === 'responses') {
      // The stream's own failure events end it; the generic handler only sees aborts.
      return streamOrAnswer(
        responses!.create(body as ResponseCreateParams, callOptions),
        asksToStream,
        (stream) => streamResponse(stream, responsesEvent, 'openai', signal),
        (result) => answer(result, routeHeaders({ model: result.model, cost: result.cost! })),
      )
    }
    if (endpoint.name === 'count-tokens') {
      const counted = await anthropic!.messages.countTokens(body as AnthropicCountTokensParams, signal ? { signal } : {})
      return answer({ input_tokens: counted.input_tokens }, { 'x-switchyard-model': counted.model })
    }
    if (endpoint.name === 'chat') {
      return streamOrAnswer(
        openai!.chat.completions.create(body as OpenAIChatCompletionParams, callOptions),
        asksToStream,
        (stream) => streamResponse(stream, openAIEvents(), 'openai', signal, openAIDone),
        (result) => answer(result, routeHeaders(result)),
      )
    }
    return streamOrAnswer(
      anthropic!.messages.create(body as AnthropicMessageParams, callOptions),
      asksToStream,
      (stream) => streamResponse(stream, anthropicEvent, 'anthropic', signal),
      (result) => answer(result, routeHeaders(result)),
    )
  }

  return async (input, second, third) => {
    // Called by a platform, the arguments after the request are its own (a Worker's env and ctx,
    // Vercel's context), never a RequestInit.
    const platform = isPlatformContext(third) ? third : isPlatformContext(second) ? second : undefined
    const init = third === undefined && platform === undefined ? (second as RequestInit | undefined) : undefined
    let request: IncomingRequest
    try {
      request = incomingRequest(input, init)
    } catch (error) {
      return errorResponse('openai', failure(400, 'invalid_request', `The request could not be read: ${(error as Error).message}`))
    }
    const { pathname } = request
    const page = host.servePath?.(pathname, request.request)
    if (page) return page
    const endpoint = endpointOf(pathname, request.headers.has('anthropic-version'))
    const surface = endpoint && surfaceOf[endpoint.name]
    if (!endpoint || (surface && !surfaces[surface])) {
      return errorResponse(endpoint?.dialect ?? dialectOfUnknown(request.headers, pathname), failure(404, 'unknown_url', `${endpoint ? 'This endpoint does not serve' : 'Unknown path'} ${pathname}. ${served}`))
    }
    if (request.method !== endpoint.method && endpoint.name !== 'stored-response') {
      return errorResponse(endpoint.dialect, failure(405, 'method_not_allowed', `${request.method} is not allowed on ${pathname}; use ${endpoint.method}.`), { allow: endpoint.method })
    }
    try {
      // With telemetry on, the call continues the trace the request carries (`traceparent`).
      return await (host.withIncomingRequest ? host.withIncomingRequest(request.headers, () => handle(request, endpoint, platform)) : handle(request, endpoint, platform))
    } catch (error) {
      // Like any fetch, an aborted call rejects; the SDKs turn that into their own abort error.
      if (request.signal?.aborted) throw abortError(request.signal)
      // The route's own retries and fallback have already run: a client retrying on top of them
      // (the official SDKs do, twice, on a 429 or 5xx) would multiply the upstream calls.
      return errorResponse(endpoint.dialect, { ...describeFailure(error), retryable: false })
    }
  }
}
