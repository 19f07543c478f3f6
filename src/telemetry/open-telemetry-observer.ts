import type * as OpenTelemetryApi from '@opentelemetry/api'
import type { Attributes, Context, Counter, Histogram, Meter, Span, Tracer } from '@opentelemetry/api'
import type { AttemptInfo, CacheHitInfo, CallInfo, CallObserver, CallOutcome } from '../router/call-hooks.js'
import type { ChatParameters } from '../spec/request.js'
import type { Attempt, ModelResponse } from '../spec/response.js'
import type { Usage } from '../spec/usage.js'
import { isSpendRefusal } from '../report/spend-refusal.js'
import { inputContent, outputContent } from './message-content.js'
import { providerName } from './provider-names.js'
import { MetricAttributeSets } from './metric-attribute-sets.js'
import { errorType, genAi, genAiMetrics, switchyard, switchyardMetrics } from './semantic-attributes.js'

export type OpenTelemetryModule = typeof OpenTelemetryApi

interface AttemptState {
  readonly span: Span
  /** `gen_ai.provider.name`. */
  readonly provider: string
}

interface CallState {
  readonly span: Span
  readonly operationName: string
  /** The context the call span started in; its attempts' context is made from it on the first attempt. */
  readonly parentContext: Context
  attemptContext: Context | undefined
  /**
   * Attempts started and not yet ended, by attempt id (ids count from 1 within a call). Kept on the
   * call rather than in one map keyed by a made-up string, so that an attempt costs no key to build.
   */
  readonly attempts: Array<AttemptState | undefined>
  /** Attempts started and not yet ended. */
  openAttempts: number
  /** A side call whose parent call has ended: it ends with its last running attempt, if `end()` never comes. */
  orphaned?: boolean
}

/** Side calls (judges, comparisons) may start after the call they serve has ended; its span stays their parent. */
const maxRememberedCalls = 256

// Bucket boundaries the GenAI conventions advise for these histograms.
const tokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864]
const durationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92]
const firstChunkBuckets = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]

function operationNameOf(call: CallInfo): string {
  return call.operation === 'embed' ? 'embeddings' : 'chat'
}

function errorCodeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string' && code !== '') return code
  return error instanceof Error ? error.name : '_OTHER'
}


function addTokenAttributes(usage: Usage, attributes: Attributes): void {
  // The conventions count cached input inside the input total; ours keeps them apart.
  attributes[genAi.usageInputTokens] = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens
  attributes[genAi.usageOutputTokens] = usage.outputTokens
  attributes[genAi.usageCacheReadInputTokens] = usage.cacheReadTokens
  attributes[genAi.usageCacheCreationInputTokens] = usage.cacheWriteTokens
  attributes[genAi.usageReasoningOutputTokens] = usage.reasoningTokens
}

function requestAttributes(request: Partial<ChatParameters>, attributes: Attributes): void {
  if (typeof request.temperature === 'number') attributes[genAi.requestTemperature] = request.temperature
  if (typeof request.top_p === 'number') attributes[genAi.requestTopP] = request.top_p
  const maxTokens = request.max_completion_tokens ?? request.max_tokens
  if (typeof maxTokens === 'number') attributes[genAi.requestMaxTokens] = maxTokens
  if (typeof request.frequency_penalty === 'number') attributes[genAi.requestFrequencyPenalty] = request.frequency_penalty
  if (typeof request.presence_penalty === 'number') attributes[genAi.requestPresencePenalty] = request.presence_penalty
  if (typeof request.seed === 'number') attributes[genAi.requestSeed] = request.seed
  if (request.stop !== undefined) attributes[genAi.requestStopSequences] = typeof request.stop === 'string' ? [request.stop] : request.stop
}

/**
 * Turns the router's call observations into OpenTelemetry spans and metrics, following the GenAI
 * semantic conventions: one span per call under the caller's active span, one client span per
 * attempt under it (retries, fallback steps, race entrants), and side calls (judges, A/B shadow
 * runs) as children of the call they were made for.
 *
 * Token usage is recorded on attempt spans only, where each provider call happened, so a backend
 * that sums `gen_ai.usage.*` over spans never counts a token twice.
 */
export class OpenTelemetryObserver implements CallObserver {
  private readonly calls = new Map<string, CallState>()
  /** Attempts of a side call the observer saw no start of, hung under the call they serve. */
  private readonly strayAttempts = new Map<string, AttemptState>()
  private readonly endedCalls = new EndedCallSpans()
  /** Side calls still open, by the id of the call they were made for. */
  private readonly sideCalls = new Map<string, Set<string>>()
  private readonly tokenUsage: Histogram
  private readonly duration: Histogram
  private readonly firstChunk: Histogram
  private readonly cost: Counter
  private readonly cacheHits: Counter
  private readonly metricAttributes = new MetricAttributeSets()

