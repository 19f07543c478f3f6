import { createHash } from 'node:crypto'
import { readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it, vi } from 'vitest'
import {
  AbortedError,
  AuthenticationError,
  ContentFilteredError,
  ContextLengthExceededError,
  InvalidRequestError,
  ProviderError,
  RateLimitError,
  StreamInterruptedError,
  UnsupportedFeatureError,
  createRouter,
  fallback,
  type ChatChunk,
  type ChatMessage,
  type ChatRequest,
  type ChatResult,
  type Cost,
  type FunctionTool,
  type PriceTable,
  type SwitchyardError,
} from '../../src/index.js'
import { useMswServer } from '../helpers/msw.js'
import { recordedChunks, recordedJson } from '../helpers/recordings.js'
import { recordedOutcomes, type RecordedOutcome, type RecordedText } from './recorded-outcomes.js'
import { anthropicWire } from '../helpers/provider-wire/anthropic-wire.js'
import { googleWire } from '../helpers/provider-wire/google-wire.js'
import { groqWire } from '../helpers/provider-wire/groq-wire.js'
import { mistralWire } from '../helpers/provider-wire/mistral-wire.js'
import { openAIWire } from '../helpers/provider-wire/openai-wire.js'
import { azureWire } from '../helpers/provider-wire/azure-wire.js'
import { bedrockWire, closeBedrockUpstream } from '../helpers/provider-wire/bedrock-wire.js'
import { anthropicVertexWire, vertexWire } from '../helpers/provider-wire/vertex-wire.js'
import { errorAnswer, type ErrorKind, type ParameterName, type ExpectedOutcome, type ProviderWire, type RequestView, type WireAnswer, type WireCall } from '../helpers/provider-wire/provider-wire.js'

/**
 * The provider parity matrix: one table of canonical requests, run against every adapter through
 * `createRouter` and its real official SDK, answered by msw in the provider's own wire format
 * (built from `test/fixtures/recorded/` wherever a recording covers the case). Each row checks the
 * canonical outcome and, where the feature is about the request, what reached the provider.
 * `docs/provider-matrix.md` names the test behind every cell.
 */
const server = useMswServer()

const wires: ProviderWire[] = [openAIWire, anthropicWire, googleWire, mistralWire, groqWire, azureWire, bedrockWire, vertexWire, anthropicVertexWire]
afterAll(() => closeBedrockUpstream())

/** The folder of `test/fixtures/recorded/` a wire's recordings come from (a cloud host reuses its model maker's). */
const folderOf = (wire: ProviderWire): string => wire.recordingsFolder ?? wire.provider
const recordedFolders = [...new Set(wires.map(folderOf))]

type ParityRequest = Omit<ChatRequest, 'model'>

const weatherTool: FunctionTool = {
  type: 'function',
  function: {
    name: 'weather',
    description: 'The current weather in a city',
    parameters: { type: 'object', properties: { location: { type: 'string', description: 'City name' } }, required: ['location'] },
  },
}
const clockTool: FunctionTool = { type: 'function', function: { name: 'current_time', description: 'The current UTC time' } }
// A 1×1 transparent PNG.
const pngBase64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='
const reportSchema = {
  type: 'object',
  properties: { location: { type: 'string' }, temperature: { type: 'number' } },
  required: ['location', 'temperature'],
  additionalProperties: false,
}
const report = { location: 'Paris', temperature: 21 }
const hello: ParityRequest = { messages: [{ role: 'user', content: 'Hello, how are you?' }] }
const jsonSchemaRequest: ParityRequest = {
  messages: [{ role: 'user', content: 'Report the weather in Paris as JSON.' }],
  response_format: { type: 'json_schema', json_schema: { name: 'weather_report', schema: reportSchema, strict: true } },
}

interface RouterOptions {
  model?: string
  prices?: PriceTable
}

function routerFor(wire: ProviderWire, options: RouterOptions = {}) {
  const model = options.model ?? wire.model
  // One attempt, no retries: each row sees exactly what the adapter did with one answer.
  return createRouter({
    providers: [wire.create()],
    routes: { parity: fallback([`${wire.provider}/${model}`], { retries: 0 }) },
    ...(options.prices ? { prices: options.prices } : {}),
  })
}

/** What a user sees, read from the chat result. */
interface Outcome {
  text: string | null
  toolCalls: Array<{ id: string; name: string; arguments: string }>
  /** The canonical breakdown (`result.tokens`). */
  usage: ChatResult['tokens']
  /** OpenAI's usage fields (`result.usage`). */
  chatUsage: ChatResult['usage']
  finishReason: string | null
  reasoning?: string
  cost: Cost
}

function outcomeOfResult(result: ChatResult): Outcome {
  const message = result.choices[0]!.message
  return {
    text: message.content || null,
    toolCalls: (message.tool_calls ?? []).map((call) => ({ id: call.id, name: call.function.name, arguments: call.function.arguments })),
    usage: result.tokens,
    chatUsage: result.usage,
    finishReason: result.choices[0]!.finish_reason,
    ...(message.reasoning ? { reasoning: message.reasoning } : {}),
    cost: result.cost,
  }
}

