import type { SetupServer } from 'msw/node'
import { expect } from 'vitest'
import { google, type FinishReason } from '../../../src/index.js'
import { recordedChunks, recordedJson } from '../recordings.js'
import {
  captureCalls,
  copy,
  emptyRequestView,
  hangingSseAnswer,
  jsonAnswer,
  sseAnswer,
  usage,
  type ExpectedOutcome,
  type ProviderWire,
  type RequestView,
  type WireAnswer,
  type WireCall,
  type WireError,
  type WireToolCall,
} from './provider-wire.js'

const apiKey = 'AIzaSyTestParityGoogle0123456789abcdefg'
const format = { namedEvents: false, done: false }

/** Google's error body: `{ error: { code, message, status, details } }`. */
function googleError(status: number, statusName: string, message: string, details?: unknown[]): WireError {
  return { status, body: { error: { code: status, message, status: statusName, ...(details ? { details } : {}) } } }
}

/** `retryDelay: "34.4s"` inside a `google.rpc.RetryInfo` detail, in milliseconds. */
function retryDelayOf(json: any): number | undefined {
  const detail = (json.error?.details ?? []).find((item: any) => String(item['@type']).endsWith('google.rpc.RetryInfo'))
  return detail ? Math.round(Number.parseFloat(detail.retryDelay) * 1000) : undefined
}

function finishReasonFromGoogle(reason: string | undefined, hasToolCalls: boolean): FinishReason {
  if (reason === 'MAX_TOKENS') return 'length'
  if (['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY'].includes(reason ?? '')) return 'content_filter'
  // Gemini ends a function-calling turn with STOP; canonical clients loop on `tool_calls`.
  return hasToolCalls ? 'tool_calls' : 'stop'
}

/** Gemini counts cached tokens inside `promptTokenCount` and thoughts outside `candidatesTokenCount`. */
function usageFromGoogle(metadata: any) {
  const cached = metadata?.cachedContentTokenCount ?? 0
  const thoughts = metadata?.thoughtsTokenCount ?? 0
  return usage({
    inputTokens: (metadata?.promptTokenCount ?? 0) - cached,
    cacheReadTokens: cached,
    outputTokens: (metadata?.candidatesTokenCount ?? 0) + thoughts,
    reasoningTokens: thoughts,
  })
}

function outcomeOfParts(parts: any[], finishReason: string | undefined, metadata: unknown): ExpectedOutcome {
  const text = parts.filter((part) => typeof part.text === 'string' && !part.thought).map((part) => part.text).join('')
  const reasoning = parts.filter((part) => part.thought && typeof part.text === 'string').map((part) => part.text).join('')
  const toolCalls: WireToolCall[] = parts
    .filter((part) => part.functionCall)
    .map((part) => ({ id: part.functionCall.id, name: part.functionCall.name, arguments: part.functionCall.args ?? {} }))
  return {
    text: text || null,
    toolCalls,
    usage: usageFromGoogle(metadata),
    finishReason: finishReasonFromGoogle(finishReason, toolCalls.length > 0),
    ...(reasoning ? { reasoning } : {}),
  }
}

function expectFromJson(json: any): ExpectedOutcome {
  const candidate = json.candidates?.[0]
  return outcomeOfParts(candidate?.content?.parts ?? [], candidate?.finishReason, json.usageMetadata)
}

function expectFromChunks(chunks: any[]): ExpectedOutcome {
  const parts = chunks.flatMap((chunk) => chunk.candidates?.[0]?.content?.parts ?? [])
  const finishReason = chunks.map((chunk) => chunk.candidates?.[0]?.finishReason).filter(Boolean).at(-1)
  const metadata = chunks.map((chunk) => chunk.usageMetadata).filter(Boolean).at(-1)
  return outcomeOfParts(parts, finishReason, metadata)
}

function readRequest(call: WireCall): RequestView {
  const body = call.body
  const system = body.systemInstruction ? [(body.systemInstruction.parts ?? []).map((part: any) => part.text).join('')] : []
  const view = emptyRequestView(body, system)
  for (const content of body.contents ?? []) {
    for (const part of content.parts ?? []) {
      if (content.role === 'user' && typeof part.text === 'string') view.userTexts.push(part.text)
      if (part.inlineData) view.images.push({ mediaType: part.inlineData.mimeType, data: part.inlineData.data })
      if (part.fileData) view.images.push({ url: part.fileData.fileUri })
      if (part.functionCall) view.assistantToolCalls.push({ id: part.functionCall.id, name: part.functionCall.name, arguments: part.functionCall.args ?? {} })
      if (part.functionResponse) view.toolResults.push({ callId: part.functionResponse.id, name: part.functionResponse.name, content: part.functionResponse.response })
    }
  }
  for (const declaration of (body.tools ?? []).flatMap((tool: any) => tool.functionDeclarations ?? [])) {
    view.tools.push({ name: declaration.name, description: declaration.description, parameters: declaration.parametersJsonSchema ?? declaration.parameters })
  }
  const generation = body.generationConfig ?? {}
  view.outputSchema = generation.responseJsonSchema ?? generation.responseSchema
  return view
}