  constructor(
    private readonly api: OpenTelemetryModule,
    private readonly tracer: Tracer,
    meter: Meter,
    private readonly captureContent: boolean,
  ) {
    this.tokenUsage = meter.createHistogram(genAiMetrics.tokenUsage, {
      description: 'Number of input and output tokens used per provider call.',
      unit: '{token}',
      advice: { explicitBucketBoundaries: tokenBuckets },
    })
    this.duration = meter.createHistogram(genAiMetrics.operationDuration, {
      description: 'Duration of each provider call (attempt), failed and cancelled ones included.',
      unit: 's',
      advice: { explicitBucketBoundaries: durationBuckets },
    })
    this.firstChunk = meter.createHistogram(genAiMetrics.timeToFirstChunk, {
      description: 'Time from the start of a streamed provider call to its first token.',
      unit: 's',
      advice: { explicitBucketBoundaries: firstChunkBuckets },
    })
    this.cost = meter.createCounter(switchyardMetrics.cost, { description: 'Spend at list prices, per provider call.', unit: '{USD}' })
    this.cacheHits = meter.createCounter(switchyardMetrics.cacheHits, { description: 'Calls answered from the response cache.', unit: '{call}' })
  }

  callStart(call: CallInfo, request: Readonly<ChatParameters> | Readonly<{ input: string[] }>): void {
    const api = this.api
    const operationName = operationNameOf(call)
    const requestedModel = call.requestedModel ?? call.routeName ?? call.strategy
    const side = call.kind !== 'call'
    // A judge or shadow run inherits the call's request model and route; its own model is known
    // only from its attempts, so its span is named for what it is and carries no request model.
    const attributes: Attributes = side
      ? { [genAi.operationName]: operationName, [switchyard.callId]: call.callId, [switchyard.callKind]: call.kind, [switchyard.strategy]: call.strategy }
      : { [genAi.operationName]: operationName, [genAi.requestModel]: requestedModel, [switchyard.callId]: call.callId, [switchyard.callKind]: call.kind, [switchyard.strategy]: call.strategy }
    if (call.operation === 'stream') attributes[genAi.requestStream] = true
    if (call.routeName !== null) attributes[switchyard.route] = call.routeName
    if (call.parentCallId !== undefined) attributes[switchyard.parentCallId] = call.parentCallId
    for (const name in call.tags) attributes[switchyard.tagPrefix + name] = call.tags[name]!
    if (this.captureContent && 'messages' in request) this.addInput(attributes, request.messages)

    const active = api.context.active()
    const parentSpan = call.parentCallId === undefined ? undefined : this.spanOf(call.parentCallId)
    const parentContext = parentSpan ? api.trace.setSpan(active, parentSpan) : active
    if (side && call.parentCallId !== undefined && this.calls.has(call.parentCallId)) {
      const siblings = this.sideCalls.get(call.parentCallId) ?? new Set<string>()
      siblings.add(call.callId)
      this.sideCalls.set(call.parentCallId, siblings)
    }
    const span = this.tracer.startSpan(side ? `${operationName} ${call.kind}` : `${operationName} ${requestedModel}`, { kind: api.SpanKind.INTERNAL, attributes }, parentContext)
    this.calls.set(call.callId, { span, operationName, parentContext, attemptContext: undefined, attempts: [], openAttempts: 0 })
  }

  attemptStart(attempt: AttemptInfo, attemptId: number): void {
    const { call, candidate } = attempt
    const own = this.calls.get(call.callId)
    let parent: Context
    if (own) {
      // Every attempt of a call has the same parent: the context is made once per call.
      parent = own.attemptContext ??= this.api.trace.setSpan(own.parentContext, own.span)
    } else {
      const parentSpan = call.parentCallId === undefined ? undefined : this.spanOf(call.parentCallId)
      if (!parentSpan) return
      parent = this.api.trace.setSpan(this.api.context.active(), parentSpan)
    }
    const operationName = operationNameOf(call)
    const provider = providerName(candidate.provider)
    const attributes: Attributes = {
      [genAi.operationName]: operationName,
      [genAi.providerName]: provider,
      [genAi.requestModel]: candidate.model,
      [switchyard.provider]: candidate.provider,
      [switchyard.attemptNumber]: attemptId,
    }
    if (!own) {
      // A side call the observer saw no start of has no call span: its attempts hang under the
      // call they serve and say what they are.
      attributes[switchyard.callKind] = call.kind
      attributes[switchyard.callId] = call.callId
      if (call.parentCallId !== undefined) attributes[switchyard.parentCallId] = call.parentCallId
      for (const name in call.tags) attributes[switchyard.tagPrefix + name] = call.tags[name]!
    }
    if (call.operation === 'stream') attributes[genAi.requestStream] = true
    const request = attempt.request as Partial<ChatParameters>
    requestAttributes(request, attributes)
    if (this.captureContent && Array.isArray(request.messages)) this.addInput(attributes, request.messages)
    const state: AttemptState = { span: this.tracer.startSpan(`${operationName} ${candidate.model}`, { kind: this.api.SpanKind.CLIENT, attributes }, parent), provider }
    if (own) {
      own.attempts[attemptId] = state
      own.openAttempts += 1
    } else {
      this.strayAttempts.set(`${call.callId}:${attemptId}`, state)
    }
  }

