import { abortable, throwIfAborted } from './abortable.js'
import { computeCost } from './cost/compute-cost.js'
import { AbortedError, ProviderError, SwitchyardError, TimeoutError } from './errors.js'
import type { RouterServices } from './router-services.js'
import type { ChatParameters, EmbedModelRequest } from './types/request.js'
import type { Attempt, EmbedModelResponse, ModelResponse } from './types/response.js'
import type { StreamEvent } from './types/stream-event.js'
import type { Usage } from './types/usage.js'
import { emptyUsage } from './types/usage.js'
import { redactSecrets } from '../providers/shared/redact.js'
import type {
  AttemptOptions,
  AttemptResult,
  Candidate,
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

/** One attempt's abort wiring: the caller's signal, the strategy's signal and the timeout. */
class AttemptSignal {
  readonly controller = new AbortController()
  timedOut = false
  private timer: ReturnType<typeof setTimeout> | undefined
  private readonly unlinks: Array<() => void> = []

  constructor(sources: Array<AbortSignal | undefined>, timeoutMs: number | undefined) {
    for (const source of sources) {
      if (!source) continue
      const onAbort = () => this.controller.abort(source.reason)
      if (source.aborted) onAbort()
      source.addEventListener('abort', onAbort, { once: true })
      this.unlinks.push(() => source.removeEventListener('abort', onAbort))
    }
    if (timeoutMs !== undefined && timeoutMs > 0) {
      this.timer = setTimeout(() => {
        this.timedOut = true
        this.controller.abort(new Error('timeout'))
      }, timeoutMs)
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal
  }

  stopTimer(): void {
    clearTimeout(this.timer)
  }

  release(): void {
    this.stopTimer()
    for (const unlink of this.unlinks) unlink()
    this.unlinks.length = 0
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

  cancel(): void {}
}

/**
 * A stream attempt that produced its first token. The router drains `events()`; `settle()` closes
 * the attempt's record once the stream ends, fails or is abandoned.
 */
export class LiveStreamAttempt implements AttemptResult {
  private settled = false

  constructor(
    readonly candidate: Candidate,
    readonly attempt: Attempt,
    private readonly buffered: StreamEvent[],
    private readonly iterator: AsyncIterator<StreamEvent>,
    private readonly abort: AttemptSignal,
    private readonly startedAt: number,
    private readonly context: CallContext,
  ) {}

  /** The signal the provider stream runs under. */
  get signal(): AbortSignal {
    return this.abort.signal
  }

  async *events(): AsyncGenerator<StreamEvent> {
    while (this.buffered.length > 0) yield this.buffered.shift()!
    while (true) {
      const next = await abortable(this.iterator.next(), this.abort.signal)
      if (next.done) return
      yield next.value
    }
  }

  /** Records the stream's end: its usage on success, its error on failure. */
  settle(outcome: { usage: Usage } | { error: SwitchyardError; aborted?: boolean }): void {
    if (this.settled) return
    this.settled = true
    this.abort.release()
    if ('usage' in outcome) {
      this.context.recordSuccess(this.candidate, this.attempt, this.startedAt, outcome.usage)
    } else {
      this.context.recordFailure(this.candidate, this.attempt, this.startedAt, outcome.error, outcome.aborted ?? false)
    }
  }

  cancel(): void {
    if (this.settled) return
    this.abort.controller.abort(new Error('cancelled by strategy'))
    void this.iterator.return?.().catch(() => {})
    this.settle({ error: new AbortedError('The attempt was cancelled by the strategy.', this.details()), aborted: true })
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
  /** Secrets to mask in error messages from unknown failures. */
  secrets: readonly string[]
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

  async attempt(candidate: Candidate, options: AttemptOptions = {}): Promise<AttemptResult> {
    throwIfAborted(this.signal)
    const adapter = this.services.provider(candidate.provider)
    if (!adapter) throw new ProviderError(`No provider "${candidate.provider}" is registered.`)
    const record: Attempt = { provider: candidate.provider, model: candidate.model, latencyMs: 0, outcome: 'success' }
    this.attempts.push(record)
    this.services.events.emit({ type: 'attempt-start', provider: candidate.provider, model: candidate.model, routeName: this.routeName })
    const abort = new AttemptSignal([this.signal, options.signal], options.timeoutMs)
    const startedAt = performance.now()
    const callOptions = { signal: abort.signal }
    try {
      if (this.operation === 'embed') {
        if (!adapter.embed) throw new ProviderError(`Provider "${candidate.provider}" does not support embeddings.`, { provider: candidate.provider, model: candidate.model })
        const request = { ...(this.request as Omit<EmbedModelRequest, 'model'>), model: candidate.model }
        const embedding = await abortable(adapter.embed(request, callOptions), abort.signal)
        abort.release()
        this.recordSuccess(candidate, record, startedAt, { ...emptyUsage(), inputTokens: embedding.usage.inputTokens })
        return new CompletedAttempt(candidate, record, undefined, embedding)
      }
      const request = { ...(this.request as ChatParameters), model: candidate.model }
      adapter.checkSupport?.(request)
      if (this.operation === 'chat') {
        const response = await abortable(adapter.chat(request, callOptions), abort.signal)
        abort.release()
        this.recordSuccess(candidate, record, startedAt, response.usage)
        return new CompletedAttempt(candidate, record, response)
      }
      const iterator = adapter.stream(request, callOptions)[Symbol.asyncIterator]()
      const buffered: StreamEvent[] = []
      while (true) {
        const next = await abortable(iterator.next(), abort.signal)
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
  classify(raw: unknown, candidate: Candidate, abort: AttemptSignal, timeoutMs?: number): SwitchyardError {
    const details = { provider: candidate.provider, model: candidate.model, cause: raw }
    if (this.signal.aborted) return new AbortedError('The call was aborted by its AbortSignal.', details)
    if (abort.timedOut) {
      return new TimeoutError(`${candidate.id}: no answer within ${timeoutMs} ms.`, { ...details, retryable: true })
    }
    if (raw instanceof SwitchyardError) return raw
    if (abort.signal.aborted) return new AbortedError(`${candidate.id}: the attempt was cancelled.`, details)
    const message = redactSecrets(raw instanceof Error ? raw.message : String(raw), this.init.secrets)
    return new ProviderError(`${candidate.id}: ${message}`, { ...details, retryable: false })
  }

  recordSuccess(candidate: Candidate, record: Attempt, startedAt: number, usage: Usage): void {
    record.latencyMs = performance.now() - startedAt
    record.usage = usage
    record.cost = this.cost(candidate, usage)
    record.outcome = 'success'
    this.services.health.recordSuccess(candidate.id)
    this.services.stats.record(candidate.id, {
      latencyMs: record.latencyMs,
      timeToFirstTokenMs: record.timeToFirstTokenMs,
      outputTokens: usage.outputTokens,
    })
    this.services.events.emit({ type: 'attempt-end', attempt: record, routeName: this.routeName })
  }

  recordFailure(candidate: Candidate, record: Attempt, startedAt: number, error: SwitchyardError, aborted: boolean): void {
    record.latencyMs = performance.now() - startedAt
    record.error = error
    record.outcome = aborted || error instanceof AbortedError ? 'aborted' : 'error'
    if (record.outcome === 'error') this.services.health.recordFailure(candidate.id, error)
    this.services.events.emit({ type: 'attempt-end', attempt: record, routeName: this.routeName })
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

export { CompletedAttempt }
