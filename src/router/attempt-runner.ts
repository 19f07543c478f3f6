import { listenableSignal, throwIfAborted, type SignalCarrier } from '../internal/abortable.js'
import { AttemptSignal } from './attempt-signal.js'
import { withLazySignal } from '../internal/lazy-signal-options.js'
import { AttemptRecorder } from './attempt-recorder.js'
import { AbortedError, AttemptLimitError, ProviderError, SwitchyardError, TimeoutError, UnsupportedFeatureError } from '../errors/errors.js'
import type { AttemptInfo, AttemptTicket, CallInfo } from './call-hooks.js'
import type { CoreServices } from './core-services.js'
import type { ChatParameters, EmbedModelRequest, EmbedParameters, ModelRequest } from '../spec/request.js'
import type { Attempt, EmbedModelResponse, ModelResponse } from '../spec/response.js'
import type { StreamEvent } from '../spec/stream-event.js'
import { emptyUsage } from '../provider-kit/usage.js'
import { classifyProviderError } from '../provider-kit/classify-provider-error.js'
import { messageText } from '../internal/answer-text.js'
import type { LiveStreamAttempt, StreamLimits } from './live-stream-attempt.js'
import type {
  AttemptOptions,
  Candidate,
  ChatAttemptResult,
  EmbedAttemptResult,
  ForkOptions,
  StrategyContext,
} from '../spec/strategy.js'
import type { Operation } from '../spec/operation.js'
import type { CallOptions, KeyGate } from '../spec/provider-adapter.js'
import { buildRoute, callCost } from './build-result.js'

/** Events that mean a stream has started answering: once one arrives, the stream is committed. */
function isFirstToken(event: StreamEvent): boolean {
  return (
    event.type === 'text-delta' ||
    event.type === 'reasoning-delta' ||
    event.type === 'refusal-delta' ||
    event.type === 'tool-call-start' ||
    event.type === 'finish'
  )
}

/** An attempt that answered in full: nothing is left to run, so it is settled from the start. */
abstract class CompletedAttempt {
  constructor(
    readonly candidate: Candidate,
    readonly attempt: Attempt,
  ) {}

  /** Already settled; built on demand, since most callers never ask. */
  get settled(): Promise<Attempt> {
    return Promise.resolve(this.attempt)
  }

  /** Nothing left to stop; the answer is kept on record (it was paid for) but marked unused. */
  cancel(): void {
    this.attempt.outcome = 'aborted'
  }
}

/** A chat attempt that answered in full. */
class ChatAttempt extends CompletedAttempt implements ChatAttemptResult {
  readonly operation = 'chat'
  constructor(
    candidate: Candidate,
    attempt: Attempt,
    readonly response: ModelResponse,
  ) {
    super(candidate, attempt)
  }

  async text(): Promise<string> {
    return messageText(this.response.message)
  }
}

/** An embedding attempt that answered. */
class EmbedAttempt extends CompletedAttempt implements EmbedAttemptResult {
  readonly operation = 'embed'
  constructor(
    candidate: Candidate,
    attempt: Attempt,
    readonly embedding: EmbedModelResponse,
  ) {
    super(candidate, attempt)
  }

  async text(): Promise<string> {
    return ''
  }
}

/** What `CallContext.attempt` makes, kept per router so the router can recognise a strategy's winner by its record. */
export type MadeAttempt = ChatAttempt | EmbedAttempt | LiveStreamAttempt

export interface CallContextInit {
  operation: Operation
  request: ChatParameters | EmbedParameters
  routeName: string | null
  /** The caller's signal; `undefined` when none can fire (none given, or a never-aborted stand-in). */
  callerSignal: AbortSignal | undefined
  services: CoreServices
  resolveCandidate: (id: string) => Candidate
  /** Who the call is for and what it is; the hooks and observers see it. */
  call: CallInfo
  /** Every attempt result the router's calls made, by record: shared by a router's calls and their forks. */
  made: WeakMap<Attempt, MadeAttempt>
  /** Attempts this call may still start; shared with its side calls (a judge, a shadow run). */
  attemptBudget: { remaining: number; readonly limit: number }
  /** Idle timeout and deadline of a stream after its first token. */
  streamLimits: StreamLimits
  /** The class of a stream attempt past its first token: part of the stream code, imported by the stream call before any stream attempt. */
  liveStreamAttempt: () => typeof LiveStreamAttempt | Promise<typeof LiveStreamAttempt>
}

