import type { AssistantMessage, ToolCall } from '../../spec/message.js'
import type { FinishReason, ModelResponse } from '../../spec/response.js'
import type { BilledIteration, Usage } from '../../spec/usage.js'
import { thinkingProviderData, type WireThinkingBlock } from '../../internal/anthropic-thinking.js'
import type { AnthropicWireContentBlock, AnthropicWireMessage, AnthropicWireUsage } from './anthropic-wire-types.js'

export interface AnthropicResponseOptions {
  /** The forced tool that emulates JSON output: its input becomes the text content. */
  jsonToolName?: string
}

export function finishReasonFromAnthropic(stopReason: string | null | undefined, hasToolCalls: boolean): FinishReason {
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length'
    case 'tool_use':
      return hasToolCalls ? 'tool_calls' : 'stop'
    case 'refusal':
      return 'content_filter'
    default:
      // end_turn, stop_sequence and pause_turn (a server tool paused the turn) all end normally.
      return hasToolCalls ? 'tool_calls' : 'stop'
  }
}

/**
 * Anthropic's `input_tokens` already excludes cache reads and writes, so no subtraction is needed.
 * `cache_creation` splits the writes by lifetime; the 1-hour ones are billed higher.
 */
export function usageFromAnthropic(usage: AnthropicWireUsage | null | undefined): Usage {
  const canonical: Usage = countsFromAnthropic(usage)
  const iterations = billedIterations(usage?.iterations)
  if (iterations.length > 0) canonical.iterations = iterations
  return canonical
}

function countsFromAnthropic(usage: AnthropicWireUsage | null | undefined): Usage {
  const canonical: Usage = {
    inputTokens: usage?.input_tokens ?? 0,
    cacheReadTokens: usage?.cache_read_input_tokens ?? 0,
    cacheWriteTokens: usage?.cache_creation_input_tokens ?? 0,
    outputTokens: usage?.output_tokens ?? 0,
    reasoningTokens: usage?.output_tokens_details?.thinking_tokens ?? 0,
  }
  const longWrites = usage?.cache_creation?.ephemeral_1h_input_tokens
  if (longWrites) canonical.cacheWrite1hTokens = longWrites
  return canonical
}

/**
 * `usage.iterations` lists every sampling step of the call. The top-level counts are those of the
 * answer (`message` steps); compaction and advisor steps are billed on top, an advisor's at its own
 * model's rate, so they are kept for pricing.
 */
function billedIterations(iterations: unknown): BilledIteration[] {
  if (!Array.isArray(iterations)) return []
  const billed: BilledIteration[] = []
  for (const iteration of iterations) {
    if (typeof iteration !== 'object' || iteration === null) continue
    const step = iteration as AnthropicWireUsage & { type?: unknown; model?: unknown }
    if (step.type === 'message' || typeof step.type !== 'string') continue
    billed.push({ kind: step.type, ...(typeof step.model === 'string' ? { model: step.model } : {}), usage: countsFromAnthropic(step) })
  }
  return billed
}

/** The JSON text of a tool input; a tool called without arguments gives `{}`. */
export function toolArgumentsText(input: unknown): string {
  if (input === undefined || input === null) return '{}'
  return JSON.stringify(input)
}

/** Fields with no canonical home (which stop sequence matched, refusal details, cache TTL breakdown, ...). */
export function anthropicMetadata(fields: {
  stopSequence?: string | null
  stopDetails?: unknown
  usage?: AnthropicWireUsage | null
  unhandledContent?: unknown[]
}): Record<string, unknown> | undefined {
  const metadata: Record<string, unknown> = {}
  if (fields.stopSequence) metadata.stop_sequence = fields.stopSequence
  if (fields.stopDetails) metadata.stop_details = fields.stopDetails
  const usage = fields.usage ?? {}
  for (const key of ['cache_creation', 'service_tier', 'server_tool_use', 'inference_geo', 'speed']) {
    if (usage[key] !== undefined && usage[key] !== null) metadata[key] = usage[key]
  }
  if (fields.unhandledContent?.length) metadata.content_blocks = fields.unhandledContent
  return Object.keys(metadata).length > 0 ? metadata : undefined
}

export function fromAnthropicResponse(wire: AnthropicWireMessage, options: AnthropicResponseOptions = {}): ModelResponse {
  const texts: string[] = []
  const reasoning: string[] = []
  const thinkingBlocks: WireThinkingBlock[] = []
  const toolCalls: ToolCall[] = []
  const unhandled: AnthropicWireContentBlock[] = []
  for (const block of wire.content ?? []) {
    if (block.type === 'text') texts.push(block.text as string)
    else if (block.type === 'tool_use' && block.name === options.jsonToolName) texts.push(toolArgumentsText(block.input))
    else if (block.type === 'tool_use') {
      toolCalls.push({ id: block.id as string, type: 'function', function: { name: block.name as string, arguments: toolArgumentsText(block.input) } })
    } else if (block.type === 'thinking') {
      reasoning.push(block.thinking as string)
      thinkingBlocks.push({ type: 'thinking', thinking: block.thinking as string, signature: block.signature as string })
    } else if (block.type === 'redacted_thinking') thinkingBlocks.push({ type: 'redacted_thinking', data: block.data as string })
    else unhandled.push(block)
  }
  const message: AssistantMessage = { role: 'assistant', content: texts.length > 0 ? texts.join('') : null }
  if (toolCalls.length > 0) message.tool_calls = toolCalls
  if (reasoning.length > 0) message.reasoning = reasoning.join('')
  const providerData = thinkingProviderData(thinkingBlocks)
  if (providerData) message.provider_data = providerData
  const providerMetadata = anthropicMetadata({
    stopSequence: wire.stop_sequence,
    stopDetails: wire.stop_details,
    usage: wire.usage,
    unhandledContent: unhandled,
  })
  return {
    id: wire.id,
    model: wire.model,
    message,
    finishReason: finishReasonFromAnthropic(wire.stop_reason, toolCalls.length > 0),
    usage: usageFromAnthropic(wire.usage),
    ...(providerMetadata ? { providerMetadata } : {}),
  }
}