  /** A call's span while it runs, or for a while after it ended (side calls may start late). */
  private spanOf(callId: string): Span | undefined {
    return this.calls.get(callId)?.span ?? this.endedCalls.get(callId)
  }

  /** Takes an attempt's state out of the book-keeping: it has ended. */
  private takeAttempt(call: CallInfo, attemptId: number): AttemptState | undefined {
    const own = this.calls.get(call.callId)
    if (!own) {
      const key = `${call.callId}:${attemptId}`
      const stray = this.strayAttempts.get(key)
      if (stray) this.strayAttempts.delete(key)
      return stray
    }
    const state = own.attempts[attemptId]
    if (!state) return undefined
    own.attempts[attemptId] = undefined
    own.openAttempts -= 1
    if (own.orphaned && own.openAttempts === 0) queueMicrotask(() => this.endOrphan(call.callId))
    return state
  }

  private peekAttempt(call: CallInfo, attemptId: number): AttemptState | undefined {
    return this.calls.get(call.callId)?.attempts[attemptId] ?? this.strayAttempts.get(`${call.callId}:${attemptId}`)
  }

  attemptFirstToken(attempt: AttemptInfo, attemptId: number): void {
    this.peekAttempt(attempt.call, attemptId)?.span.addEvent('first_token')
  }

  attemptEnd(attempt: AttemptInfo, attemptId: number, record: Attempt, response?: ModelResponse): void {
    const call = attempt.call
    let state = this.takeAttempt(call, attemptId)
    if (!state) {
      // An attempt a budget or limit refused before it started ends without having started: its span is opened here.
      this.attemptStart(attempt, attemptId)
      state = this.takeAttempt(call, attemptId)
      if (!state) return
    }
    const { span } = state
    let outcome: string = record.outcome
    let failure: string | undefined
    if (outcome === 'aborted' && !call.signal.aborted) outcome = 'cancelled'
    const attributes: Attributes = { [switchyard.attemptOutcome]: outcome }
    if (response) {
      attributes[genAi.responseModel] = response.model
      attributes[genAi.responseId] = response.id
      attributes[genAi.responseFinishReasons] = [response.finishReason]
      if (this.captureContent) attributes[genAi.outputMessages] = outputContent(response.message, response.finishReason)
    }
    const usage = record.usage
    if (usage) addTokenAttributes(usage, attributes)
    const costUsd = record.cost?.total
    if (typeof costUsd === 'number') attributes[switchyard.attemptCostUsd] = costUsd
    if (record.timeToFirstTokenMs !== undefined) attributes[genAi.responseTimeToFirstChunk] = record.timeToFirstTokenMs / 1000
    if (outcome !== 'success') {
      const code = outcome === 'cancelled' ? 'cancelled' : errorCodeOf(record.error)
      attributes[errorType] = code
      failure = code
      if (isSpendRefusal(code)) {
        attributes[switchyard.budgetExceeded] = true
        const budget = (record.error as { budget?: unknown } | undefined)?.budget
        if (typeof budget === 'string') attributes[switchyard.budgetName] = budget
      }
      // A cancelled race loser did nothing wrong: it is marked, not failed.
      if (outcome !== 'cancelled') span.setStatus({ code: this.api.SpanStatusCode.ERROR, message: record.error?.message ?? outcome })
    }
    span.setAttributes(attributes)
    span.end()

    // Metric attributes are kept to the dimensions worth aggregating by: the same few sets, made once.
    const metricAttributes = this.metricAttributes.forAttempt(call, operationNameOf(call), state.provider, attempt.candidate.model, response?.model, failure)
    this.duration.record(record.latencyMs / 1000, metricAttributes.all)
    if (record.timeToFirstTokenMs !== undefined) this.firstChunk.record(record.timeToFirstTokenMs / 1000, metricAttributes.all)
    if (usage) {
      this.tokenUsage.record(usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens, metricAttributes.input)
      this.tokenUsage.record(usage.outputTokens, metricAttributes.output)
    }
    if (typeof costUsd === 'number' && costUsd > 0) this.cost.add(costUsd, metricAttributes.all)
  }