const textRecording = () => ({ json: recordedJson('google', 'google-text'), chunks: recordedChunks('google', 'google-text') })
const toolRecording = () => ({ json: recordedJson('google', 'google-tool-call'), chunks: recordedChunks('google', 'google-tool-call') })

/** An answer with these parts, built on a recorded answer: whole parts in the first chunk, STOP and usage in the last. */
function answerWith(template: { json: any; chunks: any[] }, parts: any[], finishReason = 'STOP'): WireAnswer {
  const json = copy(template.json)
  json.candidates[0].content.parts = parts
  json.candidates[0].finishReason = finishReason
  delete json.candidates[0].finishMessage
  const last = copy(template.chunks.at(-1))
  const first = copy(template.chunks[0])
  first.candidates[0].content.parts = parts
  delete first.candidates[0].finishReason
  last.candidates[0].content = { parts: [{ text: '' }], role: 'model' }
  last.candidates[0].finishReason = finishReason
  return { json, chunks: [first, last] }
}

function toolCalls(calls: WireToolCall[]): WireAnswer {
  const template = toolRecording()
  const signature = template.json.candidates[0].content.parts[0].thoughtSignature
  // Gemini sends whole calls, and only the first call of a turn carries the thought signature.
  const parts = calls.map((call, index) => ({ functionCall: { name: call.name, args: call.arguments }, ...(index === 0 ? { thoughtSignature: signature } : {}) }))
  return answerWith(template, parts)
}

const textWith = (content: string) => answerWith(textRecording(), [{ text: content }])