/**
 * The one place a `CallContext` becomes the `StrategyContext` of its operation: the context's
 * `operation`, its `request` and the results its `attempt()` makes always agree (they are set
 * together below), which one class cannot spell out to the type checker.
 */
export function asStrategyContext(context: CallContext): StrategyContext {
  return context as unknown as StrategyContext
}

/** One call's strategy context: runs attempts and records each of them. */
export class CallContext {
  readonly operation: Operation
  readonly request: ChatParameters | EmbedParameters
  readonly routeName: string | null
  /** The caller's signal, only when it can fire: what the hot path checks and listens to. */
  readonly callerSignal: AbortSignal | undefined
  readonly services: CoreServices
  readonly attempts: Attempt[] = []
  /** The strategy's run on this context, once the router started it: cancelled when the call is aborted. */
  running: Promise<unknown> | undefined
  /** The results of this call's own attempts (a side call's go to the router's map instead). */
  private readonly results: MadeAttempt[] = []
  private readonly judges: CallContext[] = []
  /** Set on a side call (`fork()`) that observers follow, until `end()`. */
  private sideCall: { ended: boolean; readonly startedAt: number } | undefined
  readonly call: CallInfo
  /** The ids event listeners join attempts to calls by. */
  private readonly callIds: { readonly callId: string; readonly parentCallId?: string }

  constructor(private readonly init: CallContextInit) {
    this.operation = init.operation
    this.request = init.request
    this.routeName = init.routeName
    this.callerSignal = init.callerSignal
    this.services = init.services
    this.call = init.call
    this.callIds = init.call.parentCallId === undefined ? { callId: init.call.callId } : { callId: init.call.callId, parentCallId: init.call.parentCallId }
  }

  /** The call's signal, for strategies; without a caller's signal, a stand-in made on first read. */
  get signal(): AbortSignal {
    return this.call.signal
  }

  candidate(id: string): Candidate {
    return this.init.resolveCandidate(id)
  }

  /** A side call: its own call id, linked to this call as its parent, of the kind given (`shadow` by default). */
  fork(options: ForkOptions): StrategyContext {
    const operation = options.operation ?? this.operation
    const signal = options.signal ?? this.signal
    const call: CallInfo = {
      ...this.call,
      callId: this.services.ids.callId(),
      parentCallId: this.call.callId,
      kind: options.kind ?? 'shadow',
      operation,
      signal,
    }
    const side = new CallContext({ ...this.init, operation, request: options.request ?? this.request, callerSignal: listenableSignal(signal), call })
    // A side call is a call of its own for observers (telemetry): it starts here, under this call.
    if (this.services.hooks.observers.length > 0) {
      side.sideCall = { ended: false, startedAt: performance.now() }
      this.services.hooks.notify('callStart', call, side.request)
    }
    // A judge that decides this call under the caller's signal is part of what the call cost; a
    // run that outlives the call (an A/B shadow run or background verdict) is not.
    if (call.kind === 'judge' && options.signal === undefined) this.judges.push(side)
    return asStrategyContext(side)
  }

  /** Ends a side call made by `fork()` for observers, once; nothing on a call's own context. */
  end(error?: unknown): void {
    const side = this.sideCall
    if (!side || side.ended) return
    side.ended = true
    const answered = [...this.attempts].reverse().find((attempt) => attempt.outcome === 'success')
    const failure = error ?? (answered ? undefined : (this.attempts.at(-1)?.error ?? new AbortedError('The side call ended without an answer.')))
    if (failure !== undefined || !answered) {
      this.services.hooks.notify('callEnd', this.call, { ok: false, error: failure })
      return
    }
    const candidate: Candidate = { id: `${answered.provider}/${answered.model}`, provider: answered.provider, model: answered.model }
    const route = buildRoute({ routeName: this.routeName, candidate, strategy: this.call.strategy, attempts: this.attempts, startedAt: side.startedAt })
    this.services.hooks.notify('callEnd', this.call, { ok: true, route, cost: callCost(this.attempts, answered), ...(answered.usage ? { usage: answered.usage } : {}) })
  }

  /** Every attempt this call paid for: its own and those of the judges that decided it. */
  billedAttempts(): readonly Attempt[] {
    if (this.judges.length === 0) return this.attempts
    return [...this.attempts, ...this.judges.flatMap((judge) => judge.billedAttempts())]
  }