/** What a streaming user sees, assembled from the OpenAI-shaped chunks alone. */
function outcomeOfChunks(chunks: ChatChunk[]): Outcome {
  let text = ''
  let reasoning = ''
  let finishReason: string | null = null
  const calls = new Map<number, { id: string; name: string; arguments: string }>()
  for (const chunk of chunks) {
    const choice = chunk.choices[0]
    if (!choice) continue
    text += choice.delta.content ?? ''
    reasoning += choice.delta.reasoning ?? ''
    for (const delta of choice.delta.tool_calls ?? []) {
      const call = calls.get(delta.index)
      if (call) {
        call.arguments += delta.function?.arguments ?? ''
      } else {
        // The first delta of a call must name it: OpenAI-shaped consumers rely on that.
        expect(delta.id).toBeTruthy()
        expect(delta.function?.name).toBeTruthy()
        calls.set(delta.index, { id: delta.id!, name: delta.function!.name!, arguments: delta.function?.arguments ?? '' })
      }
    }
    if (choice.finish_reason) finishReason = choice.finish_reason
  }
  const last = chunks.at(-1)!
  expect(last.usage).toBeDefined()
  expect(last.tokens).toBeDefined()
  return {
    text: text || null,
    toolCalls: [...calls.entries()].sort(([left], [right]) => left - right).map(([, call]) => call),
    usage: last.tokens!,
    chatUsage: last.usage!,
    finishReason,
    ...(reasoning ? { reasoning } : {}),
    cost: last.cost!,
  }
}

/** An expected outcome: literal values from a recording, or what a synthetic answer was built to say. */
type Expected = Omit<ExpectedOutcome, 'text'> & { text: RecordedText }

function expectOutcome(actual: Outcome, expected: Expected): void {
  expectRecordedText(actual.text, expected.text)
  expect(actual.finishReason).toBe(expected.finishReason)
  expect(actual.usage).toMatchObject(expected.usage)
  expect(actual.toolCalls.map((call) => call.name)).toEqual(expected.toolCalls.map((call) => call.name))
  actual.toolCalls.forEach((call, index) => {
    const wanted = expected.toolCalls[index]!
    // Providers without call ids (Gemini) get one made up, unique within the answer.
    if (wanted.id !== undefined) expect(call.id).toBe(wanted.id)
    else expect(call.id).toMatch(/\S/)
    expect(JSON.parse(call.arguments)).toEqual(wanted.arguments)
  })
  expect(new Set(actual.toolCalls.map((call) => call.id)).size).toBe(actual.toolCalls.length)
  if (expected.reasoning !== undefined) expect(actual.reasoning).toBe(expected.reasoning)
}

async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = []
  for await (const chunk of stream) chunks.push(chunk)
  return chunks
}

interface RunResult {
  outcome: Outcome
  calls: WireCall[]
  view: RequestView
}

/** Serves `answer`, sends `request` through the router (streamed or not) and reads both ends. */
async function run(wire: ProviderWire, request: ParityRequest, answer: WireAnswer, streamed: boolean, options: RouterOptions = {}): Promise<RunResult> {
  const calls = wire.serveChat(server, (call) => (call.stream ? wire.streamResponse(answer.chunks) : wire.jsonResponse(answer.json)))
  const router = routerFor(wire, options)
  const outcome = streamed
    ? outcomeOfChunks(await collect(router.stream({ ...request, model: 'parity' })))
    : outcomeOfResult(await router.chat({ ...request, model: 'parity' }))
  expect(calls).toHaveLength(1)
  expect(calls[0]!.stream).toBe(streamed)
  return { outcome, calls, view: wire.readRequest(calls[0]!) }
}

/**
 * The expected outcome of an answer. An answer that is a recording as recorded gets the literal
 * values written out in `recorded-outcomes.ts`; only answers the wire helpers built (a recording
 * with its text or tool calls replaced) are read back by the helper that built them.
 */
function expectedOf(wire: ProviderWire, answer: WireAnswer, streamed: boolean): Expected {
  const literal = literalOutcomeOf(folderOf(wire), streamed ? answer.chunks : answer.json)
  if (literal) return literal
  return streamed ? wire.expectFromChunks(answer.chunks) : wire.expectFromJson(answer.json)
}

let recordingsByContent: Map<string, RecordedOutcome> | undefined

/** The literal outcome of `content` when it is one of the provider's recordings, unchanged. */
function literalOutcomeOf(provider: string, content: unknown): RecordedOutcome | undefined {
  recordingsByContent ??= new Map(
    Object.entries(recordedOutcomes).flatMap(([path, outcome]) => {
      if ('error' in outcome) return []
      const [folder, file] = path.split('/') as [string, string]
      const recorded = file.endsWith('.chunks.txt') ? recordedChunks(folder, file.slice(0, -'.chunks.txt'.length)) : recordedJson(folder, file.slice(0, -'.json'.length))
      return [[`${folder}:${JSON.stringify(recorded)}`, outcome] as const]
    }),
  )
  return recordingsByContent.get(`${provider}:${JSON.stringify(content)}`)
}

interface CanonicalCase {
  name: string
  request: ParityRequest
  answer(wire: ProviderWire): WireAnswer
  streamed: boolean
  /** The support entry that decides whether the adapter must serve or reject the row. */
  feature?: 'jsonSchema' | 'image' | 'imageUrl'
  /** Checks on what reached the provider. */
  sent?(view: RequestView, wire: ProviderWire): void
  /** Checks beyond the answer's own canonical outcome. */
  outcome?(outcome: Outcome, wire: ProviderWire): void
}

const multiTurn: ParityRequest = {
  tools: [weatherTool],
  messages: [
    { role: 'user', content: 'What is the weather in Paris?' },
    {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_weather_paris', type: 'function', function: { name: 'weather', arguments: '{"location":"Paris"}' } }],
    },
    { role: 'tool', tool_call_id: 'call_weather_paris', content: '{"temperature":21,"condition":"sunny"}' },
  ],
}

const parallelCalls = [
  { id: 'call_weather_paris', name: 'weather', arguments: { location: 'Paris' } },
  { id: 'call_weather_berlin', name: 'weather', arguments: { location: 'Berlin' } },
]
const recordedOrBuiltToolCall = (wire: ProviderWire) =>
  wire.recordedToolCall?.() ?? wire.toolCalls([{ id: 'call_weather_sf', name: 'weather', arguments: { location: 'San Francisco' } }])

