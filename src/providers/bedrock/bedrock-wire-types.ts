/**
 * The slice of the Converse API's shapes the adapter reads (`@aws-sdk/client-bedrock-runtime`'s
 * `ConverseResponse` and `ConverseStreamOutput`), written out so the SDK's types are not needed at
 * import time.
 */
export interface BedrockWireUsage {
  inputTokens?: number
  outputTokens?: number
  totalTokens?: number
  cacheReadInputTokens?: number
  cacheWriteInputTokens?: number
}

export interface BedrockWireReasoningContent {
  reasoningText?: { text?: string; signature?: string }
  redactedContent?: Uint8Array | string
}

export interface BedrockWireContentBlock {
  text?: string
  toolUse?: { toolUseId?: string; name?: string; input?: unknown }
  reasoningContent?: BedrockWireReasoningContent
}

export interface BedrockWireResponse {
  output?: { message?: { role?: string; content?: BedrockWireContentBlock[] } }
  stopReason?: string
  usage?: BedrockWireUsage
  metrics?: { latencyMs?: number }
  additionalModelResponseFields?: unknown
  trace?: unknown
  performanceConfig?: unknown
  serviceTier?: unknown
}

/** One event of `ConverseStream`: exactly one member is set. */
export interface BedrockWireStreamEvent {
  messageStart?: { role?: string }
  contentBlockStart?: { contentBlockIndex?: number; start?: { toolUse?: { toolUseId?: string; name?: string } } }
  contentBlockDelta?: {
    contentBlockIndex?: number
    delta?: { text?: string; toolUse?: { input?: string }; reasoningContent?: { text?: string; signature?: string; redactedContent?: Uint8Array | string } }
  }
  contentBlockStop?: { contentBlockIndex?: number }
  messageStop?: { stopReason?: string; additionalModelResponseFields?: unknown }
  metadata?: { usage?: BedrockWireUsage; metrics?: unknown; trace?: unknown; performanceConfig?: unknown; serviceTier?: unknown }
}

/** A reasoning block kept in `provider_data.bedrock.reasoning_blocks`, to be sent back on the next turn. */
export type StoredReasoningBlock = { text: string; signature?: string } | { redactedContent: string }