  async attempt(candidate: Candidate, options: AttemptOptions = {}): Promise<MadeAttempt> {
    throwIfAborted(this.callerSignal)
    const adapter = this.services.provider(candidate.provider)
    if (!adapter) throw new ProviderError(`No provider "${candidate.provider}" is registered.`)
    const budget = this.init.attemptBudget
    if (budget.remaining <= 0) {
      throw new AttemptLimitError(`The call made its ${budget.limit} attempts (callLimits.maxAttemptsPerCall) without an answer; no further provider is called.`, {
        provider: candidate.provider,
        model: candidate.model,
        cause: this.attempts.at(-1)?.error,
      })
    }
    budget.remaining -= 1
    const { services } = this
    const hooks = services.hooks
    const record: Attempt = { provider: candidate.provider, model: candidate.model, latencyMs: 0, outcome: 'success' }
    this.attempts.push(record)
    const attemptId = this.attempts.length
    // Events are built only when someone listens: this is the hot path.
    if (services.events.hasListeners) {
      services.events.emit({ type: 'attempt-start', provider: candidate.provider, model: candidate.model, routeName: this.routeName, ...this.callIds })
    }
    // The model first and the parameters spread after it: on Node 20, a property added to a spread
    // copy takes ~0.6 µs (V8 leaves the copy's shape without transitions), a copy into a literal
    // ~20 ns. Set again after, as the parameters of a side call may carry a `model` of their own.
    let request = { model: candidate.model, ...this.request } as ModelRequest | EmbedModelRequest
    request.model = candidate.model
    const attemptSignal = new AttemptSignal(this.callerSignal, options.signal, options.timeoutMs)
    let info: AttemptInfo | undefined = hooks.watchesAttempts ? { call: this.call, candidate, request } : undefined
    let tickets: AttemptTicket[] | undefined
    let keyGate: KeyGate | undefined
    let recorder: AttemptRecorder | undefined
    try {
      if (hooks.beforeAttempts.length > 0) {
        tickets = []
        for (const beforeAttempt of hooks.beforeAttempts) {
          // Awaited only when the hook waits for something (a store, a queue): a tick less otherwise.
          const returned = beforeAttempt(info!)
          const ticket = returned instanceof Promise ? await attemptSignal.guard(returned) : returned
          if (!ticket) continue
          tickets.push(ticket)
          if (ticket.request) {
            request = ticket.request
            info = { call: this.call, candidate, request }
          }
          if (ticket.keyGate) keyGate = ticket.keyGate
        }
      }
      recorder = new AttemptRecorder(services, candidate, record, this.routeName, this.callIds, info, attemptId, tickets)
      if (info) hooks.notify('attemptStart', info, attemptId)
      // A chat or embed attempt nothing can abort gets the call's never-firing stand-in rather than
      // an AbortController of its own, and only if the adapter reads it (built-in adapters skip it,
      // seeing `signalCanFire: false`); a stream always gets its own, since the router cancels
      // streams it gives up on (an idle timeout, a strategy's cancel), made when the adapter reads
      // it: a signal nobody listens to has nobody to tell (an `AbortController` and its signal are
      // dear next to a stream's other work). Either is read from its source on first use.
      const callOptions: CallOptions = attemptSignal.canAbort
        ? { signal: attemptSignal.signal, quota: hooks.providerQuota }
        : this.operation === 'stream'
          ? withLazySignal({ quota: hooks.providerQuota }, attemptSignal)
          : withLazySignal({ signalCanFire: false, quota: hooks.providerQuota } as CallOptions & SignalCarrier, this.call)
      if (keyGate) callOptions.keyGate = keyGate
      if (this.operation === 'embed') {
        if (!adapter.embed) {
          throw new UnsupportedFeatureError(`${candidate.provider} does not support embeddings; route embeddings to a provider that has them (openai, google, mistral or an OpenAI-compatible host).`, { provider: candidate.provider, model: candidate.model, feature: 'embeddings' })
        }
        const answer = adapter.embed(request as EmbedModelRequest, callOptions)
        // Loads (while the provider answers) only when the price is in the full catalog alone.
        const catalogLoading = services.prices.loadCatalogFor(candidate)
        const embedding = await attemptSignal.guard(answer)
        attemptSignal.release()
        if (catalogLoading) await catalogLoading
        const inputTokens = embedding.usage.inputTokens
        const usage = emptyUsage()
        usage.inputTokens = inputTokens ?? 0
        recorder.success(usage, inputTokens !== undefined)
        return this.keep(new EmbedAttempt(candidate, record, embedding))
      }
      const chatRequest = request as ModelRequest
      adapter.checkSupport?.(chatRequest)
      if (this.operation === 'chat') {
        const answer = adapter.chat(chatRequest, callOptions)
        services.prices.loadCatalogFor(candidate)
        const response = await attemptSignal.guard(answer)
        attemptSignal.release()
        // The answering model and extra billed steps are priced too: known only now.
        const catalogLoading = services.prices.loadCatalogFor(candidate, response)
        if (catalogLoading) await catalogLoading
        recorder.success(response.usage, response.usageReported !== false, response)
        return this.keep(new ChatAttempt(candidate, record, response))
      }
      const iterator = adapter.stream(chatRequest, callOptions)[Symbol.asyncIterator]()
      services.prices.loadCatalogFor(candidate)
      const buffered: StreamEvent[] = []
      while (true) {
        const next = await attemptSignal.guard(iterator.next())
        if (next.done) break
        recorder.progress(next.value, next.value.type === 'finish' ? next.value.usage : undefined)
        buffered.push(next.value)
        if (isFirstToken(next.value)) break
      }
      attemptSignal.stopTimer()
      record.timeToFirstTokenMs = performance.now() - recorder.startedAt
      recorder.firstToken()
      // Whatever ends the stream from here on is priced: a price only the catalog has must be there
      // by then (the answering model and extra billed steps, known at the end, are checked there).
      const catalogLoading = services.prices.loadCatalogFor(candidate)
      if (catalogLoading) await catalogLoading
      const loading = this.init.liveStreamAttempt()
      const LiveStream = loading instanceof Promise ? await loading : loading
      return this.keep(new LiveStream(candidate, record, buffered, iterator, attemptSignal, recorder, this.init.streamLimits))
    } catch (raw) {
      attemptSignal.release()
      const cancelledByStrategy = options.signal?.aborted === true && !this.callerSignal?.aborted
      const error = this.classify(raw, candidate, attemptSignal, options.timeoutMs)
      // A hook refused or failed before the provider was called: the attempt still ends on record.
      // Refused before its provider was called (a budget, a rate limit, a cost cap): not the
      // provider's failure, so it does not count towards the model's cool-down.
      const refused = recorder === undefined
      recorder ??= new AttemptRecorder(services, candidate, record, this.routeName, this.callIds, info, attemptId, tickets)
      recorder.failure(error, cancelledByStrategy, undefined, refused)
      throw error
    }
  }