/** The one table of canonical requests every adapter must serve the same way. */
const canonicalCases: CanonicalCase[] = [
  {
    name: 'text',
    request: hello,
    answer: (wire) => wire.text(),
    streamed: false,
    sent: (view) => {
      expect(view.userTexts).toEqual(['Hello, how are you?'])
      expect(view.systemTexts).toEqual([])
    },
  },
  {
    name: 'system prompt',
    request: { messages: [{ role: 'system', content: 'You answer in one short sentence.' }, ...hello.messages] },
    answer: (wire) => wire.text(),
    streamed: false,
    sent: (view) => {
      expect(view.systemTexts).toEqual(['You answer in one short sentence.'])
      expect(view.userTexts).toEqual(['Hello, how are you?'])
    },
  },
  {
    name: 'multi-turn with tool results',
    request: multiTurn,
    answer: (wire) => wire.text(),
    streamed: false,
    sent: (view, wire) => {
      expect(view.userTexts).toEqual(['What is the weather in Paris?'])
      expect(view.assistantToolCalls).toHaveLength(1)
      const [call] = view.assistantToolCalls
      expect(call!.name).toBe('weather')
      expect(call!.arguments).toEqual({ location: 'Paris' })
      // The id goes back as given, or in the provider's required id format where it has one (Mistral).
      if (call!.id !== undefined) expect(call!.id).toMatch(wire.toolCallIdFormat ?? /^call_weather_paris$/)
      expect(view.toolResults).toHaveLength(1)
      const [result] = view.toolResults
      // Matched to its call by the same id, or by tool name where the provider has no ids.
      if (result!.callId !== undefined) expect(result!.callId).toBe(call!.id)
      else expect(result!.name).toBe('weather')
      expect(JSON.stringify(result!.content)).toMatch(/21/)
      expect(JSON.stringify(result!.content)).toMatch(/sunny/)
    },
  },
  {
    name: 'tools',
    request: { messages: [{ role: 'user', content: 'What is the weather in San Francisco?' }], tools: [weatherTool] },
    answer: recordedOrBuiltToolCall,
    streamed: false,
    sent: (view) => {
      expect(view.tools).toHaveLength(1)
      expect(view.tools[0]).toMatchObject({ name: 'weather', description: 'The current weather in a city' })
      expect(view.tools[0]!.parameters).toEqual(weatherTool.function.parameters)
    },
    outcome: (outcome) => {
      expect(outcome.toolCalls.length).toBeGreaterThan(0)
      expect(outcome.finishReason).toBe('tool_calls')
    },
  },
  {
    name: 'parallel tool calls',
    request: { messages: [{ role: 'user', content: 'Weather in Paris and Berlin?' }], tools: [weatherTool] },
    answer: (wire) => wire.toolCalls(parallelCalls),
    streamed: false,
    outcome: (outcome) => {
      expect(outcome.toolCalls.map((call) => JSON.parse(call.arguments))).toEqual([{ location: 'Paris' }, { location: 'Berlin' }])
      expect(outcome.finishReason).toBe('tool_calls')
    },
  },
  {
    name: 'tool with no arguments',
    request: { messages: [{ role: 'user', content: 'What time is it?' }], tools: [clockTool] },
    answer: (wire) => wire.toolCalls([{ id: 'call_clock', name: 'current_time', arguments: {} }]),
    streamed: false,
    sent: (view, wire) => {
      expect(view.tools.map((tool) => tool.name)).toEqual(['current_time'])
      expect(view.tools[0]!.parameters).toEqual(wire.noArgumentToolSchema)
    },
    outcome: (outcome) => {
      expect(outcome.toolCalls).toHaveLength(1)
      expect(outcome.toolCalls[0]!.arguments).toBe('{}')
    },
  },
  {
    name: 'image input',
    feature: 'image',
    request: {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this image?' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${pngBase64}` } },
          ],
        },
      ],
    },
    answer: (wire) => wire.text(),
    streamed: false,
    sent: (view) => {
      expect(view.userTexts).toEqual(['What is in this image?'])
      expect(view.images).toEqual([{ mediaType: 'image/png', data: pngBase64 }])
    },
  },
  {
    name: 'image input by https URL',
    feature: 'imageUrl',
    request: {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this image?' },
            { type: 'image_url', image_url: { url: 'https://example.com/images/cat.png' } },
          ],
        },
      ],
    },
    answer: (wire) => wire.text(),
    streamed: false,
    sent: (view) => expect(view.images).toEqual([{ url: 'https://example.com/images/cat.png' }]),
  },
  {
    name: 'output limit reached',
    request: { ...hello, max_tokens: 16 },
    answer: (wire) => wire.truncated(),
    streamed: false,
    outcome: (outcome) => expect(outcome.finishReason).toBe('length'),
  },
  {
    name: 'streaming output limit reached',
    request: { ...hello, max_tokens: 16 },
    answer: (wire) => wire.truncated(),
    streamed: true,
    outcome: (outcome) => expect(outcome.finishReason).toBe('length'),
  },
  {
    name: 'json_schema output',
    feature: 'jsonSchema',
    request: jsonSchemaRequest,
    answer: (wire) => wire.jsonOutput(report),
    streamed: false,
    sent: (view) => expect(view.outputSchema).toEqual(reportSchema),
    outcome: (outcome) => {
      expect(JSON.parse(outcome.text!)).toEqual(report)
      expect(outcome.toolCalls).toEqual([])
      expect(outcome.finishReason).toBe('stop')
    },
  },
  {
    name: 'streaming text',
    request: hello,
    answer: (wire) => wire.text(),
    streamed: true,
    outcome: (outcome) => expect(outcome.text!.length).toBeGreaterThan(10),
  },
  {
    name: 'streaming tool call',
    request: { messages: [{ role: 'user', content: 'What is the weather in San Francisco?' }], tools: [weatherTool] },
    answer: recordedOrBuiltToolCall,
    streamed: true,
    sent: (view) => expect(view.tools.map((tool) => tool.name)).toEqual(['weather']),
    outcome: (outcome) => expect(outcome.finishReason).toBe('tool_calls'),
  },
  {
    name: 'streaming parallel tool calls',
    request: { messages: [{ role: 'user', content: 'Weather in Paris and Berlin?' }], tools: [weatherTool] },
    answer: (wire) => wire.toolCalls(parallelCalls),
    streamed: true,
    outcome: (outcome) => expect(outcome.toolCalls).toHaveLength(2),
  },
  {
    name: 'streaming tool with no arguments',
    request: { messages: [{ role: 'user', content: 'What time is it?' }], tools: [clockTool] },
    answer: (wire) => wire.toolCalls([{ id: 'call_clock', name: 'current_time', arguments: {} }]),
    streamed: true,
    outcome: (outcome) => expect(outcome.toolCalls.map((call) => call.arguments)).toEqual(['{}']),
  },
  {
    name: 'streaming json_schema output',
    feature: 'jsonSchema',
    request: jsonSchemaRequest,
    answer: (wire) => wire.jsonOutput(report),
    streamed: true,
    sent: (view) => expect(view.outputSchema).toEqual(reportSchema),
    outcome: (outcome) => expect(JSON.parse(outcome.text!)).toEqual(report),
  },
]

