// `router.stream()`'s call, imported at the first stream a process makes (src/router/stream-code.ts):
// a process that only calls `router.chat` never compiles it.
import type { CallContext } from './attempt-runner.js'
import { pendingEvent, type LiveStreamAttempt } from './live-stream-attempt.js'
import { buildChatResult, buildRoute, callCost, savedCost } from './build-result.js'
import { StreamAssembler } from '../internal/stream-assembler.js'
import type { CachedAnswer, CallInfo, CallOutcome } from './call-hooks.js'
import { responseEvents } from './response-events.js'
import type { CostCapExceededError } from '../errors/cost-cap-exceeded-error.js'
import { AbortedError, hasErrorCode, StreamInterruptedError, SwitchyardError } from '../errors/errors.js'
import { parametersOf } from './request-parameters.js'
import type { ChatParameters } from '../spec/request.js'
import type { ChatChunk, ChatResult, ModelResponse } from '../spec/response.js'
import type { StreamEvent } from '../spec/stream-event.js'
import type { CallOptions, RouterChatRequest } from './router-client.js'
import type { Plan, StreamHost } from './stream-host.js'

export { LiveStreamAttempt } from './live-stream-attempt.js'

const finishedResult: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true })

/** An iterator result's event, `undefined` at the end (as `LiveStreamAttempt.eventAt` gives it). */
function eventOf(next: IteratorResult<StreamEvent>): StreamEvent | undefined {
  return next.done ? undefined : next.value
}

/**
 * A streamed call as a plain iterator, not an async generator: a generator adds its own queue
 * and several promise ticks to every chunk. The call is set up at the first `next()`; after
 * that, each `next()` reads the winner's next event (at once when it has arrived already) and
 * hands on the chunk it makes, and the last one (usage, cost, route) once the stream ended.
 * `return()` (the consumer leaving early) stops the provider stream and ends the call as
 * aborted; like a generator's, it waits for a pending `next()`.
 */
