import type { RouterStream } from '../router/router-client.js'
import type { ChatChunk, ChatResult, FinishReason } from '../spec/response.js'
import type { Usage } from '../spec/usage.js'
import { thinkingBlocksFromMessage } from '../internal/anthropic-thinking.js'
import { toAnthropicStop, toAnthropicUsage } from './anthropic-dialect.js'
import type { AnthropicContentBlock, AnthropicStreamEvent } from './anthropic-types.js'

type OpenBlock = { kind: 'text' | 'thinking' } | { kind: 'tool'; toolIndex: number }

/**
 * Turns the router's OpenAI-shaped chunks into Anthropic's stream events: one `message_start`,
 * each content block opened, filled and closed in turn (thinking, text, tool_use), then
 * `message_delta` with the stop reason and the whole usage, and `message_stop`.
 */
export class AnthropicStreamTranslator {
  private started = false
  private blockIndex = -1
  private open: OpenBlock | undefined
  private finishReason: FinishReason | null = null
  private refused = false
  private sawContent = false
  /** Block indexes of the thinking blocks, in order, for their signatures at the end. */
  private readonly thinkingIndexes: number[] = []
  /** Block index of each tool call, by the call's index. */
  private readonly toolBlocks = new Map<number, number>()

  constructor(private readonly fallbackModel: string) {}

  /** The events for one chunk, in order. */
  push(chunk: ChatChunk): AnthropicStreamEvent[] {
    const events: AnthropicStreamEvent[] = []
    this.start(chunk, events)
    for (const choice of chunk.choices) {
      const delta = choice.delta
      if (delta.reasoning) {
        this.ensureOpen({ kind: 'thinking' }, { type: 'thinking', thinking: '', signature: '' }, events)
        events.push({ type: 'content_block_delta', index: this.blockIndex, delta: { type: 'thinking_delta', thinking: delta.reasoning } })
      }
      if (delta.content) {
        this.sawContent = true
        this.text(delta.content, events)
      }
      if (delta.refusal) {
        this.refused = true
        this.text(delta.refusal, events)
      }
      for (const call of delta.tool_calls ?? []) {
        if (call.id !== undefined) {
          this.ensureOpen({ kind: 'tool', toolIndex: call.index }, { type: 'tool_use', id: call.id, name: call.function?.name ?? '', input: {} }, events)
        }
        const argumentsDelta = call.function?.arguments
        // Arguments of an earlier, already stopped tool block (parallel calls whose arguments come
        // in late) are still delivered, addressed to that block, rather than dropped.
        const blockIndex = this.toolBlocks.get(call.index)
        if (argumentsDelta && blockIndex !== undefined) {
          events.push({ type: 'content_block_delta', index: blockIndex, delta: { type: 'input_json_delta', partial_json: argumentsDelta } })
        }
      }
      if (choice.finish_reason) this.finishReason = choice.finish_reason
    }
    return events
  }

  private start(chunk: ChatChunk, events: AnthropicStreamEvent[]): void {
    if (this.started) return
    this.started = true
    events.push({
      type: 'message_start',
      message: {
        id: chunk.id,
        type: 'message',
        role: 'assistant',
        model: chunk.model || this.fallbackModel,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        // The input counts when the provider reported them up front (Anthropic does); otherwise they
        // are only known at the end, and message_delta carries the totals.
        usage: toAnthropicUsage({ inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, ...chunk.input_usage, outputTokens: 0, reasoningTokens: 0 }),
      },
    })
  }

  private text(text: string, events: AnthropicStreamEvent[]): void {
    this.ensureOpen({ kind: 'text' }, { type: 'text', text: '' }, events)
    events.push({ type: 'content_block_delta', index: this.blockIndex, delta: { type: 'text_delta', text } })
  }

  private ensureOpen(wanted: OpenBlock, block: AnthropicContentBlock, events: AnthropicStreamEvent[]): void {
    const same = this.open?.kind === wanted.kind && (wanted.kind !== 'tool' || (this.open as { toolIndex: number }).toolIndex === wanted.toolIndex)
    if (same) return
    this.close(events)
    this.blockIndex += 1
    this.open = wanted
    if (wanted.kind === 'thinking') this.thinkingIndexes.push(this.blockIndex)
    if (wanted.kind === 'tool') this.toolBlocks.set(wanted.toolIndex, this.blockIndex)
    events.push({ type: 'content_block_start', index: this.blockIndex, content_block: block })
  }

  private close(events: AnthropicStreamEvent[]): void {
    if (!this.open) return
    events.push({ type: 'content_block_stop', index: this.blockIndex })
    this.open = undefined
  }

  /**
   * The closing events, from the router's last chunk (usage, cost, route) and the assembled
   * message. Thinking signatures reach the router only when the provider's stream ends, so they
   * follow here as `signature_delta`s addressed to their (already stopped) thinking blocks, and
   * redacted thinking as blocks of its own; the official SDK's accumulator applies both.
   */
  finish(chunk: ChatChunk, result: ChatResult): AnthropicStreamEvent[] {
    const message = result.choices[0]!.message
    const events: AnthropicStreamEvent[] = []
    this.start(chunk, events)
    this.close(events)
    const signed = thinkingBlocksFromMessage(message)
    let thinkingOrdinal = 0
    for (const block of signed) {
      if (block.type === 'thinking') {
        const index = this.thinkingIndexes[thinkingOrdinal++]
        if (index !== undefined && block.signature) events.push({ type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: block.signature } })
      } else {
        this.blockIndex += 1
        events.push({ type: 'content_block_start', index: this.blockIndex, content_block: block }, { type: 'content_block_stop', index: this.blockIndex })
      }
    }
    const usage: Usage = chunk.tokens!
    events.push({
      type: 'message_delta',
      delta: toAnthropicStop(this.finishReason, this.refused && !this.sawContent, result.provider_metadata),
      usage: toAnthropicUsage(usage, result.provider_metadata),
      cost: chunk.cost!,
      route: chunk.route!,
    })
    events.push({ type: 'message_stop' })
    return events
  }
}

export async function* toAnthropicEvents(stream: RouterStream, model: string): AsyncGenerator<AnthropicStreamEvent> {
  const translator = new AnthropicStreamTranslator(model)
  for await (const chunk of stream) {
    const isLast = chunk.choices.length === 0 && chunk.usage
    // The router resolves the assembled result before it yields its last chunk.
    if (isLast) yield* translator.finish(chunk, await stream.finalResult())
    else yield* translator.push(chunk)
  }
}
