/**
 * The strategy contract, version `v1`: how a routing strategy plans a call and runs its attempts.
 * Contexts and attempt results come in one kind per operation (`chat`, `stream`, `embed`), told
 * apart by `operation`, so a strategy narrows them with a check instead of a cast.
 */
import type { Operation } from './operation.js'
import type { ChatParameters, EmbedParameters } from './request.js'
import type { Attempt, EmbedModelResponse, ModelResponse } from './response.js'
import type { RouterServices } from './router-services.js'
import type { StreamEvent } from './stream-event.js'

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
 * What every successful attempt offers. A strategy may return it as it got it, or wrap or
 * re-create it (`{ ...result }`, another object with the same members): the router recognises the
 * attempt by its `attempt` record, which must be the one the router made.
 */
export interface AttemptResultBase {
  readonly operation: Operation
  readonly candidate: Candidate
  /** The attempt's record in `context.attempts`: usage, cost and outcome once it has ended. */
  readonly attempt: Attempt
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

/** A `chat` attempt that answered in full. */
export interface ChatAttemptResult extends AttemptResultBase {
  readonly operation: 'chat'
  readonly response: ModelResponse
}

/**
 * A `stream` attempt that has produced its first token; the rest is still flowing. The router
 * reads it through `events()` and closes its record when the stream ends.
 */
export interface StreamAttemptResult extends AttemptResultBase {
  readonly operation: 'stream'
  /** Every event of the stream from its start, the buffered ones first; readable once by the router. */
  events(): AsyncIterable<StreamEvent>
}

/** An `embed` attempt that returned its embeddings. */
export interface EmbedAttemptResult extends AttemptResultBase {
  readonly operation: 'embed'
  readonly embedding: EmbedModelResponse
}

export type AttemptResult = ChatAttemptResult | StreamAttemptResult | EmbedAttemptResult

export interface ForkOptions {
  /** The side call's parameters; this call's request when omitted (required to fork an `embed` call as `chat`). */
  request?: ChatParameters
  /** `chat` to get a whole response; this call's operation when omitted. */
  operation?: 'chat' | 'stream'
  /** Replaces the caller's signal, e.g. for work that must outlive the call. */
  signal?: AbortSignal
  /**
   * What the side call is for, as reported to the router's features and telemetry: `judge` for a
   * judge's verdict, `shadow` (the default) for another run of the same request.
   */
  kind?: 'judge' | 'shadow'
}

/** What every context offers, whatever the operation. */
export interface StrategyContextBase {
  /** The route name the caller used, or `null` for a model id or an ad-hoc chain. */
  readonly routeName: string | null
  /** The caller's signal: a strategy must stop starting attempts once it fires. */
  readonly signal: AbortSignal
  /** Resolves a `provider/model` id against the router's providers. */
  candidate(id: string): Candidate
  /** Attempts made so far in this call, in start order. */
  readonly attempts: readonly Attempt[]
  /** Router-wide state and helpers: prices, health, live latency statistics, events, experiments. */
  readonly services: RouterServices
  /**
   * A context for a side call made on behalf of this one (a judge, an A/B shadow run): the same
   * router services, its own request, operation and attempts (which are not part of this call's
   * route), and the caller's signal unless another is given.
   */
  fork(options: ForkOptions & { operation: 'chat' }): ChatStrategyContext
  fork(options: ForkOptions & { operation: 'stream' }): StreamStrategyContext
  fork(options?: ForkOptions): StrategyContext
  /**
   * On a context made by `fork()`: the side call is over (with `error` when it failed), so its own
   * call span (telemetry) ends here. Optional: a side call never ended this way ends once the call
   * it was made for has ended and none of its attempts is still running. On a call's own context,
   * and when called again, it does nothing.
   */
  end?(error?: unknown): void
}

export interface ChatStrategyContext extends StrategyContextBase {
  readonly operation: 'chat'
  /** The call's parameters, `model` excluded. */
  readonly request: ChatParameters
  /** Runs one attempt of one candidate; rejects with a typed `SwitchyardError`. Every attempt is recorded. */
  attempt(candidate: Candidate, options?: AttemptOptions): Promise<ChatAttemptResult>
}

export interface StreamStrategyContext extends StrategyContextBase {
  readonly operation: 'stream'
  readonly request: ChatParameters
  /** Resolves once the stream has produced its first token; failures before it reject, typed. */
  attempt(candidate: Candidate, options?: AttemptOptions): Promise<StreamAttemptResult>
}

export interface EmbedStrategyContext extends StrategyContextBase {
  readonly operation: 'embed'
  /** The embedding input (always an array here), `model` excluded. */
  readonly request: EmbedParameters
  attempt(candidate: Candidate, options?: AttemptOptions): Promise<EmbedAttemptResult>
}

/** Everything a strategy may use while planning and running one call; narrow it on `operation`. */
export type StrategyContext = ChatStrategyContext | StreamStrategyContext | EmbedStrategyContext

/**
 * A routing strategy: given the call, decides which candidates to attempt, in what order or
 * concurrency, and which successful attempt answers. Built-ins (`fallback`, `cheapest`, ...) use
 * only this interface, so a custom strategy has the same power.
 *
 * `run` must resolve with an attempt result of the call's own operation, made by this call's
 * context; anything else (or a non-typed exception) fails the call with a `StrategyError` that
 * names the strategy.
 */
export interface Strategy {
  /** The contract version this strategy implements. */
  readonly specificationVersion: 'v1'
  /** Reported in `route.strategy`. */
  readonly name: string
  /** Every `provider/model` id this strategy may call; checked at `createRouter()`. */
  readonly models: readonly string[]
  /**
   * Whether `run` reads `services.prices` before its first attempt (to rank or filter candidates,
   * as `cheapest` does). Unless it is `false`, the router loads the full price catalog before
   * `run` when one of `models` is priced by it alone (a price that depends on the date or hour, an
   * adapter without model lists; the others are known at once); with `false`, the catalog loads,
   * when needed, while the first provider request is in flight.
   * Every attempt is priced exactly either way.
   */
  readonly readsPricesBeforeAttempts?: boolean
  run(context: StrategyContext): Promise<AttemptResult>
}
