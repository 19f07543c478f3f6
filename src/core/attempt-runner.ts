import { abortable, listenableSignal, throwIfAborted } from './abortable.js'
import { computeCost } from './cost/compute-cost.js'
import { AbortedError, ProviderError, SwitchyardError, TimeoutError, UnsupportedFeatureError } from './errors.js'
import type { RouterServices } from './router-services.js'
import type { ChatParameters, EmbedModelRequest } from './types/request.js'
import type { Attempt, EmbedModelResponse, ModelResponse } from './types/response.js'
import type { StreamEvent } from './types/stream-event.js'
import type { Usage } from './types/usage.js'
import { emptyUsage } from './types/usage.js'
import { redactSecrets } from '../providers/shared/redact.js'
import { messageText, streamText } from './answer-text.js'
import type {
  AttemptOptions,
  AttemptResult,
  Candidate,
  ForkOptions,
  Operation,
  StrategyContext,
} from '../strategies/strategy.js'

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

/**
 * One attempt's abort wiring: the caller's signal, the strategy's signal and the timeout. Every
 * attempt gets its own controller: SDKs add a listener to the signal they are given and never
 * remove it, so a shared signal would collect one listener per call.
 */
class AttemptSignal {
  private readonly controller = new AbortController()
  timedOut = false
  private timer: ReturnType<typeof setTimeout> | undefined
  // At most two sources (the caller's and the strategy's), so no array is allocated per attempt.
  private unlinkCaller: (() => void) | undefined
  private unlinkStrategy: (() => void) | undefined
  /** Whether anything (a caller or strategy signal, a timeout) can abort the attempt. */
  readonly canAbort: boolean

  constructor(callerSignal: AbortSignal, strategySignal: AbortSignal | undefined, timeoutMs: number | undefined) {
    this.unlinkCaller = this.link(callerSignal)
    this.unlinkStrategy = this.link(strategySignal)
    if (timeoutMs !== undefined && timeoutMs > 0) {
      this.timer = setTimeout(() => {
        this.timedOut = true
        this.controller.abort(new Error('timeout'))
      }, timeoutMs)
    }
    this.canAbort = this.unlinkCaller !== undefined || this.unlinkStrategy !== undefined || this.timer !== undefined
  }

  /** Forwards `source`'s abort to this attempt; returns how to stop forwarding. */
  private link(signal: AbortSignal | undefined): (() => void) | undefined {
    const source = listenableSignal(signal)
    if (!source) return undefined
    const controller = this.controller
    const onAbort = () => controller.abort(source.reason)
    if (source.aborted) onAbort()
    source.addEventListener('abort', onAbort, { once: true })
    return () => source.removeEventListener('abort', onAbort)
  }

  abort(reason: unknown): void {
    this.controller.abort(reason)
  }

  /** `promise`, rejected as soon as the attempt is aborted; as is when nothing can abort it (the hot path). */
  guard<T>(promise: Promise<T>): Promise<T> {
    return this.canAbort ? abortable(promise, this.signal) : promise
  }

  get signal(): AbortSignal {
    return this.controller.signal
  }

  stopTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
  }

  release(): void {
    this.stopTimer()
    this.unlinkCaller?.()
    this.unlinkStrategy?.()
    this.unlinkCaller = this.unlinkStrategy = undefined
  }
}

/** A chat attempt that answered in full. */
class CompletedAttempt implements AttemptResult {
  constructor(
    readonly candidate: Candidate,
    readonly attempt: Attempt,
    readonly response?: ModelResponse,
    readonly embedding?: EmbedModelResponse,
  ) {}

  /** Already settled; built on demand, since most callers never ask. */
  get settled(): Promise<Attempt> {
    return Promise.resolve(this.attempt)
  }

  /** Nothing left to stop; the answer is kept on record (it was paid for) but marked unused. */
  cancel(): void {
    this.attempt.outcome = 'aborted'
  }

  async text(): Promise<string> {
    return this.response ? messageText(this.response.message) : ''
  }
}

/**
 * A stream attempt that produced its first token. The router drains `events()`; `settle()` closes
 * the attempt's record once the stream ends, fails or is abandoned.
 */
export class LiveStreamAttempt implements AttemptResult {
  readonly settled: Promise<Attempt>
  private isSettled = false
  private resolveSettled!: (attempt: Attempt) => void
  /** Every event received so far: `events()` and `text()` both read from here. */
  private readonly received: StreamEvent[]
  private finished = false
  private pulling: Promise<void> | undefined

