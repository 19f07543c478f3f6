import { UnsupportedFeatureError } from '../errors/errors.js'
import type { ProviderAdapter, TokenCount } from '../spec/provider-adapter.js'
import type { ChatRequest } from '../spec/request.js'
import type { Candidate } from '../spec/strategy.js'
import { neverAbortedSignal } from '../internal/abortable.js'

/** A count of a routed request's input tokens, and which model counted them. */
export interface TokenCountResult extends TokenCount {
  /** `provider/model` whose tokenizer or counting endpoint produced the count. */
  model: string
}

/**
 * Counts a request's input tokens with the provider of the model it names (a route counts with
 * its first model, an array with its first id): the provider's counting endpoint or its public
 * tokenizer. A provider with neither is an `UnsupportedFeatureError` — never an estimate.
 */
export async function countRequestTokens(
  request: ChatRequest,
  candidate: Candidate,
  adapter: ProviderAdapter | undefined,
  signal: AbortSignal | undefined,
): Promise<TokenCountResult> {
  if (!adapter?.countTokens) {
    throw new UnsupportedFeatureError(
      `Token counting is not available for ${candidate.id}: ${candidate.provider} has no token-counting endpoint or public tokenizer (counted: anthropic, google, and openai models with a known tokenizer).`,
      { provider: candidate.provider, model: candidate.model, feature: 'count_tokens', status: 400 },
    )
  }
  const counted = await adapter.countTokens({ ...request, model: candidate.model }, { signal: signal ?? neverAbortedSignal() })
  return { inputTokens: counted.inputTokens, model: candidate.id }
}
