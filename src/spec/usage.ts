/**
 * Token usage in one shape for every provider. The four token classes are disjoint, so each is
 * billed at its own price: `inputTokens` excludes cache reads and writes.
 */
export interface Usage {
  /** Input tokens billed at the plain input price (not read from or written to a cache). */
  inputTokens: number
  /** Input tokens served from the provider's prompt cache. */
  cacheReadTokens: number
  /** Input tokens written to the provider's prompt cache. */
  cacheWriteTokens: number
  /**
   * The part of `cacheWriteTokens` written with a 1-hour lifetime (Anthropic's `ttl: '1h'`), which
   * is billed at its own, higher price. Absent when the provider has no such distinction.
   */
  cacheWrite1hTokens?: number
  /** Output tokens, reasoning included. */
  outputTokens: number
  /** The part of `outputTokens` spent on reasoning / thinking. */
  reasoningTokens: number
  /**
   * The service tier the provider says it served (and bills) the call at, e.g. OpenAI's `flex` or
   * `priority`; absent for the standard tier.
   */
  serviceTier?: string
  /**
   * Sampling steps the provider billed within the call but left out of the counts above
   * (Anthropic's compaction and advisor iterations); each is priced at its own model's rate.
   */
  iterations?: BilledIteration[]
}

/** One extra billed step of a call (see `Usage.iterations`). */
export interface BilledIteration {
  /** What the step was, as the provider names it (`compaction`, `advisor_message`, ...). */
  kind: string
  /** The model that ran the step, when the provider names one; else the answering model. */
  model?: string
  usage: Omit<Usage, 'iterations' | 'serviceTier'>
}

/** The input side of `Usage`: what a provider can report before any output. */
export type InputUsage = Pick<Usage, 'inputTokens' | 'cacheReadTokens' | 'cacheWriteTokens' | 'cacheWrite1hTokens'>

/**
 * OpenAI Chat Completions' usage, field for field, as `result.usage` carries it so OpenAI-shaped
 * code keeps working. The canonical breakdown (cache writes, 1-hour writes, ...) is `result.tokens`.
 */
export interface ChatUsage {
  /** All input tokens: plain, cache read and cache write. */
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
  prompt_tokens_details: { cached_tokens: number }
  completion_tokens_details: { reasoning_tokens: number }
}