interface ParameterCase {
  name: ParameterName
  request: ParityRequest
  /** The value read back from the wire, in canonical form. */
  canonical: unknown
}

/** Request parameters: each must reach the provider, be emulated, or be rejected; never dropped unnoticed. */
const parameterCases: ParameterCase[] = [
  { name: 'temperature', request: { ...hello, temperature: 0.3 }, canonical: 0.3 },
  { name: 'top_p', request: { ...hello, top_p: 0.9 }, canonical: 0.9 },
  { name: 'max_tokens', request: { ...hello, max_tokens: 256 }, canonical: 256 },
  { name: 'stop', request: { ...hello, stop: ['END'] }, canonical: ['END'] },
  { name: 'seed', request: { ...hello, seed: 42 }, canonical: 42 },
  { name: 'presence_penalty', request: { ...hello, presence_penalty: 0.5 }, canonical: 0.5 },
  { name: 'frequency_penalty', request: { ...hello, frequency_penalty: 0.25 }, canonical: 0.25 },
  { name: 'tool_choice', request: { ...hello, tools: [weatherTool], tool_choice: 'required' }, canonical: 'required' },
  { name: 'tool_choice_named', request: { ...hello, tools: [weatherTool], tool_choice: { type: 'function', function: { name: 'weather' } } }, canonical: 'weather' },
  { name: 'parallel_tool_calls', request: { ...hello, tools: [weatherTool], parallel_tool_calls: false }, canonical: false },
  { name: 'user', request: { ...hello, user: 'user-1234' }, canonical: 'user-1234' },
  { name: 'json_object', request: { ...hello, response_format: { type: 'json_object' } }, canonical: true },
  // Read back as "the provider was asked to reason": each provider has its own scale.
  { name: 'reasoning_effort', request: { ...hello, reasoning_effort: 'low' }, canonical: true },
]

interface ErrorCase {
  kind: ErrorKind
  name: string
  errorClass: new (...args: any[]) => SwitchyardError
  code: string
  retryable: boolean
}

const errorCases: ErrorCase[] = [
  { kind: 'invalid', name: '400 invalid request', errorClass: InvalidRequestError, code: 'invalid_request', retryable: false },
  { kind: 'auth', name: '401 authentication', errorClass: AuthenticationError, code: 'authentication_failed', retryable: false },
  { kind: 'rate-limit', name: '429 rate limit with retry-after', errorClass: RateLimitError, code: 'rate_limited', retryable: true },
  { kind: 'server', name: '500 server error', errorClass: ProviderError, code: 'provider_error', retryable: true },
  { kind: 'overloaded', name: '503/529 overloaded', errorClass: ProviderError, code: 'provider_error', retryable: true },
  { kind: 'context-length', name: 'context length exceeded', errorClass: ContextLengthExceededError, code: 'context_length_exceeded', retryable: false },
  { kind: 'content-filter', name: 'content filter', errorClass: ContentFilteredError, code: 'content_filtered', retryable: false },
]

async function expectRejection(promise: Promise<unknown>): Promise<SwitchyardError> {
  const error = await promise.then(
    () => undefined,
    (raised: unknown) => raised,
  )
  expect(error, 'the call should have failed').toBeDefined()
  return error as SwitchyardError
}

/** The matrix's sections besides the request, parameter and error tables; the feature table cites them. */
const sections = {
  jsonEmulation: 'json_schema output on models that emulate it',
  reasoning: 'reasoning / thinking content',
  cacheMarkers: 'prompt-cache markers',
  cachedUsage: 'cached-token usage',
  signatures: 'signatures carried back on the next turn',
  abort: 'abort',
  streamBreak: 'stream that breaks after it started',
  embeddings: 'embeddings',
}

/** Rejected before any request: an `UnsupportedFeatureError` that names the provider and the feature. */
function expectUnsupported(wire: ProviderWire, error: SwitchyardError, feature: string, calls: WireCall[]): void {
  expect(error).toBeInstanceOf(UnsupportedFeatureError)
  expect(error).toMatchObject({ provider: wire.provider, feature })
  expect(error.message).toContain(wire.provider)
  expect(calls).toHaveLength(0)
}