  constructor(
    readonly candidate: Candidate,
    readonly attempt: Attempt,
    buffered: StreamEvent[],
    private readonly iterator: AsyncIterator<StreamEvent>,
    private readonly abort: AttemptSignal,
    private readonly startedAt: number,
    private readonly context: CallContext,
  ) {
    this.received = buffered
    this.settled = new Promise((resolve) => (this.resolveSettled = resolve))
  }

  /** The signal the provider stream runs under. */
  get signal(): AbortSignal {
    return this.abort.signal
  }

  async *events(): AsyncGenerator<StreamEvent> {
    let index = 0
    while (true) {
      if (index < this.received.length) yield this.received[index++]!
      else if (this.finished) return
      else await this.pull()
    }
  }

  /** Reads the stream to its end; the events stay buffered for `events()`. */
  async text(): Promise<string> {
    while (!this.finished) await this.pull()
    return streamText(this.received)
  }

  // One provider read at a time, shared by every reader (the router's consumer and `text()`).
  private pull(): Promise<void> {
    this.pulling ??= this.abort.guard(this.iterator.next()).then(
      (next) => {
        this.pulling = undefined
        if (next.done) this.finished = true
        else this.received.push(next.value)
      },
      (error: unknown) => {
        this.pulling = undefined
        throw error
      },
    )
    return this.pulling
  }

  /** Records the stream's end: its usage on success, its error on failure. */
  settle(outcome: { usage: Usage } | { error: SwitchyardError; aborted?: boolean }): void {
    if (this.isSettled) return
    this.isSettled = true
    this.abort.release()
    if ('usage' in outcome) {
      this.context.recordSuccess(this.candidate, this.attempt, this.startedAt, outcome.usage)
    } else {
      this.context.recordFailure(this.candidate, this.attempt, this.startedAt, outcome.error, outcome.aborted ?? false, this.reportedUsage())
    }
    this.resolveSettled(this.attempt)
  }

  cancel(): void {
    if (this.isSettled) return
    this.abort.abort(new Error('cancelled by strategy'))
    void this.iterator.return?.().catch(() => {})
    this.settle({ error: new AbortedError('The attempt was cancelled by the strategy.', this.details()), aborted: true })
  }

  /** The usage the provider reported before the stream was abandoned, when it got that far. */
  private reportedUsage(): Usage | undefined {
    for (const event of this.received) if (event.type === 'finish') return event.usage
    return undefined
  }

  private details() {
    return { provider: this.candidate.provider, model: this.candidate.model }
  }
}

export interface CallContextInit {
  operation: Operation
  request: ChatParameters | Omit<EmbedModelRequest, 'model'>
  routeName: string | null
  signal: AbortSignal
  services: RouterServices
  resolveCandidate: (id: string) => Candidate
}

/** One call's `StrategyContext`: runs attempts and records each of them. */
export class CallContext implements StrategyContext {
  readonly operation: Operation
  readonly request: ChatParameters | Omit<EmbedModelRequest, 'model'>
  readonly routeName: string | null
  readonly signal: AbortSignal
  readonly services: RouterServices
  readonly attempts: Attempt[] = []

  constructor(private readonly init: CallContextInit) {
    this.operation = init.operation
    this.request = init.request
    this.routeName = init.routeName
    this.signal = init.signal
    this.services = init.services
  }

  candidate(id: string): Candidate {
    return this.init.resolveCandidate(id)
  }

  fork(options: ForkOptions): StrategyContext {
    return new CallContext({
      ...this.init,
      operation: options.operation ?? this.operation,
      request: options.request ?? this.request,
      signal: options.signal ?? this.signal,
    })
  }

