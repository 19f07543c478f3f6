import type { StreamEvent } from '../../spec/stream-event.js'
import type { InputUsage, Usage } from '../../spec/usage.js'
import { AnthropicStreamErrorEvent } from './anthropic-errors.js'
import {
  anthropicMetadata,
  finishReasonFromAnthropic,
  toolArgumentsText,
  usageFromAnthropic,
  type AnthropicResponseOptions,
} from './anthropic-response.js'
import { thinkingProviderData, type WireThinkingBlock } from '../../internal/anthropic-thinking.js'
import type { AnthropicWireContentBlock, AnthropicWireStreamEvent, AnthropicWireUsage } from './anthropic-wire-types.js'

/** What the translator remembers about one content block between its start and stop events. */
type OpenBlock =
  | { kind: 'text' }
  | { kind: 'tool'; toolIndex: number; id: string; name: string; arguments: string; startInput: unknown }
  | { kind: 'json'; text: string; startInput: unknown }
  | { kind: 'thinking'; thinking: string; signature: string }
  | { kind: 'redacted_thinking'; data: string }
  | { kind: 'other'; block: AnthropicWireContentBlock }

function hasFields(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0
}

// message_delta's usage is cumulative, but older API versions send only output_tokens there.
function mergeUsage(start: AnthropicWireUsage | undefined, delta: AnthropicWireUsage | undefined): AnthropicWireUsage {
  const merged: AnthropicWireUsage = { ...start }
  for (const [key, value] of Object.entries(delta ?? {})) if (value !== null && value !== undefined) merged[key] = value
  return merged
}

function inputUsageOf(usage: Usage): InputUsage {
  const input: InputUsage = { inputTokens: usage.inputTokens, cacheReadTokens: usage.cacheReadTokens, cacheWriteTokens: usage.cacheWriteTokens }
  if (usage.cacheWrite1hTokens !== undefined) input.cacheWrite1hTokens = usage.cacheWrite1hTokens
  return input
}

/**
 * Canonical events from the Messages API's raw stream. Tool calls are numbered in the order they
 * start (not by content-block index, which also counts text and thinking blocks), and the final
 * `finish` carries the whole usage: input and cache counts from `message_start`, output from
 * `message_delta`.
 */
export async function* anthropicStreamEvents(
  events: AsyncIterable<AnthropicWireStreamEvent>,
  options: AnthropicResponseOptions = {},
): AsyncGenerator<StreamEvent> {
  const open = new Map<number, OpenBlock>()
  const thinkingBlocks: WireThinkingBlock[] = []
  const unhandled: AnthropicWireContentBlock[] = []
  let toolCount = 0
  let startUsage: AnthropicWireUsage | undefined
  let deltaUsage: AnthropicWireUsage | undefined
  let stopReason: string | null | undefined
  let stopSequence: string | null | undefined
  let stopDetails: unknown
  let stopped = false

  for await (const event of events) {
    switch (event.type) {
      case 'message_start':
        startUsage = event.message.usage
        yield { type: 'response-start', id: event.message.id, model: event.message.model, inputUsage: inputUsageOf(usageFromAnthropic(startUsage)) }
        break
      case 'content_block_start': {
        const block = event.content_block
        if (block.type === 'text') {
          open.set(event.index, { kind: 'text' })
          if (block.text) yield { type: 'text-delta', text: block.text as string }
        } else if (block.type === 'tool_use' && block.name === options.jsonToolName) {
          open.set(event.index, { kind: 'json', text: '', startInput: block.input })
        } else if (block.type === 'tool_use') {
          const state = { kind: 'tool' as const, toolIndex: toolCount++, id: block.id as string, name: block.name as string, arguments: '', startInput: block.input }
          open.set(event.index, state)
          yield { type: 'tool-call-start', index: state.toolIndex, id: state.id, name: state.name }
        } else if (block.type === 'thinking') {
          open.set(event.index, { kind: 'thinking', thinking: (block.thinking as string) ?? '', signature: (block.signature as string) ?? '' })
          if (block.thinking) yield { type: 'reasoning-delta', text: block.thinking as string }
        } else if (block.type === 'redacted_thinking') {
          open.set(event.index, { kind: 'redacted_thinking', data: block.data as string })
        } else {
          open.set(event.index, { kind: 'other', block })
        }
        break
      }
      case 'content_block_delta': {
        const state = open.get(event.index)
        const delta = event.delta
        if (delta.type === 'text_delta' && delta.text) yield { type: 'text-delta', text: delta.text as string }
        else if (delta.type === 'thinking_delta' && state?.kind === 'thinking') {
          state.thinking += delta.thinking as string
          if (delta.thinking) yield { type: 'reasoning-delta', text: delta.thinking as string }
        } else if (delta.type === 'signature_delta' && state?.kind === 'thinking') state.signature += delta.signature as string
        else if (delta.type === 'input_json_delta' && delta.partial_json) {
          const partial = delta.partial_json as string
          if (state?.kind === 'tool') {
            state.arguments += partial
            yield { type: 'tool-call-delta', index: state.toolIndex, argumentsDelta: partial }
          } else if (state?.kind === 'json') {
            state.text += partial
            yield { type: 'text-delta', text: partial }
          }
        }
        break
      }
      case 'content_block_stop': {
        const state = open.get(event.index)
        open.delete(event.index)
        if (state?.kind === 'tool') {
          // No argument deltas means a tool without arguments, or an input sent whole at the start.
          const argumentsText = state.arguments || (hasFields(state.startInput) ? toolArgumentsText(state.startInput) : '{}')
          yield { type: 'tool-call-end', index: state.toolIndex, id: state.id, name: state.name, arguments: argumentsText }
        } else if (state?.kind === 'json' && state.text === '') {
          yield { type: 'text-delta', text: hasFields(state.startInput) ? toolArgumentsText(state.startInput) : '{}' }
        } else if (state?.kind === 'thinking') {
          thinkingBlocks.push({ type: 'thinking', thinking: state.thinking, signature: state.signature })
        } else if (state?.kind === 'redacted_thinking') {
          thinkingBlocks.push({ type: 'redacted_thinking', data: state.data })
        } else if (state?.kind === 'other') {
          unhandled.push(state.block)
        }
        break
      }
      case 'message_delta':
        if (event.delta.stop_reason !== undefined) stopReason = event.delta.stop_reason
        if (event.delta.stop_sequence !== undefined) stopSequence = event.delta.stop_sequence
        if (event.delta.stop_details !== undefined) stopDetails = event.delta.stop_details
        if (event.usage) deltaUsage = mergeUsage(deltaUsage, event.usage)
        break
      case 'message_stop':
        stopped = true
        break
      case 'error':
        throw new AnthropicStreamErrorEvent(event.error.type, event.error.message)
      default:
        break
    }
  }
  if (!stopped) {
    // A cleanly closed connection without message_stop is still a truncated answer.
    throw new AnthropicStreamErrorEvent('api_error', 'the stream ended before message_stop; the answer is incomplete.')
  }
  const providerData = thinkingProviderData(thinkingBlocks)
  if (providerData) yield { type: 'provider-data', data: providerData }
  const usage = mergeUsage(startUsage, deltaUsage)
  const providerMetadata = anthropicMetadata({ stopSequence, stopDetails, usage, unhandledContent: unhandled })
  yield {
    type: 'finish',
    finishReason: finishReasonFromAnthropic(stopReason, toolCount > 0),
    usage: usageFromAnthropic(usage),
    ...(providerMetadata ? { providerMetadata } : {}),
  }
}
