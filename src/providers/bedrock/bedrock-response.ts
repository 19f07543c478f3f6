import type { AssistantMessage, ToolCall } from '../../spec/message.js'
import type { FinishReason, ModelResponse } from '../../spec/response.js'
import type { StreamEvent } from '../../spec/stream-event.js'
import type { Usage } from '../../spec/usage.js'
import { emptyUsage } from '../../provider-kit/usage.js'
import { incompleteStreamError } from '../../provider-kit/incomplete-stream.js'
import type { BedrockWireResponse, BedrockWireStreamEvent, BedrockWireUsage, StoredReasoningBlock } from './bedrock-wire-types.js'

export interface BedrockResponseContext {
  provider: string
  model: string
  /** The AWS request id, the answer's id (Converse answers carry none of their own). */
  requestId: string
  /** `parallel_tool_calls: false`: Converse has no switch, so only the first call of the answer is kept. */
  firstToolCallOnly: boolean
}

function finishReasonOf(stopReason: string | undefined, hasToolCalls: boolean): FinishReason {
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length'
    case 'tool_use':
      return 'tool_calls'
    case 'guardrail_intervened':
    case 'content_filtered':
      return 'content_filter'
    default:
      return hasToolCalls ? 'tool_calls' : 'stop'
  }
}

/** Converse reports cache reads and writes beside `inputTokens`, which counts only the uncached rest. */
function usageOf(usage: BedrockWireUsage | undefined): Usage {
  if (!usage) return emptyUsage()
  return {
    inputTokens: usage.inputTokens ?? 0,
    cacheReadTokens: usage.cacheReadInputTokens ?? 0,
    cacheWriteTokens: usage.cacheWriteInputTokens ?? 0,
    outputTokens: usage.outputTokens ?? 0,
    // Thinking is counted inside the output tokens; Converse reports no separate figure.
    reasoningTokens: 0,
  }
}

