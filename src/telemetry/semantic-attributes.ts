/**
 * Attribute and metric names. The `gen_ai.*` ones are from the OpenTelemetry GenAI semantic
 * conventions, which are still "development" status and so are not exported by the stable entry of
 * `@opentelemetry/semantic-conventions`; the conventions ask instrumentations to copy them rather
 * than depend on the incubating entry at run time. The tests check each one against that entry.
 */
export const genAi = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  requestTemperature: 'gen_ai.request.temperature',
  requestTopP: 'gen_ai.request.top_p',
  requestMaxTokens: 'gen_ai.request.max_tokens',
  requestFrequencyPenalty: 'gen_ai.request.frequency_penalty',
  requestPresencePenalty: 'gen_ai.request.presence_penalty',
  requestStopSequences: 'gen_ai.request.stop_sequences',
  requestSeed: 'gen_ai.request.seed',
  requestStream: 'gen_ai.request.stream',
  responseModel: 'gen_ai.response.model',
  responseId: 'gen_ai.response.id',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  responseTimeToFirstChunk: 'gen_ai.response.time_to_first_chunk',
  usageInputTokens: 'gen_ai.usage.input_tokens',
  usageOutputTokens: 'gen_ai.usage.output_tokens',
  usageCacheReadInputTokens: 'gen_ai.usage.cache_read.input_tokens',
  usageCacheCreationInputTokens: 'gen_ai.usage.cache_creation.input_tokens',
  usageReasoningOutputTokens: 'gen_ai.usage.reasoning.output_tokens',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  systemInstructions: 'gen_ai.system_instructions',
  tokenType: 'gen_ai.token.type',
} as const

export const errorType = 'error.type'

export const genAiMetrics = {
  tokenUsage: 'gen_ai.client.token.usage',
  operationDuration: 'gen_ai.client.operation.duration',
  timeToFirstChunk: 'gen_ai.client.operation.time_to_first_chunk',
} as const

/** Our own attributes, namespaced so they never collide with a convention. */
export const switchyard = {
  callId: 'switchyard.call.id',
  callKind: 'switchyard.call.kind',
  parentCallId: 'switchyard.call.parent_id',
  route: 'switchyard.route',
  strategy: 'switchyard.strategy',
  /** The registered provider id (`deepinfra`), where `gen_ai.provider.name` says the convention's name. */
  provider: 'switchyard.provider',
  /** USD over every attempt of the call (failed and cancelled ones included, since they were paid for). */
  callCostUsd: 'switchyard.call.cost_usd',
  /** USD of this one attempt. */
  attemptCostUsd: 'switchyard.attempt.cost_usd',
  attemptNumber: 'switchyard.attempt.number',
  /** `success`, `error`, `aborted` (the caller aborted) or `cancelled` (the strategy stopped it, e.g. a race loser). */
  attemptOutcome: 'switchyard.attempt.outcome',
  attempts: 'switchyard.attempts',
  /** The answer came from a later attempt than the first: a retry or a fallback step. */
  fellBack: 'switchyard.fallback',
  cacheHit: 'switchyard.cache.hit',
  cacheSavedUsd: 'switchyard.cache.saved_usd',
  /** A budget, spend limit or per-call cost cap refused or stopped the attempt. */
  budgetExceeded: 'switchyard.budget.exceeded',
  /** The budget that refused it, when a budget did. */
  budgetName: 'switchyard.budget.name',
  tagPrefix: 'switchyard.tag.',
} as const

export const switchyardMetrics = {
  cost: 'switchyard.client.cost',
  cacheHits: 'switchyard.client.cache.hits',
} as const
