// Public entry point. Importing it loads no provider SDK and does no I/O.
export { createRouter, Router, type RouteNames } from './create-router.js'
export { CoreRouter } from './core-router.js'
export { RouterCore } from './router/router.js'
export type {
  CallOptions,
  StrategyCallOptions,
  ModelId,
  ModelReference,
  ModelListing,
  RouterChatRequest,
  RouterEmbedRequest,
  RouterClient,
  RouterStream,
  HttpEndpointOptions,
} from './router/router-client.js'
export type { TokenCountResult } from './router/count-tokens.js'
export type { RouterConfig, RouteDefinition, CallLimits, StreamOptions } from './router/router-config.js'
export { ChatStream } from './router/chat-stream.js'
export type { HealthOptions } from './state/health-tracker.js'
export type { ModelMeasurement } from './state/model-stats.js'
export type { HealthListener } from './state/health-tracker.js'
export type { ResponseCacheOptions, CallCacheOptions, RouteCacheOptions } from './state/cache-options.js'
export type { SharedStateOptions } from './state/shared-state.js'
export type { PriceTable } from './cost/price-book.js'
export { computeCost } from './cost/compute-cost.js'
export * from './errors/errors.js'
export { memoryStore, MemoryStore, type MemoryStoreOptions } from './stores/memory-store.js'
export { redisStore, RedisStore, type RedisStoreOptions, type RedisClientLike, type NodeRedisClientLike, type IORedisClientLike } from './stores/redis-store.js'
export type * from './spec/index.js'

export type { ProviderAdapter, ProviderSettings, CallOptions as ProviderCallOptions, ModelCapabilities } from './spec/provider-adapter.js'
export { openai, type OpenAISettings } from './providers/openai/openai-provider.js'
export type { OpenAIClientLike } from './providers/openai/openai-chat-adapter.js'
export { anthropic, type AnthropicSettings, type AnthropicClientLike } from './providers/anthropic/anthropic-provider.js'
export { mistral, type MistralSettings } from './providers/mistral/mistral-provider.js'
export type { MistralClientLike, MistralRequestOptions } from './providers/mistral/mistral-wire-types.js'
export { groq, type GroqSettings, type GroqClientLike } from './providers/groq/groq-provider.js'
export { google, type GoogleSettings, type GoogleClientLike } from './providers/google/google-provider.js'
export type { GoogleVertexSettings } from './providers/google/google-vertex.js'
export type { GoogleProviderData } from './providers/google/google-provider-data.js'
export { azureOpenai, type AzureOpenAISettings } from './providers/azure-openai/azure-openai-provider.js'
export { bedrock, type BedrockSettings, type BedrockClientLike, type AwsCredentials } from './providers/bedrock/bedrock-provider.js'
export { anthropicVertex, type AnthropicVertexSettings } from './providers/anthropic-vertex/anthropic-vertex-provider.js'
export { openaiCompatible, type OpenAICompatibleSettings } from './providers/openai-compatible/openai-compatible.js'
export { compatiblePresets, type CompatiblePresetName } from './providers/openai-compatible/presets.js'
export { mockProvider, type MockProvider, type MockProviderOptions, type MockReply, type MockScript, type MockCall, type MockErrorKind } from './providers/mock/mock-provider.js'

export { fallback, tryInOrder, attemptWithRetries, allFailed, type FallbackOptions, type RetryOptions } from './strategies/fallback.js'
export { shouldTryNextCandidate } from './strategies/fallback-policy.js'
export { cheapest, planCheapest, type CheapestOptions, type CheapestPlan, type PricedCandidate, type Capability } from './strategies/cheapest.js'
export { fastest, rankBySpeed, type FastestOptions, type SpeedMetric } from './strategies/fastest.js'
export { race, raceToFirst, type RaceOptions, type RaceMode } from './strategies/race.js'
export { abTest, type AbTestOptions, type VariantDefinition } from './strategies/ab-test.js'
export type { JudgeDefinition } from './strategies/judge.js'
export { splitByHealth, type HealthSplit } from './strategies/candidate-health.js'
export { estimatePromptTokens, type PromptEstimate } from './strategies/estimate-tokens.js'
export { wilsonInterval, type Interval } from './state/wilson-interval.js'
export { NoQualifyingCandidateError, type DroppedCandidate } from './strategies/no-qualifying-candidate-error.js'
export type { ExperimentReport, ExperimentVariantReport, ExperimentRecommendation } from './state/experiment-store.js'
export type { CoolDown } from './state/health-tracker.js'

export type { OpenAIFacade, OpenAIChatFacade, OpenAIRequestOptions } from './facades/openai-facade.js'
export type { AnthropicFacade, AnthropicRequestOptions } from './facades/anthropic-facade.js'
export type { FetchHandler, FetchSurfaces, PlatformContext } from './facades/fetch-handler.js'

export type { TelemetryOption, TelemetrySettings } from './telemetry/telemetry-options.js'
export type { RouterReport, SpendRow, SpendPoint, ModelFigures, Percentiles } from './report/report-types.js'
export type { ReportPageOptions } from './report/report-page.js'
export { renderReportHtml } from './report/report-html.js'
export type { FacadeStream } from './facades/facade-stream.js'
export type * from './facades/openai-types.js'
export type * from './facades/anthropic-types.js'
export type { ResponsesFacade, ResponsesRequestOptions } from './facades/openai-responses/responses-facade.js'
export type * from './facades/openai-responses/responses-types.js'

export { BudgetExceededError, type BudgetExceededDetails } from './errors/budget-exceeded-error.js'
export { LocalRateLimitError, type LocalRateLimitDetails } from './errors/local-rate-limit-error.js'
export { CostCapExceededError, type CostCapExceededDetails } from './errors/cost-cap-exceeded-error.js'
export type { SpendControlOptions } from './spend/spend-control.js'
export type { FacadeCallOptions } from './facades/facade-call-options.js'
export type { BudgetDefinition } from './spend/budget-config.js'
export type { BudgetStatus } from './spend/budget-keeper.js'
export type { LimitDefinition } from './spend/limit-config.js'
export type { SpendScope, SpendAttributes } from './spend/spend-scope.js'
export type { WindowSpec } from './spend/spend-window.js'
export type { SpendQuery, SpendReport, SpendGroup, SpendDimension } from './spend/spend-ledger.js'
export { keyPool, type KeyPool, type KeyPoolOptions, type KeyPoolBalance, type KeyPoolMemberStatus } from './spend/key-pool.js'
export { readRateLimitHeaders, type QuotaReading, type RateLimitHeaderSource } from './spend/rate-limit-headers.js'
export type { ProviderQuota } from './spend/provider-quota.js'

// The provider kit: helpers for writing an adapter (docs/writing-a-provider.md).
export * from './provider-kit/index.js'