function expectNoKey(wire: ProviderWire, error: SwitchyardError): void {
  expect(error.message).not.toContain(wire.apiKey)
  expect(JSON.stringify(error)).not.toContain(wire.apiKey)
}

describe.each(wires.map((wire) => [wire.provider, wire] as const))('parity matrix: %s', (_provider, wire) => {
  describe.each(canonicalCases.map((row) => [row.name, row] as const))('%s', (_name, row) => {
    const support = row.feature ? (wire.support[row.feature] ?? wire.support.image) : { kind: 'native' as const }

    if (support.kind === 'rejected') {
      it(`rejects with UnsupportedFeatureError naming ${wire.provider} and "${support.feature}", before any call`, async () => {
        const calls = wire.serveChat(server, () => wire.jsonResponse(row.answer(wire).json))
        const router = routerFor(wire)
        const error = await expectRejection(
          row.streamed ? collect(router.stream({ ...row.request, model: 'parity' })) : router.chat({ ...row.request, model: 'parity' }),
        )
        expectUnsupported(wire, error, support.feature, calls)
      })
      return
    }

    it(support.kind === 'emulated' ? `is emulated (${support.how}) and comes out as the answer says` : 'comes out as the wire answer says', async () => {
      const answer = row.answer(wire)
      const { outcome, view } = await run(wire, row.request, answer, row.streamed)
      if (support.kind === 'emulated') {
        // The emulation's own wire form (a forced tool, say) comes back as the feature's canonical
        // form, which the row's own checks assert; the usage is the wire answer's.
        expect(outcome.usage).toMatchObject(expectedOf(wire, answer, row.streamed).usage)
      } else {
        expectOutcome(outcome, expectedOf(wire, answer, row.streamed))
      }
      row.outcome?.(outcome, wire)
      row.sent?.(view, wire)
      // Our prompt-caching markers are never sent to a provider that does not take them.
      expect(view.cacheMarkers).toBe(0)
    })
  })

  describe.each(parameterCases.map((row) => [row.name, row] as const))('parameter %s', (_name, row) => {
    const handling = wire.parameters[row.name]
    const title = {
      sent: 'reaches the provider',
      emulated: `is emulated (${handling.kind === 'emulated' ? handling.how : ''})`,
      rejected: `is rejected with UnsupportedFeatureError naming ${wire.provider} and "${handling.kind === 'rejected' ? handling.feature : ''}"`,
      ignored: `is left out, as documented (${handling.kind === 'ignored' ? handling.why : ''})`,
    }[handling.kind]
    it(title, async () => {
      if (handling.kind === 'rejected') {
        const calls = wire.serveChat(server, () => wire.jsonResponse(wire.text().json))
        const error = await expectRejection(routerFor(wire).chat({ ...row.request, model: 'parity' }))
        expectUnsupported(wire, error, handling.feature, calls)
        return
      }
      if (handling.kind === 'emulated' && handling.answer) {
        for (const streamed of [false, true]) {
          const { outcome } = await run(wire, row.request, handling.answer(), streamed)
          handling.verify!(outcome.toolCalls)
        }
        return
      }
      const { calls } = await run(wire, row.request, wire.text(), false)
      const body = calls[0]!.body
      if (handling.kind === 'sent' || handling.kind === 'emulated') expect(handling.read!(body)).toEqual(row.canonical)
      else expect(handling.absent(body)).toBe(true)
    })
  })

  describe(sections.jsonEmulation, () => {
    const emulation = wire.jsonEmulation
    if (!emulation) {
      it('needs no emulation: every model of this provider takes json_schema natively (see the json_schema rows)', () => {
        expect(wire.support.jsonSchema.kind).not.toBe('emulated')
      })
      return
    }
    it.each([false, true])(`is emulated with ${emulation.how} and comes back as JSON text (streamed: %s)`, async (streamed) => {
      const answer = emulation.answer()
      const request: ParityRequest = {
        messages: [{ role: 'user', content: 'Report the weather as JSON.' }],
        response_format: { type: 'json_schema', json_schema: { name: 'weather_report', schema: reportSchema } },
      }
      const { outcome, view } = await run(wire, request, answer, streamed, { model: emulation.model })
      expect(view.outputSchema).toEqual(reportSchema)
      // The emulation's tool is not one of the caller's tools, and its call is not a tool call.
      expect(view.tools).toEqual([])
      expect(outcome.toolCalls).toEqual([])
      expect(JSON.parse(outcome.text!)).toEqual(emulation.valueOf(answer, streamed))
      expect(outcome.finishReason).toBe('stop')
      expect(outcome.usage).toMatchObject(expectedOf(wire, answer, streamed).usage)
    })
  })

  describe(sections.reasoning, () => {
    it.each([false, true])('returns the reasoning text and reasoning tokens the provider reports (streamed: %s)', async (streamed) => {
      const answer = wire.reasoning()
      const { outcome } = await run(wire, hello, answer, streamed)
      expect(outcome.reasoning).toBe(answer.reasoningText)
      expect(outcome.usage.reasoningTokens).toBe(answer.reasoningTokens)
      expect(outcome.chatUsage.completion_tokens_details.reasoning_tokens).toBe(answer.reasoningTokens)
      expectOutcome(outcome, expectedOf(wire, answer, streamed))
    })
  })

  const signedAnswer = wire.signedAnswer
  if (signedAnswer) {
    describe(sections.signatures, () => {
      it.each([false, true])('sends the signature of the answer back with the assistant turn (streamed: %s)', async (streamed) => {
        const { answer, signature } = signedAnswer.call(wire)
        const calls = wire.serveChat(server, (call) => (call.stream ? wire.streamResponse(answer.chunks) : wire.jsonResponse(answer.json)))
        const router = routerFor(wire)
        const request: ParityRequest = { messages: [{ role: 'user', content: 'What is the weather in San Francisco?' }], tools: [weatherTool] }
        const result = streamed
          ? await router.stream({ ...request, model: 'parity' }).finalResult()
          : await router.chat({ ...request, model: 'parity' })
        const message = result.choices[0]!.message
        const results: ChatMessage[] = (message.tool_calls ?? []).map((call) => ({ role: 'tool', tool_call_id: call.id, content: '{"temperature":18}' }))
        const next: ChatMessage[] = results.length > 0 ? results : [{ role: 'user', content: 'Thanks!' }]
        await router.chat({ ...request, messages: [...request.messages, message, ...next], model: 'parity' })
        expect(calls).toHaveLength(2)
        expect(JSON.stringify(calls[1]!.body)).toContain(streamed ? signature.chunks : signature.json)
      })
    })
  }

  describe(sections.cacheMarkers, () => {
    const caching = wire.promptCaching
    const request: ParityRequest = {
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Long, stable instructions.', cache_control: { type: 'ephemeral' } }] },
        { role: 'user', content: [{ type: 'text', text: 'Hello, how are you?', cache_control: { type: 'ephemeral', ttl: '1h' } }] },
      ],
      tools: [{ ...weatherTool, cache_control: { type: 'ephemeral' } }],
    }
    it(
      caching.kind === 'markers'
        ? 'forwards every cache_control marker (system, message, tool) with its ttl'
        : `sends no marker: the provider caches by itself (${caching.kind === 'automatic' ? caching.how : ''})`,
      async () => {
        const { view, calls } = await run(wire, request, wire.text(), false)
        expect(view.systemTexts).toEqual(['Long, stable instructions.'])
        expect(view.tools.map((tool) => tool.name)).toEqual(['weather'])
        if (caching.kind === 'markers') {
          expect(view.cacheMarkers).toBe(3)
          expect(JSON.stringify(calls[0]!.body)).toContain('"ttl":"1h"')
        } else {
          expect(view.cacheMarkers).toBe(0)
        }
      },
    )
  })

  describe(sections.cachedUsage, () => {
    it.each([false, true])('splits cache reads and writes out of input tokens and prices each at its own rate (streamed: %s)', async (streamed) => {
      const answer = wire.cachedUsage()
      // USD per million tokens, given here so the check does not depend on the catalog.
      const price = { input: 2, output: 8, cacheRead: 0.5, cacheWrite: 2.5 }
      // The price is set for the model asked for and for the one the recorded answer names, which
      // is what is billed when they differ.
      const answered = (answer.json as { model?: string; modelVersion?: string }).model ?? (answer.json as { modelVersion?: string }).modelVersion
      const { outcome } = await run(wire, hello, answer, streamed, { prices: { [`${wire.provider}/${wire.model}`]: price, [`${wire.provider}/${answered}`]: price } })
      expect(outcome.usage.cacheReadTokens).toBe(answer.cacheReadTokens)
      expect(outcome.usage.cacheWriteTokens).toBe(answer.cacheWriteTokens)
      expect(outcome.chatUsage.prompt_tokens_details.cached_tokens).toBe(answer.cacheReadTokens)
      expectOutcome(outcome, expectedOf(wire, answer, streamed))
      const { inputTokens, outputTokens } = outcome.usage
      expect(outcome.cost.input).toBeCloseTo((inputTokens * price.input) / 1e6, 12)
      expect(outcome.cost.cacheRead).toBeCloseTo((answer.cacheReadTokens * price.cacheRead) / 1e6, 12)
      expect(outcome.cost.cacheWrite).toBeCloseTo((answer.cacheWriteTokens * price.cacheWrite) / 1e6, 12)
      expect(outcome.cost.output).toBeCloseTo((outputTokens * price.output) / 1e6, 12)
      expect(outcome.cost.total).toBeCloseTo(
        (inputTokens * price.input + answer.cacheReadTokens * price.cacheRead + answer.cacheWriteTokens * price.cacheWrite + outputTokens * price.output) / 1e6,
        12,
      )
    })
  })

  describe(sections.abort, () => {
    it('a chat call aborted in flight rejects with AbortedError and cancels the HTTP request', async () => {
      const calls = wire.serveChat(
        server,
        (call) => new Promise<Response>((resolve) => call.signal.addEventListener('abort', () => resolve(wire.jsonResponse(wire.text().json)))),
      )
      const controller = new AbortController()
      const pending = routerFor(wire).chat({ ...hello, model: 'parity' }, { signal: controller.signal })
      await vi.waitFor(() => expect(calls).toHaveLength(1))
      controller.abort()
      const error = await expectRejection(pending)
      expect(error).toBeInstanceOf(AbortedError)
      // Over a real socket (Bedrock's local HTTP/2 server) the cancellation reaches the server a moment later.
      await vi.waitFor(() => expect(calls[0]!.signal.aborted).toBe(true))
    })

    it('a stream aborted after its first chunk throws AbortedError and cancels the HTTP request', async () => {
      const answer = wire.text()
      // Everything up to the first text, so the stream has started answering when it stalls.
      const firstText = answer.chunks.findIndex((_chunk, index) => wire.expectFromChunks(answer.chunks.slice(0, index + 1)).text)
      expect(firstText).toBeGreaterThanOrEqual(0)
      const calls = wire.serveChat(server, (call) => wire.hangingStreamResponse(answer.chunks.slice(0, firstText + 1), call.signal))
      const controller = new AbortController()
      const received: ChatChunk[] = []
      const error = await expectRejection(
        (async () => {
          for await (const chunk of routerFor(wire).stream({ ...hello, model: 'parity' }, { signal: controller.signal })) {
            received.push(chunk)
            controller.abort()
          }
        })(),
      )
      expect(received).toHaveLength(1)
      expect(error).toBeInstanceOf(AbortedError)
      // Over a real socket (Bedrock's local HTTP/2 server) the cancellation reaches the server a moment later.
      await vi.waitFor(() => expect(calls[0]!.signal.aborted).toBe(true))
    })
  })

  describe(sections.streamBreak, () => {
    it('throws StreamInterruptedError carrying the text received so far', async () => {
      const answer = wire.text()
      const firstText = answer.chunks.findIndex((_chunk, index) => wire.expectFromChunks(answer.chunks.slice(0, index + 1)).text)
      const partial = wire.expectFromChunks(answer.chunks.slice(0, firstText + 1)).text
      wire.serveChat(server, () => wire.streamResponse(answer.chunks, { breakAfter: firstText + 1 }))
      const received: ChatChunk[] = []
      const error = await expectRejection(
        (async () => {
          for await (const chunk of routerFor(wire).stream({ ...hello, model: 'parity' })) received.push(chunk)
        })(),
      )
      expect(error).toBeInstanceOf(StreamInterruptedError)
      expect(error).toMatchObject({ provider: wire.provider, partialText: partial })
      expect(received.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(partial)
    })
  })

  describe.each(errorCases.map((row) => [row.name, row] as const))('error: %s', (_name, row) => {
    const wireError = wire.error(row.kind)
    if (!wireError) {
      it('is signalled in the answer, not by HTTP status: finish reason content_filter', async () => {
        const blocked = wire.contentFilteredAnswer?.()
        expect(blocked, `${wire.provider} needs an error or a content-filtered answer for "${row.kind}"`).toBeDefined()
        for (const streamed of [false, true]) {
          const { outcome } = await run(wire, hello, blocked!, streamed)
          expect(outcome.finishReason).toBe('content_filter')
          expectOutcome(outcome, expectedOf(wire, blocked!, streamed))
        }
      })
      return
    }
    const carries = wireError.retryAfterMs === undefined ? 'status' : `status and retryAfterMs ${wireError.retryAfterMs} (from the ${wireError.retryAfterSource})`
    it.each([false, true])(`becomes ${row.errorClass.name} (${row.code}) with its ${carries}, sent once (streamed: %s)`, async (streamed) => {
      const calls = wire.serveChat(server, () => errorAnswer(wireError))
      const router = routerFor(wire)
      const error = await expectRejection(
        streamed ? collect(router.stream({ ...hello, model: 'parity' })) : router.chat({ ...hello, model: 'parity' }),
      )
      expect(error).toBeInstanceOf(row.errorClass)
      expect(error.code).toBe(row.code)
      expect(error).toMatchObject({ provider: wire.provider, model: wire.model, status: wireError.status, retryable: row.retryable })
      expect(error.retryAfterMs).toBe(wireError.retryAfterMs)
      expectNoKey(wire, error)
      // The SDK's own retries are off: the router alone decides about trying again.
      expect(calls).toHaveLength(1)
    })
  })

  describe(sections.embeddings, () => {
    const serveEmbeddings = wire.serveEmbeddings
    if (wire.support.embeddings.kind === 'rejected' || !serveEmbeddings) {
      it('rejects router.embed with UnsupportedFeatureError naming the provider', async () => {
        const router = createRouter({ providers: [wire.create()] })
        const error = await expectRejection(router.embed({ model: `${wire.provider}/${wire.model}`, input: 'alpha' }))
        expect(error).toBeInstanceOf(UnsupportedFeatureError)
        expect(error).toMatchObject({ provider: wire.provider, feature: 'embeddings' })
      })
      return
    }
    const reported = wire.embeddingTokensReported !== false
    it(`returns the vectors, usage and cost${reported ? '' : ' (unknown: the provider reports no tokens)'}, and sends every input`, async () => {
      const vectors = [
        [0.1, -0.2, 0.3],
        [0.4, 0.5, -0.6],
      ]
      const calls = serveEmbeddings.call(wire, server, vectors, 7)
      const modelId = `${wire.provider}/${wire.embeddingModel}`
      const router = createRouter({ providers: [wire.create()], prices: { [modelId]: { input: 0.1, output: 0 } } })
      const result = await router.embed({ model: modelId, input: ['alpha', 'beta'] })
      expect(result.data.map((item) => item.embedding)).toEqual(vectors)
      expect(result.data.map((item) => item.index)).toEqual([0, 1])
      expect(result.usage.prompt_tokens).toBe(reported ? 7 : 0)
      // Never a made-up cost: without a token count, the cost is unknown.
      if (reported) expect(result.cost.total).toBeCloseTo((7 * 0.1) / 1e6, 12)
      else expect(result.cost.total).toBeNull()
      expect(calls).toHaveLength(1)
      expect(JSON.stringify(calls[0]!.body)).toContain('alpha')
      expect(JSON.stringify(calls[0]!.body)).toContain('beta')
    })
  })
})

