import { StreamAssembler } from '../../internal/stream-assembler.js'
import type { FinishReason, ModelResponse } from '../../spec/response.js'
import type { StreamEvent } from '../../spec/stream-event.js'
import type { Usage } from '../../spec/usage.js'
import { emptyUsage } from '../../provider-kit/usage.js'
import { usageFromCachedPrompt } from '../../provider-kit/cached-prompt-usage.js'
import { incompleteStreamError } from '../../provider-kit/incomplete-stream.js'
import { toProviderData, type GoogleProviderData } from './google-provider-data.js'
import type { GoogleWireCandidate, GoogleWireResponse, GoogleWireUsage } from './google-wire-types.js'

export interface GoogleResponseOptions {
  /** Provider id, to name it in errors. */
  provider: string
  /** The model asked for, reported when Gemini does not name its `modelVersion`. */
  model: string
  /** `parallel_tool_calls: false`: keep only the first function call (Gemini has no such switch). */
  firstToolCallOnly?: boolean
}

const contentFilterReasons = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
])

export function finishReasonFromGoogle(reason: string | undefined, hasToolCalls: boolean): FinishReason {
  if (reason === 'MAX_TOKENS') return 'length'
  if (reason !== undefined && contentFilterReasons.has(reason)) return 'content_filter'
  return hasToolCalls ? 'tool_calls' : 'stop'
}

/**
 * Gemini counts cached tokens inside `promptTokenCount` and thoughts outside `candidatesTokenCount`;
 * the cache is split out and thoughts are folded into output, so each token is priced once.
 */
export function usageFromGoogle(usage: GoogleWireUsage | undefined): Usage {
  if (!usage) return emptyUsage()
  const thoughts = usage.thoughtsTokenCount ?? 0
  return usageFromCachedPrompt({
    promptTokens: (usage.promptTokenCount ?? 0) + (usage.toolUsePromptTokenCount ?? 0),
    cachedTokens: usage.cachedContentTokenCount ?? 0,
    outputTokens: (usage.candidatesTokenCount ?? 0) + thoughts,
    reasoningTokens: thoughts,
  })
}

// Candidate and response fields with no canonical home, kept for `providerMetadata`.
const candidateMetadataFields = ['finishReason', 'finishMessage', 'safetyRatings', 'citationMetadata', 'groundingMetadata', 'urlContextMetadata'] as const

function newId(): string {
  return globalThis.crypto.randomUUID()
}

/**
 * Reads Gemini responses (one for `generateContent`, many chunks for a stream) as canonical
 * events. Gemini sends each function call whole, so a call is started and ended in one chunk.
 */
class GoogleResponseReader {
  private started = false
  private responseId: string | undefined
  private toolCallCount = 0
  private usage: GoogleWireUsage | undefined
  private finishReason: string | undefined
  private readonly metadata: Record<string, unknown> = {}
  private readonly signatures: GoogleProviderData = {}

  constructor(private readonly options: GoogleResponseOptions) {}

  *read(response: GoogleWireResponse): Generator<StreamEvent> {
    if (!this.started) {
      this.started = true
      this.responseId = response.responseId ?? newId()
      yield { type: 'response-start', id: this.responseId, model: response.modelVersion ?? this.options.model }
    }
    if (response.usageMetadata) this.usage = response.usageMetadata
    if (response.promptFeedback) this.metadata.promptFeedback = response.promptFeedback
    const candidate = response.candidates?.[0]
    if (!candidate) return
    this.keepMetadata(candidate)
    if (candidate.finishReason) this.finishReason = candidate.finishReason
    for (const part of candidate.content?.parts ?? []) {
      if (part.functionCall) {
        yield* this.toolCall(part.functionCall.id, part.functionCall.name ?? '', part.functionCall.args, part.thoughtSignature)
        continue
      }
      if (part.thoughtSignature) this.signatures.textSignature = part.thoughtSignature
      if (part.text === undefined || part.text === '') continue
      yield part.thought ? { type: 'reasoning-delta', text: part.text } : { type: 'text-delta', text: part.text }
    }
  }

  /** Whether Gemini said why the answer ended: a finish reason, or a blocked prompt. */
  get ended(): boolean {
    return this.finishReason !== undefined || this.metadata.promptFeedback !== undefined
  }

  *finish(): Generator<StreamEvent> {
    const providerData = toProviderData(this.signatures)
    if (providerData) yield { type: 'provider-data', data: providerData }
    const blocked = this.metadata.promptFeedback !== undefined && (this.metadata.promptFeedback as { blockReason?: string }).blockReason
    yield {
      type: 'finish',
      finishReason: blocked ? 'content_filter' : finishReasonFromGoogle(this.finishReason, this.toolCallCount > 0),
      usage: usageFromGoogle(this.usage),
      ...(Object.keys(this.metadata).length > 0 ? { providerMetadata: { ...this.metadata } } : {}),
    }
  }

  private *toolCall(nativeId: string | undefined, name: string, args: Record<string, unknown> | undefined, signature: string | undefined): Generator<StreamEvent> {
    if (this.options.firstToolCallOnly && this.toolCallCount > 0) return
    const index = this.toolCallCount++
    // Gemini rarely sends ids; ours derive from the response id so a replayed response keeps them.
    const id = nativeId ?? `call_${this.responseId}_${index}`
    if (nativeId) (this.signatures.nativeToolCallIds ??= []).push(nativeId)
    if (signature) (this.signatures.toolCallSignatures ??= {})[id] = signature
    const argumentsText = JSON.stringify(args ?? {})
    yield { type: 'tool-call-start', index, id, name }
    yield { type: 'tool-call-delta', index, argumentsDelta: argumentsText }
    yield { type: 'tool-call-end', index, id, name, arguments: argumentsText }
  }

  private keepMetadata(candidate: GoogleWireCandidate): void {
    for (const field of candidateMetadataFields) {
      if (candidate[field] !== undefined && candidate[field] !== null) this.metadata[field] = candidate[field]
    }
  }
}

/** Canonical events from a `generateContentStream` chunk stream; `finish` carries the last chunk's usage. */
export async function* googleStreamEvents(chunks: AsyncIterable<GoogleWireResponse>, options: GoogleResponseOptions): AsyncGenerator<StreamEvent> {
  const reader = new GoogleResponseReader(options)
  for await (const chunk of chunks) yield* reader.read(chunk)
  // The SDK ends a stream cut short quietly; without a finish reason the answer is incomplete.
  if (!reader.ended) throw incompleteStreamError(options.provider, options.model, 'a finish reason')
  yield* reader.finish()
}

/** A `generateContent` response as a canonical response: the same reading as a one-chunk stream. */
export function fromGoogleResponse(response: GoogleWireResponse, options: GoogleResponseOptions): ModelResponse {
  const reader = new GoogleResponseReader(options)
  const assembler = new StreamAssembler('', 0, options.model)
  for (const event of reader.read(response)) assembler.push(event)
  for (const event of reader.finish()) assembler.push(event)
  const answer = assembler.response()
  return response.usageMetadata ? answer : { ...answer, usageReported: false }
}