function base64Of(value: Uint8Array | string): string {
  if (typeof value === 'string') return value
  let binary = ''
  for (const byte of value) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/** Fields of the answer with no canonical home, kept rather than dropped. */
function metadataOf(fields: Record<string, unknown>): Record<string, unknown> | undefined {
  const kept = Object.entries(fields).filter(([, value]) => value !== undefined && value !== null)
  return kept.length > 0 ? Object.fromEntries(kept) : undefined
}

export function fromBedrockResponse(response: BedrockWireResponse, context: BedrockResponseContext): ModelResponse {
  const blocks = response.output?.message?.content ?? []
  let text: string | null = null
  let reasoning = ''
  const reasoningBlocks: StoredReasoningBlock[] = []
  let toolCalls: ToolCall[] = []
  for (const block of blocks) {
    if (typeof block.text === 'string') text = (text ?? '') + block.text
    else if (block.toolUse) {
      toolCalls.push({ id: block.toolUse.toolUseId ?? `call_${toolCalls.length}`, type: 'function', function: { name: block.toolUse.name ?? '', arguments: JSON.stringify(block.toolUse.input ?? {}) } })
    } else if (block.reasoningContent?.reasoningText) {
      const { text: thought = '', signature } = block.reasoningContent.reasoningText
      reasoning += thought
      reasoningBlocks.push({ text: thought, ...(signature ? { signature } : {}) })
    } else if (block.reasoningContent?.redactedContent !== undefined) {
      reasoningBlocks.push({ redactedContent: base64Of(block.reasoningContent.redactedContent) })
    }
  }
  if (context.firstToolCallOnly) toolCalls = toolCalls.slice(0, 1)
  const message: AssistantMessage = { role: 'assistant', content: text }
  if (toolCalls.length > 0) message.tool_calls = toolCalls
  if (reasoning) message.reasoning = reasoning
  if (reasoningBlocks.length > 0) message.provider_data = { bedrock: { reasoning_blocks: reasoningBlocks } }
  const providerMetadata = metadataOf({
    stopReason: response.stopReason,
    metrics: response.metrics,
    additionalModelResponseFields: response.additionalModelResponseFields,
    trace: response.trace,
    performanceConfig: response.performanceConfig,
    serviceTier: response.serviceTier,
  })
  return {
    id: context.requestId,
    model: context.model,
    message,
    finishReason: finishReasonOf(response.stopReason, toolCalls.length > 0),
    usage: usageOf(response.usage),
    ...(response.usage ? {} : { usageReported: false as const }),
    ...(providerMetadata ? { providerMetadata: { bedrock: providerMetadata } } : {}),
  }
}

/**
 * Canonical events from `ConverseStream`'s events. A tool call starts with its `contentBlockStart`
 * (id and name) and ends with its `contentBlockStop`; usage arrives in `metadata`, which Bedrock
 * sends before or after `messageStop`, so the finish is emitted when the stream ends.
 */
export async function* bedrockStreamEvents(events: AsyncIterable<BedrockWireStreamEvent>, context: BedrockResponseContext): AsyncGenerator<StreamEvent> {
  yield { type: 'response-start', id: context.requestId, model: context.model }
  let stopReason: string | undefined
  let usage: BedrockWireUsage | undefined
  const metadata: Record<string, unknown> = {}
  const toolsByBlock = new Map<number, { index: number; id: string; name: string; arguments: string; skipped: boolean }>()
  let toolCount = 0
  const reasoningBlocks: StoredReasoningBlock[] = []
  const openReasoning = new Map<number, { text: string; signature?: string }>()
  for await (const event of events) {
    if (event.contentBlockStart?.start?.toolUse) {
      const blockIndex = event.contentBlockStart.contentBlockIndex ?? 0
      const { toolUseId, name = '' } = event.contentBlockStart.start.toolUse
      const index = toolCount++
      const skipped = context.firstToolCallOnly && index > 0
      const call = { index, id: toolUseId ?? `call_${index}`, name, arguments: '', skipped }
      toolsByBlock.set(blockIndex, call)
      if (!skipped) yield { type: 'tool-call-start', index, id: call.id, name }
    } else if (event.contentBlockDelta) {
      const blockIndex = event.contentBlockDelta.contentBlockIndex ?? 0
      const delta = event.contentBlockDelta.delta ?? {}
      if (typeof delta.text === 'string' && delta.text !== '') yield { type: 'text-delta', text: delta.text }
      if (delta.toolUse?.input) {
        const call = toolsByBlock.get(blockIndex)
        if (call) {
          call.arguments += delta.toolUse.input
          if (!call.skipped) yield { type: 'tool-call-delta', index: call.index, argumentsDelta: delta.toolUse.input }
        }
      }
      const thought = delta.reasoningContent
      if (thought) {
        const block = openReasoning.get(blockIndex) ?? { text: '' }
        openReasoning.set(blockIndex, block)
        if (typeof thought.text === 'string' && thought.text !== '') {
          block.text += thought.text
          yield { type: 'reasoning-delta', text: thought.text }
        }
        if (typeof thought.signature === 'string') block.signature = thought.signature
        if (thought.redactedContent !== undefined) {
          openReasoning.delete(blockIndex)
          reasoningBlocks.push({ redactedContent: base64Of(thought.redactedContent) })
        }
      }
    } else if (event.contentBlockStop) {
      const blockIndex = event.contentBlockStop.contentBlockIndex ?? 0
      const call = toolsByBlock.get(blockIndex)
      if (call && !call.skipped) yield { type: 'tool-call-end', index: call.index, id: call.id, name: call.name, arguments: call.arguments || '{}' }
      toolsByBlock.delete(blockIndex)
      const reasoning = openReasoning.get(blockIndex)
      if (reasoning) {
        reasoningBlocks.push({ text: reasoning.text, ...(reasoning.signature ? { signature: reasoning.signature } : {}) })
        openReasoning.delete(blockIndex)
      }
    } else if (event.messageStop) {
      stopReason = event.messageStop.stopReason
      if (event.messageStop.additionalModelResponseFields !== undefined) metadata.additionalModelResponseFields = event.messageStop.additionalModelResponseFields
    } else if (event.metadata) {
      usage = event.metadata.usage
      for (const key of ['metrics', 'trace', 'performanceConfig', 'serviceTier'] as const) if (event.metadata[key] !== undefined) metadata[key] = event.metadata[key]
    }
  }
  if (stopReason === undefined) throw incompleteStreamError(context.provider, context.model, 'a messageStop event')
  // Blocks a stream left open (no contentBlockStop) still count.
  for (const call of toolsByBlock.values()) if (!call.skipped) yield { type: 'tool-call-end', index: call.index, id: call.id, name: call.name, arguments: call.arguments || '{}' }
  for (const reasoning of openReasoning.values()) reasoningBlocks.push({ text: reasoning.text, ...(reasoning.signature ? { signature: reasoning.signature } : {}) })
  if (reasoningBlocks.length > 0) yield { type: 'provider-data', data: { bedrock: { reasoning_blocks: reasoningBlocks } } }
  metadata.stopReason = stopReason
  yield { type: 'finish', finishReason: finishReasonOf(stopReason, toolCount > 0), usage: usageOf(usage), providerMetadata: { bedrock: metadata } }
}
