/**
 * Every `code` a Switchyard error can carry. A literal union, so `switch (error.code)` is checked
 * by the compiler; codes are stable across releases (new ones may be added in a minor version).
 */
export type ErrorCode =
  /** The base class; a subclass always has a more specific code. */
  | 'switchyard_error'
  /** The router is configured wrongly (thrown by `createRouter()`). */
  | 'configuration_error'
  /** A provider's official SDK (an optional peer dependency) is not installed, or a lazily loaded file of the package is missing. */
  | 'missing_dependency'
  /** The request is malformed, or the provider rejected it as such. */
  | 'invalid_request'
  /** The request uses a feature the chosen provider cannot serve. */
  | 'unsupported_feature'
  /** A provider failed; `retryable` says whether another try may succeed. */
  | 'provider_error'
  /** HTTP 429 or its equivalent; `retryAfterMs` says how long the provider asked to wait. */
  | 'rate_limited'
  /** The provider rejected the key (HTTP 401/403). */
  | 'authentication_failed'
  /** The prompt plus output does not fit the model's context window. */
  | 'context_length_exceeded'
  /** The provider refused the content under its safety policy. */
  | 'content_filtered'
  /** An attempt did not finish within its time limit. */
  | 'timeout'
  /** The caller's AbortSignal fired. */
  | 'aborted'
  /** A stream failed after it had produced output. */
  | 'stream_interrupted'
  /** Every candidate of a route failed. */
  | 'all_candidates_failed'
  /** No candidate of a route qualifies for the request (capabilities, price, cool-downs). */
  | 'no_qualifying_candidate'
  /** The call used up `limits.maxAttemptsPerCall`. */
  | 'attempt_limit_reached'
  /** The call's own cost cap (`maxCostUsd`) would be exceeded by its next attempt. */
  | 'cost_cap_exceeded'
  /** A `ChatStream` was read a second time. */
  | 'stream_consumed'
  /** An attempt's worst-case cost does not fit a budget (`createRouter({ budgets })`). */
  | 'budget_exceeded'
  /** A strategy broke its contract (no result, the wrong operation, a non-Switchyard throw). */
  | 'strategy_error'