/**
 * Every recording replayed through its provider's SDK and adapter. The expected values are literal
 * values read from the recording files (`recorded-outcomes.ts`), not derived by code.
 */
const recordedRoot = fileURLToPath(new URL('../fixtures/recorded/', import.meta.url))

function recordingsOf(provider: string): Array<{ file: string; name: string; streamed: boolean }> {
  return readdirSync(`${recordedRoot}${provider}`)
    .filter((file) => file.endsWith('.json') || file.endsWith('.chunks.txt'))
    .map((file) => (file.endsWith('.chunks.txt') ? { file, name: file.slice(0, -'.chunks.txt'.length), streamed: true } : { file, name: file.slice(0, -'.json'.length), streamed: false }))
}

function expectRecordedText(actual: string | null, expected: RecordedText): void {
  if (expected === null || typeof expected === 'string') {
    expect(actual).toBe(expected)
    return
  }
  expect(actual).not.toBeNull()
  expect(actual!.length).toBe(expected.length)
  expect(actual!.startsWith(expected.startsWith)).toBe(true)
  expect(actual!.endsWith(expected.endsWith)).toBe(true)
  expect(createHash('sha256').update(actual!).digest('hex')).toBe(expected.sha256)
}

describe('every recording exists for a provider in the matrix', () => {
  it('has one provider folder per adapter, and no other', () => {
    const folders = readdirSync(recordedRoot, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name)
    // `openai-responses` holds recordings of an API the router serves (the Responses facade's reference), not one it calls.
    expect(folders.filter((folder) => folder !== 'openai-responses').sort()).toEqual(recordedFolders.toSorted())
  })

  it('answers that are recordings as recorded are checked against the literal values', () => {
    const literals = Object.values(recordedOutcomes)
    // A wire that adds chunks of its host to a recording (Azure's prompt-filter chunk) has its stream read by the oracle.
    for (const wire of wires.filter((wire) => wire.recordingsFolder === undefined)) {
      const text = wire.text()
      expect(literals).toContain(expectedOf(wire, text, false))
      expect(literals).toContain(expectedOf(wire, text, true))
    }
  })

  it('has a literal expected outcome for every recording, and none for a recording that is gone', () => {
    const files = recordedFolders.flatMap((folder) => recordingsOf(folder).map((recording) => `${folder}/${recording.file}`))
    expect(Object.keys(recordedOutcomes).sort()).toEqual(files.sort())
  })
})