/** Gemini at generativelanguage.googleapis.com (`:generateContent`, `:streamGenerateContent?alt=sse`), answered from `recorded/google`. */
export const googleWire: ProviderWire = {
  provider: 'google',
  model: 'gemini-2.5-flash',
  apiKey,
  create: () => google({ apiKey }),
  serveChat: (server, respond) =>
    captureCalls(server, /generativelanguage\.googleapis\.com\/v1beta\/models\/[^/]+:(generateContent|streamGenerateContent)/, (url) => url.pathname.endsWith(':streamGenerateContent'), respond),
  jsonResponse: (json) => jsonAnswer(json),
  streamResponse: (chunks, options) => sseAnswer(chunks, format, options),
  hangingStreamResponse: (chunks, until) => hangingSseAnswer(chunks, format, until),
  text: textRecording,
  truncated() {
    const { json, chunks } = textRecording()
    json.candidates[0].finishReason = 'MAX_TOKENS'
    for (const chunk of chunks) if (chunk.candidates?.[0]?.finishReason) chunk.candidates[0].finishReason = 'MAX_TOKENS'
    return { json, chunks }
  },
  recordedToolCall: toolRecording,
  toolCalls,
  signedAnswer() {
    // As recorded: Gemini 3 signs its function call, and rejects a next turn that drops the signature.
    const answer = toolRecording()
    const signatureOf = (parts: any[]) => parts.find((part) => part.thoughtSignature).thoughtSignature as string
    return {
      answer,
      signature: {
        json: signatureOf(answer.json.candidates[0].content.parts),
        chunks: signatureOf(answer.chunks.flatMap((chunk: any) => chunk.candidates[0].content.parts)),
      },
    }
  },
  textWith,
  jsonOutput: (value) => textWith(JSON.stringify(value)),
  reasoning() {
    const reasoningText = 'The user greets me; a short friendly answer fits.'
    const answer = answerWith(textRecording(), [{ text: reasoningText, thought: true }, { text: 'Hello!' }])
    ;(answer.chunks.at(-1) as any).usageMetadata = copy((answer.json as any).usageMetadata)
    // As recorded: thoughtsTokenCount, outside candidatesTokenCount.
    return { ...answer, reasoningText, reasoningTokens: (answer.json as any).usageMetadata.thoughtsTokenCount }
  },
  cachedUsage() {
    const answer = textWith('Cached answer.')
    const metadata = { promptTokenCount: 2048, cachedContentTokenCount: 1536, candidatesTokenCount: 12, totalTokenCount: 2060 }
    ;(answer.json as any).usageMetadata = metadata
    for (const chunk of answer.chunks as any[]) chunk.usageMetadata = metadata
    return { ...answer, cacheReadTokens: 1536, cacheWriteTokens: 0 }
  },
  contentFilteredAnswer() {
    const blocked = {
      finishReason: 'SAFETY',
      index: 0,
      safetyRatings: [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true }],
    }
    const template = textRecording()
    const json = { ...copy(template.json), candidates: [blocked] }
    return { json, chunks: [{ ...copy(template.chunks.at(-1)), candidates: [blocked] }] }
  },
  expectFromJson,
  expectFromChunks,
  expectErrorFromJson: (json) => ({ status: json.error.code, retryAfterMs: retryDelayOf(json) }),
  readRequest,
  error(kind) {
    switch (kind) {
      case 'invalid':
        return googleError(400, 'INVALID_ARGUMENT', 'Invalid value at \'contents[0].parts[0]\': a part must have data.')
      case 'auth':
        // What Gemini really sends for a bad key: 400, with the reason in an ErrorInfo detail.
        return googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
          { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } },
        ])
      case 'rate-limit': {
        const body = recordedJson('google', 'google-429-retry-info')
        return { status: 429, body, retryAfterMs: retryDelayOf(body), retryAfterSource: 'RetryInfo.retryDelay in the recorded 429 body' }
      }
      case 'server':
        return googleError(500, 'INTERNAL', 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting')
      case 'overloaded':
        return googleError(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.')
      case 'context-length':
        return googleError(400, 'INVALID_ARGUMENT', 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).')
      case 'content-filter':
        // Gemini signals it in the answer: finishReason SAFETY (see contentFilteredAnswer).
        return undefined
    }
  },
  parameters: {
    temperature: { kind: 'sent', read: (body) => body.generationConfig?.temperature },
    top_p: { kind: 'sent', read: (body) => body.generationConfig?.topP },
    max_tokens: { kind: 'sent', read: (body) => body.generationConfig?.maxOutputTokens },
    stop: { kind: 'sent', read: (body) => body.generationConfig?.stopSequences },
    seed: { kind: 'sent', read: (body) => body.generationConfig?.seed },
    presence_penalty: { kind: 'sent', read: (body) => body.generationConfig?.presencePenalty },
    frequency_penalty: { kind: 'sent', read: (body) => body.generationConfig?.frequencyPenalty },
    tool_choice: { kind: 'sent', read: (body) => (body.toolConfig?.functionCallingConfig?.mode === 'ANY' ? 'required' : body.toolConfig?.functionCallingConfig?.mode) },
    tool_choice_named: { kind: 'sent', read: (body) => body.toolConfig?.functionCallingConfig?.allowedFunctionNames?.[0] },
    parallel_tool_calls: {
      kind: 'emulated',
      how: 'Gemini has no switch for it: only the first function call of the answer is kept',
      answer: () =>
        toolCalls([
          { name: 'weather', arguments: { location: 'Paris' } },
          { name: 'weather', arguments: { location: 'Berlin' } },
        ]),
      verify: (calls) => expect(calls.map((call) => JSON.parse(call.arguments))).toEqual([{ location: 'Paris' }]),
    },
    user: { kind: 'ignored', why: 'the Gemini API has no end-user field', absent: (body) => JSON.stringify(body).indexOf('user-1234') === -1 },
    json_object: { kind: 'sent', read: (body) => body.generationConfig?.responseMimeType === 'application/json' },
    reasoning_effort: {
      kind: 'sent',
      read: (body) => {
        const thinking = body.generationConfig?.thinkingConfig
        return thinking !== undefined && (thinking.thinkingBudget > 0 || typeof thinking.thinkingLevel === 'string')
      },
    },
  },
  // Gemini rejects an object schema with no properties; a declaration without one is a tool without arguments.
  noArgumentToolSchema: undefined,
  promptCaching: { kind: 'automatic', how: 'implicit caching (explicit `cachedContent` is a separate resource, set through `provider_options.google`); cached tokens come back in `usageMetadata.cachedContentTokenCount`' },
  support: { jsonSchema: { kind: 'native' }, image: { kind: 'native' }, embeddings: { kind: 'native' } },
  embeddingModel: 'gemini-embedding-001',
  embeddingTokensReported: false,
  serveEmbeddings: (server: SetupServer, vectors: number[][]) =>
    captureCalls(server, /generativelanguage\.googleapis\.com\/v1beta\/models\/[^/]+:(batchEmbedContents|embedContent)/, () => false, (call) =>
      jsonAnswer(call.url.pathname.endsWith(':embedContent') ? { embedding: { values: vectors[0] } } : { embeddings: vectors.map((values) => ({ values })) }),
    ),
}