export function runStream(
  router: StreamHost,
  request: Partial<RouterChatRequest> & ChatParameters,
  plan: Plan,
  options: CallOptions,
  onResult: (result: ChatResult) => void,
  onFailure: (error: unknown) => void,
): AsyncIterator<ChatChunk> {
  const core = router.core
  const signal = options.signal
  let state: 'new' | 'opening' | 'live' | 'replay' | 'finished' = 'new'
  let startedAt = 0
  let created = 0
  let parameters: ChatParameters
  let call: CallInfo
  let callStarted = false
  let callEnded = false
  let context: CallContext
  let winner: LiveStreamAttempt
  // The strategy's own `events()` when it gave one (a wrapper may filter or rewrite them), else the attempt's.
  let strategyEvents: AsyncIterator<StreamEvent> | undefined
  let assembler: StreamAssembler
  // Collected only when a feature wants finished answers (the response cache).
  let collected: CachedAnswer['events'][number][] | undefined
  let replaying: Iterator<ChatChunk>
  /** How many of the winner's events were taken in. */
  let index = 0
  /** Every event was read, or reading failed: there is no provider stream left to stop. */
  let ended = false
  /** The latest `next()`, for `return()` and `throw()` to wait for, as for a later `next()` while `busy` (it has not settled). */
  let current: Promise<unknown> | undefined
  let busy = false

  const endCall = (outcome: CallOutcome) => {
    callEnded = true
    router.endCall(call, startedAt, outcome)
  }
  /** Ends the call with `error`, which the pending `next()` rejects with. */
  const fail = (error: unknown): never => {
    busy = false
    state = 'finished'
    if (callStarted && !callEnded) endCall({ ok: false, error })
    onFailure(error)
    throw error
  }
  /** Reading the stream failed (the provider, a limit, a hook, the signal): the attempt's record closes with the error too. */
  const failReading = (raw: unknown): never => {
    if (ended) return fail(raw)
    ended = true
    const error = interruptedError(raw, winner, assembler, signal)
    winner.settle({ error, aborted: error instanceof AbortedError })
    return fail(error)
  }

  const open = async (): Promise<void> => {
    startedAt = performance.now()
    created = Math.floor(Date.now() / 1000)
    parameters = parametersOf(request)
    call = router.callInfo('stream', plan, options, request.user, request.model)
    const observersLoading = router.observersReady()
    if (observersLoading) await observersLoading
    router.startCall(call, parameters)
    callStarted = true
    const looking = core.hooks.lookups.length > 0 ? router.lookup(call, parameters, request.model, plan) : undefined
    const cached = looking instanceof Promise ? await looking : looking
    if (cached) {
      replaying = replay(router, cached, plan, startedAt, created, onResult, endCall)
      state = 'replay'
      return
    }
    context = router.context(parameters, plan, call, options.signal, options.waitUntil)
    let returned: unknown
    try {
      returned = await router.runStrategy(plan, context)
    } catch (error) {
      throw router.strategyFailure(plan, context, error)
    }
    winner = router.recognise(plan, context, returned) as LiveStreamAttempt
    const ownEvents = (returned as { events?: unknown }).events
    // (The attempt's own are read through `take`: each event already received comes at once, with no iterator result or promise.)
    strategyEvents = returned !== winner && typeof ownEvents === 'function' ? (ownEvents as () => AsyncIterable<StreamEvent>).call(returned)[Symbol.asyncIterator]() : undefined
    assembler = new StreamAssembler(core.ids.responseId(), created, winner.candidate.id)
    collected = core.hooks.completes.length > 0 ? [] : undefined
    state = 'live'
  }

  /**
   * The next event: the strategy's own (a promise), or the winner's through `take` — at once when
   * it has come, else `pendingEvent`, and it goes to `onEvent` when it comes. Throws when reading
   * cannot go on.
   */
  const readEvent = (): StreamEvent | undefined | typeof pendingEvent | Promise<StreamEvent | undefined> =>
    strategyEvents ? strategyEvents.next().then(eventOf) : winner.take(index, onEvent, onReadError)

  // The pending `next()` when it waits for the winner's next event, which `take` hands to
  // `onEvent` directly: one promise per chunk, not one per event and another per chunk.
  let resolveNext!: (result: IteratorResult<ChatChunk> | Promise<IteratorResult<ChatChunk>>) => void
  let rejectNext!: (error: unknown) => void
  const awaitNext = (resolve: typeof resolveNext, reject: typeof rejectNext) => {
    resolveNext = resolve
    rejectNext = reject
  }
  const onEvent = (event: StreamEvent | undefined) => {
    // Taken first: an event that makes no chunk has `chunkFrom` wait again, on a promise of its own.
    const resolve = resolveNext
    const reject = rejectNext
    try {
      resolve(chunkFrom(event))
    } catch (error) {
      reject(error)
    }
  }
  const onReadError = (raw: unknown) => {
    try {
      failReading(raw)
    } catch (error) {
      rejectNext(error)
    }
  }

  /** The chunk the events from `event` on make (some make none), or the last chunk at the end. */
  const chunkFrom = (event: StreamEvent | undefined): IteratorResult<ChatChunk> | Promise<IteratorResult<ChatChunk>> => {
    try {
      while (event !== undefined) {
        index += 1
        collected?.push(event)
        const chunk = assembler.push(event)
        if (chunk) {
          busy = false
          return { value: chunk, done: false }
        }
        const next = readEvent()
        if (next === pendingEvent) return new Promise(awaitNext)
        if (next instanceof Promise) return next.then(chunkFrom, failReading)
        event = next
      }
      ended = true
      return lastChunk()
    } catch (raw) {
      return failReading(raw)
    }
  }

  const lastChunk = (): IteratorResult<ChatChunk> | Promise<IteratorResult<ChatChunk>> => {
    const response = assembler.response()
    // Extra billed steps at another model's rate are known only now: one priced by the full
    // catalog alone waits for it (the streamed model's own price was made sure of at its first token).
    const catalogLoading = core.prices.loadCatalogFor(winner.candidate, response)
    return catalogLoading ? catalogLoading.then(() => lastChunkOf(response), fail) : lastChunkOf(response)
  }

  const lastChunkOf = (response: ModelResponse): IteratorResult<ChatChunk> => {
    try {
      // Built-in adapters fail a stream that ends without its finish event; a custom one may not, and
      // then no usage was reported: the cost is unknown rather than a made-up 0.
      winner.settle({ usage: response.usage, usageKnown: assembler.finished, response })
      const route = buildRoute({
        routeName: plan.routeName,
        candidate: winner.candidate,
        strategy: plan.strategy.name,
        attempts: context.attempts,
        startedAt,
        timeToFirstTokenMs: winner.attempt.timeToFirstTokenMs,
      })
      const result = buildChatResult(response, winner.candidate, callCost(context.billedAttempts(), winner.attempt), route, created, core.ids)
      onResult(result)
      endCall({ ok: true, route, cost: result.cost, usage: response.usage, finishReason: response.finishReason })
      if (collected && assembler.finished) router.complete(call, parameters, request.model, plan, winner.candidate, response, collected, winner.attempt.cost?.total ?? null)
      state = 'finished'
      busy = false
      return { value: finalChunk(assembler, result, created, winner.candidate.id), done: false }
    } catch (error) {
      return fail(error)
    }
  }

  const replayed = (): IteratorResult<ChatChunk> => {
    try {
      const step = replaying.next()
      if (step.done) state = 'finished'
      return step
    } catch (error) {
      return fail(error)
    }
  }

  const step = (): IteratorResult<ChatChunk> | Promise<IteratorResult<ChatChunk>> => {
    if (state !== 'live') {
      busy = false
      return state === 'replay' ? replayed() : finishedResult
    }
    let event: StreamEvent | undefined | typeof pendingEvent | Promise<StreamEvent | undefined>
    try {
      event = readEvent()
    } catch (raw) {
      return failReading(raw)
    }
    if (event === pendingEvent) return new Promise(awaitNext)
    return event instanceof Promise ? event.then(chunkFrom, failReading) : chunkFrom(event)
  }

  /** The consumer stopped reading before the end: the provider stream is stopped, the call ends as aborted. */
  const leave = async (): Promise<IteratorResult<ChatChunk>> => {
    const was = state
    state = 'finished'
    if (was === 'new' || was === 'finished') return finishedResult
    if (was === 'live' && !ended) {
      ended = true
      await strategyEvents?.return?.()
      winner.cancel()
    }
    if (!callEnded) {
      endCall({ ok: false, error: new AbortedError('The caller stopped reading the stream before it ended.') })
      onFailure(new AbortedError('The stream was closed before it finished, so it has no final result.'))
    }
    return finishedResult
  }

  const thrown = (error: unknown): Promise<IteratorResult<ChatChunk>> => {
    try {
      if (state === 'new' || state === 'finished') {
        state = 'finished'
        throw error
      }
      return state === 'live' ? failReading(error) : fail(error)
    } catch (raised) {
      return Promise.reject(raised)
    }
  }

  const next = (): Promise<IteratorResult<ChatChunk>> => {
    // Called again before the last one settled: taken in turn, as a generator would.
    if (busy) return current!.then(next, next)
    let result: IteratorResult<ChatChunk> | Promise<IteratorResult<ChatChunk>>
    if (state === 'new') {
      state = 'opening'
      result = open().then(step, fail)
    } else {
      try {
        result = step()
      } catch (error) {
        return Promise.reject(error)
      }
    }
    if (!(result instanceof Promise)) return Promise.resolve(result)
    busy = true
    return (current = result)
  }

  return {
    next,
    return: () => (current ? current.then(leave, leave) : leave()),
    throw: (error: unknown) => (current ? current.then(() => thrown(error), () => thrown(error)) : thrown(error)),
  }
}