describe.each(wires.map((wire) => [wire.provider, wire] as const))('recordings replay: %s', (provider, wire) => {
  const folder = folderOf(wire)
  it.each(recordingsOf(folder).map((recording) => [recording.file, recording] as const))('%s', async (file, recording) => {
    const expected = recordedOutcomes[`${folder}/${file}`]!
    if ('error' in expected) {
      const json = recordedJson(folder, recording.name)
      wire.serveChat(server, () => errorAnswer({ status: expected.error.status, body: json }))
      const error = await expectRejection(routerFor(wire).chat({ ...hello, model: 'parity' }))
      expect(error).toMatchObject({ provider, status: expected.error.status, retryAfterMs: expected.error.retryAfterMs })
      return
    }
    const answer = recording.streamed ? { json: null, chunks: recordedChunks(folder, recording.name) } : { json: recordedJson(folder, recording.name), chunks: [] }
    const { outcome } = await run(wire, requestFor(expected), answer, recording.streamed)
    expectOutcome(outcome, expected)
  })
})

/** A request that offers the tools a recording calls, so adapters see a consistent conversation. */
function requestFor(expected: { toolCalls: Array<{ name: string }> }): ParityRequest {
  const names = [...new Set(expected.toolCalls.map((call) => call.name))]
  if (names.length === 0) return hello
  return {
    messages: [{ role: 'user', content: 'Use the tool.' }],
    tools: names.map((name) => ({ type: 'function', function: { name, parameters: { type: 'object', properties: {} } } })),
  }
}