  async attempt(candidate: Candidate, options: AttemptOptions = {}): Promise<AttemptResult> {
    throwIfAborted(this.signal)
    const adapter = this.services.provider(candidate.provider)
    if (!adapter) throw new ProviderError(`No provider "${candidate.provider}" is registered.`)
    const record: Attempt = { provider: candidate.provider, model: candidate.model, latencyMs: 0, outcome: 'success' }
    this.attempts.push(record)
    // Events are built only when someone listens: this is the hot path.
    if (this.services.events.hasListeners) {
      this.services.events.emit({ type: 'attempt-start', provider: candidate.provider, model: candidate.model, routeName: this.routeName })
    }
    const abort = new AttemptSignal(this.signal, options.signal, options.timeoutMs)
    const startedAt = performance.now()
    const callOptions = { signal: abort.signal }
    try {
      if (this.operation === 'embed') {
        if (!adapter.embed) {
          throw new UnsupportedFeatureError(`${candidate.provider} does not support embeddings; route embeddings to a provider that has them (openai, google, mistral or an OpenAI-compatible host).`, { provider: candidate.provider, model: candidate.model, feature: 'embeddings' })
        }
        const request = { ...(this.request as Omit<EmbedModelRequest, 'model'>), model: candidate.model }
        const embedding = await abort.guard(adapter.embed(request, callOptions))
        abort.release()
        const inputTokens = embedding.usage.inputTokens
        this.recordSuccess(candidate, record, startedAt, { ...emptyUsage(), inputTokens: inputTokens ?? 0 }, inputTokens !== undefined)
        return new CompletedAttempt(candidate, record, undefined, embedding)
      }
      const request = { ...(this.request as ChatParameters), model: candidate.model }
      adapter.checkSupport?.(request)
      if (this.operation === 'chat') {
        const response = await abort.guard(adapter.chat(request, callOptions))
        abort.release()
        this.recordSuccess(candidate, record, startedAt, response.usage)
        return new CompletedAttempt(candidate, record, response)
      }
      const iterator = adapter.stream(request, callOptions)[Symbol.asyncIterator]()
      const buffered: StreamEvent[] = []
      while (true) {
        const next = await abort.guard(iterator.next())
        if (next.done) break
        buffered.push(next.value)
        if (isFirstToken(next.value)) break
      }
      abort.stopTimer()
      record.timeToFirstTokenMs = performance.now() - startedAt
      return new LiveStreamAttempt(candidate, record, buffered, iterator, abort, startedAt, this)
    } catch (raw) {
      abort.release()
      const cancelledByStrategy = options.signal?.aborted === true && !this.signal.aborted
      const error = this.classify(raw, candidate, abort, options.timeoutMs)
      this.recordFailure(candidate, record, startedAt, error, cancelledByStrategy)
      throw error
    }
  }

  /** Turns whatever an attempt threw into a typed error. */
  private classify(raw: unknown, candidate: Candidate, abort: AttemptSignal, timeoutMs?: number): SwitchyardError {
    const details = { provider: candidate.provider, model: candidate.model, cause: raw }
    if (this.signal.aborted) return new AbortedError('The call was aborted by its AbortSignal.', details)
    if (abort.timedOut) {
      return new TimeoutError(`${candidate.id}: no answer within ${timeoutMs} ms.`, { ...details, retryable: true })
    }
    if (raw instanceof SwitchyardError) return raw
    if (abort.signal.aborted) return new AbortedError(`${candidate.id}: the attempt was cancelled.`, details)
    const message = redactSecrets(raw instanceof Error ? raw.message : String(raw))
    return new ProviderError(`${candidate.id}: ${message}`, { ...details, retryable: false })
  }

  /** `usageKnown: false`: the provider reported no token count, so the cost is unknown, not zero. */
  recordSuccess(candidate: Candidate, record: Attempt, startedAt: number, usage: Usage, usageKnown = true): void {
    record.latencyMs = performance.now() - startedAt
    record.usage = usage
    record.cost = usageKnown ? this.cost(candidate, usage) : computeCost(usage, undefined)
    if (!usageKnown) {
      this.services.events.emit({
        type: 'warning',
        code: 'unknown_usage',
        message: `${candidate.id} reported no token usage; its cost is reported as null.`,
        provider: candidate.provider,
        model: candidate.model,
      })
    }
    record.outcome = 'success'
    this.services.health.recordSuccess(candidate.id)
    this.services.stats.record(candidate.id, {
      latencyMs: record.latencyMs,
      timeToFirstTokenMs: record.timeToFirstTokenMs,
      outputTokens: usage.outputTokens,
    })
    if (this.services.events.hasListeners) this.services.events.emit({ type: 'attempt-end', attempt: record, routeName: this.routeName })
  }

  /** `usage` is what an abandoned attempt had already reported, so its partial cost is still counted. */
  recordFailure(candidate: Candidate, record: Attempt, startedAt: number, error: SwitchyardError, aborted: boolean, usage?: Usage): void {
    record.latencyMs = performance.now() - startedAt
    record.error = error
    if (usage) {
      record.usage = usage
      record.cost = this.cost(candidate, usage)
    }
    record.outcome = aborted || error instanceof AbortedError ? 'aborted' : 'error'
    if (record.outcome === 'error') this.services.health.recordFailure(candidate.id, error)
    if (this.services.events.hasListeners) this.services.events.emit({ type: 'attempt-end', attempt: record, routeName: this.routeName })
  }

  private cost(candidate: Candidate, usage: Usage) {
    const price = this.services.prices.resolve(candidate.provider, candidate.model)
    if (!price) {
      this.services.events.emit({
        type: 'warning',
        code: 'unknown_price',
        message: `No price is known for ${candidate.id}; its cost is reported as null. Add it to createRouter({ prices }).`,
        provider: candidate.provider,
        model: candidate.model,
      })
    }
    return computeCost(usage, price?.price)
  }
}