/** Replays a stored answer as a stream: the same chunks a live stream of it gives, `route.cacheHit: true`. */
function* replay(
  router: StreamHost,
  answer: CachedAnswer,
  plan: Plan,
  startedAt: number,
  created: number,
  onResult: (result: ChatResult) => void,
  endCall: (outcome: CallOutcome) => void,
): Generator<ChatChunk> {
  const assembler = new StreamAssembler(router.core.ids.responseId(), created, answer.candidate.id)
  const events = answer.events.length > 0 ? answer.events : responseEvents(answer.response)
  let timeToFirstTokenMs: number | undefined
  for (const event of events) {
    const chunk = assembler.push(event)
    if (!chunk) continue
    timeToFirstTokenMs ??= performance.now() - startedAt
    yield chunk
  }
  const route = router.cachedRoute(answer, plan, startedAt)
  if (timeToFirstTokenMs !== undefined) route.timeToFirstTokenMs = timeToFirstTokenMs
  const response = assembler.response()
  const result = buildChatResult(response, answer.candidate, savedCost(answer), route, created, router.core.ids)
  onResult(result)
  endCall({ ok: true, route, cost: result.cost, usage: response.usage, finishReason: response.finishReason })
  yield finalChunk(assembler, result, created, answer.candidate.id)
}

function finalChunk(assembler: StreamAssembler, result: ChatResult, created: number, model: string): ChatChunk {
  return {
    id: assembler.chunks[0]?.id ?? result.id,
    object: 'chat.completion.chunk',
    created,
    model,
    choices: [],
    usage: result.usage,
    tokens: result.tokens,
    cost: result.cost,
    route: result.route,
    ...(result.provider_metadata ? { provider_metadata: result.provider_metadata } : {}),
  }
}

function interruptedError(raw: unknown, winner: LiveStreamAttempt, assembler: StreamAssembler, signal: AbortSignal | undefined): SwitchyardError {
  const { provider, model, id } = winner.candidate
  // A cost cap stopped the stream: its own error, with the partial output as assembled here.
  if (hasErrorCode(raw, 'cost_cap_exceeded')) return (raw as CostCapExceededError).withPartialOutput(assembler.partialText, [...assembler.chunks])
  if (signal?.aborted) return new AbortedError('The stream was aborted by its AbortSignal.', { provider, model, cause: raw })
  const cause = raw instanceof SwitchyardError ? raw : undefined
  const reason = raw instanceof Error ? raw.message : String(raw)
  return new StreamInterruptedError(`${id}: the stream failed after it had started (${reason}). The partial output is on error.partialText.`, {
    provider,
    model,
    status: cause?.status,
    retryable: false,
    cause: raw,
    partialText: assembler.partialText,
    partialChunks: [...assembler.chunks],
  })
}
