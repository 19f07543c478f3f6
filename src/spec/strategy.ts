import type { ChatParameters, EmbedModelRequest } from './request.js'
import type { Attempt, EmbedModelResponse, ModelResponse } from './response.js'
import type { RouterServices } from '../router/router-services.js'

/** One model a strategy may call: `openai/gpt-4o` → provider `openai`, model `gpt-4o`. */
export interface Candidate {
  readonly id: string
  readonly provider: string
  readonly model: string
}

export interface AttemptOptions {
  /** Fail the attempt with a `TimeoutError` after this long (for streams: until the first token). */
  timeoutMs?: number
  /** Cancels this attempt only, e.g. a race's loser; the attempt is recorded as `aborted`. */
  signal?: AbortSignal
}

/**
 * A successful attempt. For `chat` it holds the whole response; for `stream` the stream has
 * produced its first token and the rest is still flowing; the router consumes it.
 */
export interface AttemptResult {
  readonly candidate: Candidate
  readonly attempt: Attempt
  /** The embeddings of an `embed` attempt. */
  readonly embedding?: EmbedModelResponse
  /** The complete response of a `chat` attempt (undefined for streams and embeddings). */
  readonly response?: ModelResponse
  /**
   * Stops the attempt's remaining work (a stream the strategy will not use) and marks it aborted.
   * A chat attempt that already answered keeps its usage and cost but is marked `aborted` (unused).
   */
  cancel(): void
  /**
   * The answer as text (content, then tool calls as `name(arguments)`), e.g. for a judge. For a
   * stream it reads the stream to its end; the events stay buffered, so the caller still receives
   * every one of them.
   */
  text(): Promise<string>
  /** Resolves with the attempt's final record (usage, cost, outcome) once the attempt has ended. */
  readonly settled: Promise<Attempt>
}

export type Operation = 'chat' | 'stream' | 'embed'

/** Everything a strategy may use while planning and running one call. */
export interface StrategyContext {
  readonly operation: Operation
  /** The call's parameters (model excluded): chat parameters, or the embedding input. */
  readonly request: ChatParameters | Omit<EmbedModelRequest, 'model'>
  /** The route name the caller used, or `null` for a model id or an ad-hoc chain. */
  readonly routeName: string | null
  /** The caller's signal: a strategy must stop starting attempts once it fires. */
  readonly signal: AbortSignal
  /** Resolves a `provider/model` id against the router's providers. */
  candidate(id: string): Candidate
  /** Runs one attempt of one candidate; rejects with a typed `SwitchyardError`. Every attempt is recorded. */
  attempt(candidate: Candidate, options?: AttemptOptions): Promise<AttemptResult>
  /** Attempts made so far in this call, in start order. */
  readonly attempts: readonly Attempt[]
  /** Router-wide state and helpers: prices, health, live latency statistics, events. */
  readonly services: RouterServices
  /**
   * A context for a side call made on behalf of this one (a judge, an A/B shadow run): the same
   * router services, its own request, operation and attempts (which are not part of this call's
   * route), and the caller's signal unless another is given.
   */
  fork(options: ForkOptions): StrategyContext
}

export interface ForkOptions {
  /** The side call's parameters; this call's request when omitted. */
  request?: ChatParameters
  /** `chat` to get a whole response; this call's operation when omitted. */
  operation?: Operation
  /** Replaces the caller's signal, e.g. for work that must outlive the call. */
  signal?: AbortSignal
  /**
   * What the side call is for, as reported to the router's features and telemetry: `judge` for a
   * judge's verdict, `shadow` (the default) for another run of the same request.
   */
  kind?: 'judge' | 'shadow'
}

/**
 * A routing strategy: given the call, decides which candidates to attempt, in what order or
 * concurrency, and which successful attempt answers. Built-ins (`fallback`, `cheapest`, ...) use
 * only this interface, so a custom strategy has the same power.
 */
export interface Strategy {
  /** Reported in `route.strategy`. */
  readonly name: string
  /** Every `provider/model` id this strategy may call; checked at `createRouter()`. */
  readonly models: readonly string[]
  run(context: StrategyContext): Promise<AttemptResult>
}
