import type { AssistantMessage } from '../spec/message.js'

/**
 * A thinking block as it travels in `provider_data.anthropic.thinking_blocks`, so the next turn
 * can send it back verbatim: Anthropic checks the signature, and needs the blocks of the turn
 * in progress when thinking is combined with tool use.
 *
 * With a single thinking block its text is `message.reasoning` and is not stored twice; with
 * several, each keeps its own text, because the reasoning string alone cannot be split again.
 */
export type StoredThinkingBlock =
  | { type: 'thinking'; signature: string; thinking?: string }
  | { type: 'redacted_thinking'; data: string }

export type WireThinkingBlock =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }

/** `provider_data` for a response's thinking blocks, or `undefined` when it had none. */
export function thinkingProviderData(blocks: readonly WireThinkingBlock[]): Record<string, unknown> | undefined {
  if (blocks.length === 0) return undefined
  const keepText = blocks.filter((block) => block.type === 'thinking').length > 1
  const stored: StoredThinkingBlock[] = blocks.map((block) =>
    block.type === 'redacted_thinking'
      ? { type: 'redacted_thinking', data: block.data }
      : { type: 'thinking', signature: block.signature, ...(keepText ? { thinking: block.thinking } : {}) },
  )
  return { anthropic: { thinking_blocks: stored } }
}

function isStoredBlock(value: unknown): value is StoredThinkingBlock {
  if (typeof value !== 'object' || value === null) return false
  const block = value as Record<string, unknown>
  return (
    (block.type === 'thinking' && typeof block.signature === 'string') ||
    (block.type === 'redacted_thinking' && typeof block.data === 'string')
  )
}

/**
 * The thinking blocks to send back for an earlier assistant turn. Reasoning without an Anthropic
 * signature (from another provider, or typed by hand) cannot be sent as thinking and is left
 * out: Anthropic does not need earlier turns' thinking, and would reject it unsigned.
 */
export function thinkingBlocksFromMessage(message: AssistantMessage): WireThinkingBlock[] {
  const anthropicData = message.provider_data?.anthropic as { thinking_blocks?: unknown } | undefined
  const stored = Array.isArray(anthropicData?.thinking_blocks) ? anthropicData.thinking_blocks.filter(isStoredBlock) : []
  return stored.map((block) =>
    block.type === 'redacted_thinking'
      ? { type: 'redacted_thinking', data: block.data }
      : { type: 'thinking', thinking: block.thinking ?? message.reasoning ?? '', signature: block.signature },
  )
}