  /**
   * Keeps a result so that the router can recognise it when the strategy resolves with it: on the
   * call's own context (no weak-map entry per call), or, for a side call, in the router's map,
   * where a strategy that answers with a side call's result is told so.
   */
  private keep<Made extends MadeAttempt>(made: Made): Made {
    if (this.call.parentCallId !== undefined) this.init.made.set(made.attempt, made)
    else this.results.push(made)
    return made
  }

  /** This context's own result with `record`, if it made one. */
  resultOf(record: Attempt): MadeAttempt | undefined {
    // A loop, not `find` with a closure: this runs once on every call.
    for (const made of this.results) if (made.attempt === record) return made
    return undefined
  }

  /** Turns whatever an attempt threw into a typed error. */
  private classify(raw: unknown, candidate: Candidate, attemptSignal: AttemptSignal, timeoutMs?: number): SwitchyardError {
    const details = { provider: candidate.provider, model: candidate.model, cause: raw }
    if (this.callerSignal?.aborted) return new AbortedError('The call was aborted by its AbortSignal.', details)
    if (attemptSignal.timedOut) {
      return new TimeoutError(`${candidate.id}: no answer within ${timeoutMs} ms.`, { ...details, retryable: true })
    }
    if (SwitchyardError.isInstance(raw)) return raw
    if (attemptSignal.aborted) return new AbortedError(`${candidate.id}: the attempt was cancelled.`, details)
    // A third-party adapter's own errors: classified by shape, so `{ status: 429, headers }` is a
    // rate limit (retried, cooled down) and a reset connection is retried, as with the built-ins.
    return classifyProviderError(raw, { provider: candidate.provider, model: candidate.model })
  }
}
