import type { CallContext, MadeAttempt } from './attempt-runner.js'
import type { CachedAnswer, CallInfo, CallOutcome } from './call-hooks.js'
import type { CoreServices } from './core-services.js'
import type { CallOptions } from './router-client.js'
import type { ChatParameters } from '../spec/request.js'
import type { ModelResponse, RouteInfo } from '../spec/response.js'
import type { Candidate, Strategy } from '../spec/strategy.js'
import type { Operation } from '../spec/operation.js'

/** A request's `model`, as the router reads it before knowing whether the route exists. */
export type AnyModelReference = string | readonly string[] | undefined

/** What runs one call; shared by every call to the same route or model, so read-only. */
export interface Plan {
  readonly strategy: Strategy
  readonly routeName: string | null
  /** Whether the strategy came from `options.strategy` rather than from `model`. */
  readonly override?: boolean
}

/**
 * What a stream call (src/router/stream-call.ts, imported on the first stream) uses of its router:
 * the same steps `chat` takes, bound to the router that made the stream.
 */
export interface StreamHost {
  readonly core: CoreServices
  callInfo(operation: Operation, plan: Plan, options: CallOptions, requestUser: string | undefined, model: AnyModelReference): CallInfo
  observersReady(): Promise<unknown> | undefined
  startCall(call: CallInfo, request: Readonly<ChatParameters>): void
  endCall(call: CallInfo, startedAt: number, outcome: CallOutcome): void
  lookup(call: CallInfo, request: ChatParameters, model: AnyModelReference, plan: Plan): CachedAnswer | undefined | Promise<CachedAnswer | undefined>
  context(request: ChatParameters, plan: Plan, call: CallInfo, callerSignal: AbortSignal | undefined, waitUntil: CallOptions['waitUntil']): CallContext
  runStrategy(plan: Plan, context: CallContext): Promise<unknown>
  strategyFailure(plan: Plan, context: CallContext, error: unknown): unknown
  recognise(plan: Plan, context: CallContext, returned: unknown): MadeAttempt
  complete(call: CallInfo, request: ChatParameters, model: AnyModelReference, plan: Plan, candidate: Candidate, response: ModelResponse, events: CachedAnswer['events'], originalCostUsd: number | null): void
  cachedRoute(answer: Pick<CachedAnswer, 'candidate'>, plan: Plan, startedAt: number): RouteInfo
}