  cacheHit(call: CallInfo, answer: CacheHitInfo): void {
    const state = this.calls.get(call.callId)
    if (!state) return
    const attributes: Attributes = {
      [switchyard.cacheHit]: true,
      [genAi.providerName]: providerName(answer.candidate.provider),
      [switchyard.provider]: answer.candidate.provider,
      [genAi.responseModel]: answer.response.model,
    }
    if (answer.originalCostUsd !== null) attributes[switchyard.cacheSavedUsd] = answer.originalCostUsd
    state.span.setAttributes(attributes)
    this.cacheHits.add(1, { ...this.metricAttributes.forCall(call, state.operationName), [genAi.providerName]: providerName(answer.candidate.provider), [genAi.requestModel]: answer.candidate.model })
  }

  callEnd(call: CallInfo, outcome: CallOutcome): void {
    const state = this.calls.get(call.callId)
    if (!state) return
    this.calls.delete(call.callId)
    if (call.parentCallId !== undefined) this.sideCalls.get(call.parentCallId)?.delete(call.callId)
    if (this.sideCalls.size > 0) this.endSideCallsOf(call.callId)
    const { span } = state
    if (outcome.ok) {
      const { route, cost } = outcome
      let fellBack = false
      for (const attempt of route.attempts) if (attempt.outcome === 'error') fellBack = true
      const attributes: Attributes = {
        [genAi.providerName]: providerName(route.provider),
        [switchyard.provider]: route.provider,
        [genAi.responseModel]: route.model,
        [switchyard.attempts]: route.attempts.length,
        [switchyard.fellBack]: fellBack,
        [switchyard.cacheHit]: route.cacheHit,
      }
      if (cost.total !== null) attributes[switchyard.callCostUsd] = cost.total
      if (outcome.finishReason !== undefined) attributes[genAi.responseFinishReasons] = [outcome.finishReason]
      if (route.timeToFirstTokenMs !== undefined) attributes[genAi.responseTimeToFirstChunk] = route.timeToFirstTokenMs / 1000
      span.setAttributes(attributes)
    } else {
      const code = call.signal.aborted ? 'aborted' : errorCodeOf(outcome.error)
      span.setAttributes(isSpendRefusal(code) ? { [errorType]: code, [switchyard.budgetExceeded]: true } : { [errorType]: code })
      const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error)
      span.setStatus({ code: this.api.SpanStatusCode.ERROR, message })
    }
    span.end()
    this.endedCalls.add(call.callId, span)
  }

  /**
   * The call has ended: side calls made for it that were never ended by their strategy end now,
   * or with their last running attempt.
   */
  private endSideCallsOf(callId: string): void {
    const sides = this.sideCalls.get(callId)
    if (!sides) return
    this.sideCalls.delete(callId)
    for (const sideId of sides) {
      const side = this.calls.get(sideId)
      if (!side) continue
      side.orphaned = true
      if (side.openAttempts === 0) this.endOrphan(sideId)
    }
  }

  private endOrphan(callId: string): void {
    const state = this.calls.get(callId)
    if (!state || state.openAttempts > 0) return
    this.calls.delete(callId)
    this.endSideCallsOf(callId)
    state.span.end()
    this.endedCalls.add(callId, state.span)
  }

  private addInput(attributes: Attributes, messages: ChatParameters['messages']): void {
    const content = inputContent(messages)
    attributes[genAi.inputMessages] = content.messages
    if (content.system !== undefined) attributes[genAi.systemInstructions] = content.system
  }
}

/**
 * The spans of the last `maxRememberedCalls` calls that ended, by call id, in a ring: remembering
 * one is two stores, with no hashing and no map to grow; finding one (only when a side call starts
 * after the call it serves has ended) compares ids.
 */
class EndedCallSpans {
  private readonly callIds: string[] = []
  private readonly spans: Span[] = []
  private next = 0

  add(callId: string, span: Span): void {
    this.callIds[this.next] = callId
    this.spans[this.next] = span
    this.next = (this.next + 1) % maxRememberedCalls
  }

  get(callId: string): Span | undefined {
    const index = this.callIds.indexOf(callId)
    return index === -1 ? undefined : this.spans[index]
  }
}
