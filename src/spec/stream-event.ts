import type { FinishReason } from './response.js'
import type { InputUsage, Usage } from './usage.js'

/**
 * What a provider adapter's stream yields: small events named noun-then-action. The router turns
 * them into OpenAI-shaped chunks and accumulates them into the final result.
 */
export type StreamEvent =
  /** `inputUsage`: the prompt's token counts, for providers that report them as the stream starts (Anthropic). */
  | { type: 'response-start'; id: string; model: string; inputUsage?: InputUsage }
  | { type: 'text-delta'; text: string }
  | { type: 'reasoning-delta'; text: string }
  | { type: 'refusal-delta'; text: string }
  /** A tool call began; `index` orders parallel calls. */
  | { type: 'tool-call-start'; index: number; id: string; name: string }
  | { type: 'tool-call-delta'; index: number; argumentsDelta: string }
  /** A tool call is complete; `arguments` is the whole JSON text. */
  | { type: 'tool-call-end'; index: number; id: string; name: string; arguments: string }
  /** Opaque data to carry back on the next turn (e.g. thinking signatures). */
  | { type: 'provider-data'; data: Record<string, unknown> }
  | { type: 'finish'; finishReason: FinishReason; usage: Usage; providerMetadata?: Record<string, unknown> }
