import { computeCost } from '../cost/compute-cost.js'
import { priceAttempt } from '../cost/price-attempt.js'
import { AbortedError, type SwitchyardError } from '../errors/errors.js'
import type { AttemptInfo, AttemptTicket } from './call-hooks.js'
import type { CoreServices } from './core-services.js'
import type { Attempt, ModelResponse } from '../spec/response.js'
import type { StreamEvent } from '../spec/stream-event.js'
import type { Candidate } from '../spec/strategy.js'
import type { Usage } from '../spec/usage.js'

/**
 * Closes one attempt's record exactly once: latency, usage, exact cost, outcome, then health and
 * statistics, the `attempt-end` event, the hooks' tickets and the observers.
 */
export class AttemptRecorder {
  private closed = false
  /** Milliseconds from `performance.now()` at which the provider was called. */
  startedAt = performance.now()
  /** Wall-clock start, for the price in force at the time of the call. */
  private readonly startedAtTime = Date.now()
  private readonly progressTickets: AttemptTicket[] | undefined

  constructor(
    private readonly services: CoreServices,
    readonly candidate: Candidate,
    readonly record: Attempt,
    private readonly routeName: string | null,
    private readonly callIds: { readonly callId: string; readonly parentCallId?: string },
    /** Built only when hooks or observers exist. */
    readonly info: AttemptInfo | undefined,
    readonly attemptId: number,
    private readonly tickets: readonly AttemptTicket[] | undefined,
  ) {
    // Most attempts have no ticket that watches progress: then no list is built.
    let progress: AttemptTicket[] | undefined
    if (tickets) for (const ticket of tickets) if (ticket.streamProgress) (progress ??= []).push(ticket)
    this.progressTickets = progress
  }

  /** Offers a streamed event to the tickets that watch stream progress; a ticket may throw to stop the stream. */
  progress(event: StreamEvent, usageSoFar: Usage | undefined): void {
    if (!this.progressTickets) return
    for (const ticket of this.progressTickets) ticket.streamProgress!(event, usageSoFar)
  }

  firstToken(): void {
    if (this.info) this.services.hooks.notify('attemptFirstToken', this.info, this.attemptId)
  }

  /** `usageKnown: false`: the provider reported no token count, so the cost is unknown, not zero. */
  /** `answeredModel`: the model the provider reported (a stream's); a chat response's own `model` otherwise. */
  success(usage: Usage, usageKnown = true, response?: ModelResponse, answeredModel = response?.model): void {
    if (this.closed) return
    this.closed = true
    const { candidate, record, services } = this
    record.latencyMs = performance.now() - this.startedAt
    record.usage = usage
    record.cost = usageKnown ? this.cost(usage, answeredModel) : computeCost(usage, undefined)
    if (!usageKnown) {
      services.events.emit({
        type: 'warning',
        code: 'unknown_usage',
        message: `${candidate.id} reported no token usage; its cost is reported as null.`,
        provider: candidate.provider,
        model: candidate.model,
      })
    }
    record.outcome = 'success'
    services.health.recordSuccess(candidate.id)
    services.stats.record(candidate.id, {
      latencyMs: record.latencyMs,
      timeToFirstTokenMs: record.timeToFirstTokenMs,
      outputTokens: usage.outputTokens,
    })
    this.end(response)
  }

  /** `usage` is what an abandoned attempt had already reported, so its partial cost is still counted. */
  failure(error: SwitchyardError, aborted: boolean, usage?: Usage, refusedBeforeCall = false): void {
    if (this.closed) return
    this.closed = true
    const { candidate, record, services } = this
    record.latencyMs = performance.now() - this.startedAt
    record.error = error
    if (usage) {
      record.usage = usage
      record.cost = this.cost(usage)
    }
    record.outcome = aborted || error instanceof AbortedError ? 'aborted' : 'error'
    if (record.outcome === 'error' && !refusedBeforeCall) services.health.recordFailure(candidate.id, error)
    this.end()
  }

  private end(response?: ModelResponse): void {
    const { services, record } = this
    if (services.events.hasListeners) {
      services.events.emit({ type: 'attempt-end', attempt: record, routeName: this.routeName, ...this.callIds })
    }
    if (this.tickets) {
      for (const ticket of this.tickets) {
        try {
          ticket.settle(record)
        } catch {
          // Settling is book-keeping; a feature's failure there must not fail a finished attempt.
        }
      }
    }
    if (this.info) services.hooks.notify('attemptEnd', this.info, this.attemptId, record, response)
  }

  private cost(usage: Usage, answeredModel?: string) {
    const { candidate, services } = this
    const { cost, warnings } = priceAttempt({
      prices: services.prices,
      catalogId: services.provider(candidate.provider)?.catalogId,
      candidate,
      usage,
      answeredModel,
      at: new Date(this.startedAtTime),
    })
    for (const warning of warnings) {
      services.events.emit({ type: 'warning', code: warning.code, message: warning.message, provider: candidate.provider, model: candidate.model })
    }
    return cost
  }
}