/**
 * `docs/provider-matrix.md` cites, in the Test column of each table row, the matrix sections and
 * recordings behind the row: every name it cites must exist, so no cell outlives its test.
 */
describe('docs/provider-matrix.md', () => {
  it('cites in its Test column only sections of this matrix and recordings that exist', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../docs/provider-matrix.md', import.meta.url)), 'utf8')
    const testColumn = wires.length + 2
    // Every provider of the matrix has its column in every provider table, in the matrix's order.
    const headers = doc.split('\n').filter((line) => line.startsWith('| Feature |') || line.startsWith('| Error |') || line.startsWith('| Parameter |'))
    expect(headers.length).toBeGreaterThanOrEqual(3)
    for (const header of headers) expect(header.split('|').map((cell) => cell.trim()).slice(2, testColumn)).toEqual(wires.map((wire) => wire.provider))
    const sectionNames = new Set<string>([
      ...canonicalCases.map((row) => row.name),
      ...parameterCases.map((row) => `parameter ${row.name}`),
      ...errorCases.map((row) => `error: ${row.name}`),
      ...Object.values(sections),
    ])
    const recordingFiles = recordedFolders.flatMap((folder) => readdirSync(`${recordedRoot}${folder}`))
    const rows = doc
      .split('\n')
      .map((line) => line.split('|').map((cell) => cell.trim()))
      // Rows of the provider tables: feature, one column per provider of the matrix, test (and the empty ends of the line).
      .filter((cells) => cells.length === testColumn + 2 && cells[1] !== '' && !cells[1]!.startsWith('---') && cells[testColumn] !== 'Test')
    expect(rows.length).toBeGreaterThan(30)
    for (const cells of rows) {
      const cited = [...cells[testColumn]!.matchAll(/`([^`]+)`/g)].map((match) => match[1]!)
      const sectionsCited = cited.filter((name) => sectionNames.has(name))
      expect(sectionsCited, `row "${cells[1]}" cites no section of the matrix`).not.toEqual([])
      for (const name of cited.filter((name) => !sectionNames.has(name))) {
        const pattern = new RegExp(`^${name.replaceAll('.', '\\.').replaceAll('*', '.*')}(\\.json|\\.chunks\\.txt)?$`)
        expect(recordingFiles.some((file) => pattern.test(file)), `row "${cells[1]}" cites "${name}", which is neither a section nor a recording`).toBe(true)
      }
    }
  })
})
