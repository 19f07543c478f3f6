import { throwIfAborted } from './abortable.js'
import { AttemptSignal } from './attempt-signal.js'
import { computeCost } from '../cost/compute-cost.js'
import { AbortedError, ProviderError, SwitchyardError, TimeoutError, UnsupportedFeatureError } from '../errors/errors.js'
import type { RouterServices } from './router-services.js'
import type { ChatParameters, EmbedModelRequest } from '../spec/request.js'
import type { Attempt, EmbedModelResponse, ModelResponse } from '../spec/response.js'
import type { StreamEvent } from '../spec/stream-event.js'
import type { Usage } from '../spec/usage.js'
import { emptyUsage } from '../provider-kit/usage.js'
import { classifyProviderError } from '../provider-kit/classify-provider-error.js'
import { messageText } from './answer-text.js'
import { LiveStreamAttempt } from './live-stream-attempt.js'
import type {
  AttemptOptions,
  AttemptResult,
  Candidate,
  ForkOptions,
  Operation,
  StrategyContext,
} from '../spec/strategy.js'

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
    const attemptSignal = new AttemptSignal(this.signal, options.signal, options.timeoutMs)
    const startedAt = performance.now()
    const callOptions = { signal: attemptSignal.signal }
    try {
      if (this.operation === 'embed') {
        if (!adapter.embed) {
          throw new UnsupportedFeatureError(`${candidate.provider} does not support embeddings; route embeddings to a provider that has them (openai, google, mistral or an OpenAI-compatible host).`, { provider: candidate.provider, model: candidate.model, feature: 'embeddings' })
        }
        const request = { ...(this.request as Omit<EmbedModelRequest, 'model'>), model: candidate.model }
        const embedding = await attemptSignal.guard(adapter.embed(request, callOptions))
        attemptSignal.release()
        const inputTokens = embedding.usage.inputTokens
        this.recordSuccess(candidate, record, startedAt, { ...emptyUsage(), inputTokens: inputTokens ?? 0 }, inputTokens !== undefined)
        return new CompletedAttempt(candidate, record, undefined, embedding)
      }
      const request = { ...(this.request as ChatParameters), model: candidate.model }
      adapter.checkSupport?.(request)
      if (this.operation === 'chat') {
        const response = await attemptSignal.guard(adapter.chat(request, callOptions))
        attemptSignal.release()
        this.recordSuccess(candidate, record, startedAt, response.usage)
        return new CompletedAttempt(candidate, record, response)
      }
      const iterator = adapter.stream(request, callOptions)[Symbol.asyncIterator]()
      const buffered: StreamEvent[] = []
      while (true) {
        const next = await attemptSignal.guard(iterator.next())
        if (next.done) break
        buffered.push(next.value)
        if (isFirstToken(next.value)) break
      }
      attemptSignal.stopTimer()
      record.timeToFirstTokenMs = performance.now() - startedAt
      return new LiveStreamAttempt(candidate, record, buffered, iterator, attemptSignal, startedAt, this)
    } catch (raw) {
      attemptSignal.release()
      const cancelledByStrategy = options.signal?.aborted === true && !this.signal.aborted
      const error = this.classify(raw, candidate, attemptSignal, options.timeoutMs)
      this.recordFailure(candidate, record, startedAt, error, cancelledByStrategy)
      throw error
    }
  }

  /** Turns whatever an attempt threw into a typed error. */
  private classify(raw: unknown, candidate: Candidate, attemptSignal: AttemptSignal, timeoutMs?: number): SwitchyardError {
    const details = { provider: candidate.provider, model: candidate.model, cause: raw }
    if (this.signal.aborted) return new AbortedError('The call was aborted by its AbortSignal.', details)
    if (attemptSignal.timedOut) {
      return new TimeoutError(`${candidate.id}: no answer within ${timeoutMs} ms.`, { ...details, retryable: true })
    }
    if (SwitchyardError.isInstance(raw)) return raw
    if (attemptSignal.signal.aborted) return new AbortedError(`${candidate.id}: the attempt was cancelled.`, details)
    // A third-party adapter's own errors: classified by shape, so `{ status: 429, headers }` is a
    // rate limit (retried, cooled down) and a reset connection is retried, as with the built-ins.
    return classifyProviderError(raw, { provider: candidate.provider, model: candidate.model })
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

