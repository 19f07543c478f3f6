/**
 * Internal extension points of the router core, for the router's own features that must act
 * *inside* a call rather than observe it: the response cache (may answer a call without a
 * provider), budgets and rate limits (may refuse or delay an attempt, then settle it), per-call
 * cost caps (may stop a stream). Observation-only features (telemetry, the spend report) use
 * router events instead. Not public API: the contracts third parties implement live in `spec/`.
 *
 * The core runs every hook of a kind in registration order; a hook that rejects with a
 * `SwitchyardError` fails that step with it (an attempt refused by a budget is recorded as a
 * failed attempt, and strategies move on by their usual policy).
 */
import type { Candidate } from '../spec/strategy.js'
import type { KeyGate } from '../spec/provider-adapter.js'
import type { CallCacheOptions } from '../state/cache-options.js'
import type { ChatParameters, EmbedModelRequest, EmbedParameters, ModelRequest } from '../spec/request.js'
import type { Attempt, EmbedModelResponse, ModelResponse, RouteInfo } from '../spec/response.js'
import type { Cost } from '../spec/cost.js'
import type { StreamEvent } from '../spec/stream-event.js'
import type { Usage } from '../spec/usage.js'

export type CallKind = 'call' | 'judge' | 'shadow'

/** What every hook knows about the call it runs in. */
export interface CallInfo {
  /** Unique per call, also in router events, so listeners can join attempts to calls. */
  readonly callId: string
  /** The call this one was made for (a judge or an A/B shadow run), when it is a side call. */
  readonly parentCallId?: string
  readonly kind: CallKind
  readonly operation: 'chat' | 'stream' | 'embed'
  readonly routeName: string | null
  /** What the caller named as `model`: a route name or a `provider/model` id (an ad-hoc chain: its ids joined by ","). */
  readonly requestedModel?: string
  readonly strategy: string
  /** Attribution from the call options (`tags`, `user`); never sent to a provider by the router. */
  readonly tags: Readonly<Record<string, string>>
  readonly user?: string
  /** The call's cost cap (`maxCostUsd` option), in USD: every attempt of the call together stays under it. */
  readonly maxCostUsd?: number
  readonly signal: AbortSignal
  /** The call's own `cache` option, when it gave one. */
  readonly cache?: CallCacheOptions | false
}

/**
 * One attempt about to start: which model, with which request (after the router set `model`): a
 * chat request for `chat` and `stream` calls, an embedding request for `embed` calls.
 */
export interface AttemptInfo {
  readonly call: CallInfo
  readonly candidate: Candidate
  readonly request: ModelRequest | EmbedModelRequest
}

/** Returned by `beforeAttempt`; the core calls exactly one of its methods when the attempt ends. */
export interface AttemptTicket {
  /**
   * A replacement request for this attempt, e.g. with a `max_tokens` that fits a per-call cost cap.
   * Later hooks see it; the adapter receives the last one.
   */
  readonly request?: ModelRequest | EmbedModelRequest
  /** Handed to the adapter (`CallOptions.keyGate`): per-key rate limits a key pool asks once it has picked a key. */
  readonly keyGate?: KeyGate
  /** The attempt ended (success, error or aborted); `record` carries its usage and exact cost. */
  settle(record: Attempt): void
  /**
   * Called for each streamed event with the usage known so far (the provider reports usage on its
   * `finish` event, so it is `undefined` before that); throwing a `SwitchyardError` stops the stream
   * there (a per-call cost cap): before the first token the attempt fails with that error, after it
   * the router ends the stream as interrupted, with the error as the cause.
   */
  streamProgress?(event: StreamEvent, usageSoFar: Usage | undefined): void
}

/** A whole canonical answer as the cache stores and replays it. */
export interface CachedAnswer {
  readonly candidate: Candidate
  /** Non-streamed answer, or the one assembled from a stream. */
  readonly response: ModelResponse
  /**
   * The canonical event sequence of a streamed answer, replayed to streaming callers; empty for a
   * non-streamed one, whose events follow from `response` (`responseEvents`), built only if replayed.
   */
  readonly events: readonly StreamEvent[]
  /** What the original call's answering attempt cost (`cost.saved` on a hit). */
  readonly originalCostUsd: number | null
}

/** A whole embedding answer as the cache stores and serves it. */
export interface CachedEmbedding {
  readonly candidate: Candidate
  readonly response: EmbedModelResponse
  /** What the original call's answering attempt cost (`cost.saved` on a hit). */
  readonly originalCostUsd: number | null
}

/** What observers learn of an answer served from the cache (a chat answer or an embedding). */
export interface CacheHitInfo {
  readonly candidate: Candidate
  readonly response: { readonly model: string }
  readonly originalCostUsd: number | null
}

/**
 * `resolvedModel` in `lookup` and `complete` says what the caller asked for, as one string: the
 * route name, the `provider/model` id, the ids of an ad-hoc chain joined by `,`, or, for a call
 * made with `options.strategy`, `strategy:<name>:` followed by the strategy's ids joined by `,`.
 */
export interface CallHooks {
  /**
   * Runs once per chat or stream call (never for side calls) before the strategy, in registration
   * order until one answers. Returns a stored answer to serve the call from (a cache hit), or
   * `undefined` to run the strategy. A hook that rejects counts as a miss (a `warning` event says
   * so): a failing store never fails a call. A hook with nothing to look up returns `undefined`
   * itself rather than a promise of it, so the call goes on without waiting a tick.
   */
  lookup?(call: CallInfo, request: ChatParameters, resolvedModel: string): Promise<CachedAnswer | undefined> | undefined
  /**
   * Offered every completed chat or stream answer (not errors, not interrupted streams, not
   * answers served by `lookup`), after the caller has it. A streamed answer carries its events; a
   * chat answer none (a replay to a streaming caller derives them from its response). A throwing
   * hook is reported as a `warning` event.
   */
  complete?(call: CallInfo, request: ChatParameters, resolvedModel: string, answer: CachedAnswer): void
  /** As `lookup`, for an embed call: a stored embedding to serve it from, or `undefined`. */
  lookupEmbedding?(call: CallInfo, request: EmbedParameters, resolvedModel: string): Promise<CachedEmbedding | undefined>
  /** As `complete`, for an embed call's answer. */
  completeEmbedding?(call: CallInfo, request: EmbedParameters, resolvedModel: string, answer: CachedEmbedding): void
  /** May delay (a queue) or refuse (a budget, a limit) the attempt before its provider is called. */
  beforeAttempt?(attempt: AttemptInfo): Promise<AttemptTicket | undefined> | AttemptTicket | undefined
}

/** Where a call ended: its result (the route and cost as reported to the caller) or its error. */
export type CallOutcome =
  | { readonly ok: true; readonly route: RouteInfo; readonly cost: Cost; readonly usage?: Usage; readonly finishReason?: string }
  | { readonly ok: false; readonly error: unknown }

/**
 * Synchronous observation of every step of a call, for telemetry: each method runs inside the
 * caller's async context (so an OpenTelemetry tracer sees the caller's active span at `callStart`).
 * Observers see the request (for opt-in content capture) but must never record API keys. A
 * throwing observer is ignored.
 */
export interface CallObserver {
  /**
   * A promise while the observer still loads what it needs (an optional peer such as
   * `@opentelemetry/api`); the core awaits it, in the caller's async context, before `callStart`.
   * `undefined` once ready, so later calls pay nothing.
   */
  ready?(): Promise<void> | undefined
  callStart?(call: CallInfo, request: Readonly<ChatParameters> | Readonly<{ input: string[] }>): void
  /** `attempt.request` is what the adapter receives. `attemptId` is unique within the call. */
  attemptStart?(attempt: AttemptInfo, attemptId: number): void
  /** First streamed token of an attempt. */
  attemptFirstToken?(attempt: AttemptInfo, attemptId: number): void
  /** The attempt's final record: outcome (`success` / `error` / `aborted` — a race loser is `aborted`), usage, cost, error. */
  attemptEnd?(attempt: AttemptInfo, attemptId: number, record: Attempt, response?: ModelResponse): void
  /** Served from the response cache without an attempt. */
  cacheHit?(call: CallInfo, answer: CacheHitInfo): void
  callEnd?(call: CallInfo, outcome: CallOutcome): void
}
