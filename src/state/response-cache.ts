import type { ChatParameters, EmbedParameters } from '../spec/request.js'
import type { Store } from '../spec/store.js'
import type { StreamEvent } from '../spec/stream-event.js'
import type { CachedAnswer, CachedEmbedding, CallInfo, CallObserver, CallOutcome, CallHooks } from '../router/call-hooks.js'
import { MemoryStore, type InProcessView } from '../stores/memory-store.js'
import { jsonCopy, type JsonSizeBounds } from './json-copy.js'
import { Sha256 } from './sha256.js'
import { sortStrings, writeStableJson, writeStableMembers, type JsonSink } from './stable-hash.js'
import type { CallCacheOptions, ResponseCacheOptions, RouteCacheOptions } from './cache-options.js'
import { callCacheSettings, type CallCacheSettings } from './cache-settings.js'

export type { CallCacheOptions, ResponseCacheOptions, RouteCacheOptions }

/** A chat answer as the cache files it: the same fields whether written as JSON or held in memory. */
interface StoredEntry {
  readonly format: typeof entryFormat
  readonly version: typeof entryVersion
  readonly key: string
  readonly candidate: CachedAnswer['candidate']
  readonly response: CachedAnswer['response']
  readonly events: CachedAnswer['events']
  readonly originalCostUsd: number | null
}

/**
 * An answer stored in the cache: its JSON text in a shared store; in the memory store the entry
 * itself, a copy made when it was stored that no caller ever holds. Either way every reader
 * (a hit, a waiting duplicate) decodes a copy of its own, so a caller changing its result cannot
 * change what later calls are served.
 */
type EncodedAnswer = string | StoredEntry

interface PendingCall {
  readonly key: string
  readonly settings: CallCacheSettings
  /** Set when this call is the one identical concurrent calls wait for. */
  leader?: InFlight
}

/** A call asking a provider that identical calls wait for; most never get a follower, so nothing is made for them up front. */
interface InFlight {
  /** Calls waiting for the answer. */
  followers?: Array<(answer: EncodedAnswer | undefined) => void>
}

const defaultMaxEntryBytes = 1_000_000
const entryFormat = 'switchyard.response-cache'
const embeddingFormat = 'switchyard.embedding-cache'
const entryVersion = 1
/** The JSON of an entry with its key, names, response, events and cost left out (each placeholder below is one character). */
const entryFrameLength =
  JSON.stringify({ format: entryFormat, version: entryVersion, key: '', candidate: { id: '', provider: '', model: '' }, response: 0, events: 0, originalCostUsd: 0 }).length - 3
/** A non-streamed answer's events in a held entry: none, one array for all (readers get copies). */
const noEvents: readonly StreamEvent[] = Object.freeze([])
/** The longest a number is in JSON (`-0.0000012345678901234567`). */
const longestNumber = 25
/** Fields of a request that never change the answer. */
const ignoredFields = new Set(['user', 'stream', 'stream_options'])

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * The fields of a request that change its answer, as `writeStableJson` writes them (keys sorted,
 * so the text and its hash are the same in every process and version): every field but those that
 * never change the answer, with `max_completion_tokens` written as `max_tokens` (two spellings of
 * one limit give one answer). Written here directly, without a filtered copy of the request.
 */
function writeRequest(request: ChatParameters, sink: JsonSink): void {
  const values = request as unknown as Record<string, unknown>
  // Either spelling of the limit, as `max_tokens` (an explicit `max_tokens` wins).
  const limit = values.max_tokens !== undefined ? values.max_tokens : values.max_completion_tokens
  const fields: string[] = []
  for (const field in values) {
    if (!ignoredFields.has(field) && field !== 'max_tokens' && field !== 'max_completion_tokens') fields.push(field)
  }
  if (limit !== undefined) fields.push('max_tokens')
  writeStableMembers(sortStrings(fields), (field) => (field === 'max_tokens' ? limit : values[field]), sink)
}

/** Serialized size in UTF-8 bytes, counted exactly only when the character count cannot decide. */
function exceeds(text: string, limit: number): boolean {
  if (text.length > limit) return true
  if (text.length * 3 <= limit) return false
  return new TextEncoder().encode(text).byteLength > limit
}

/** A stored answer's original cost: a finite number of dollars, or `null` when it was not priced. */
function isStoredCost(value: unknown): value is number | null {
  return value === null || (typeof value === 'number' && Number.isFinite(value))
}

/**
 * The response cache: answers filed under a hash of everything that changes them, in the router's
 * store, replayed as a whole answer or as a stream. Registered as the core's `lookup` / `complete`
 * hooks and as a call observer (to release waiting duplicates when a call ends without an answer).
 */
export class ResponseCache implements CallHooks, CallObserver {
  private readonly pending = new Map<string, PendingCall>()
  private readonly inFlight = new Map<string, InFlight>()
  private readonly maxEntryBytes: number
  private warnedInvalidEntry = false
  /** The memory store, read and written at once (no promise, no tick); `undefined` for any other store. */
  private readonly inProcess: InProcessView | undefined
  /** Hashes the keys, one at a time: a key is worked out synchronously, start to end. */
  private readonly hash = new Sha256()
  /** Set while `hash` is in use, should a getter on a request start another call meanwhile. */
  private hashing = false

  constructor(
    private readonly options: ResponseCacheOptions | undefined,
    private readonly store: Store,
    private readonly host: {
      /** A call's own `cache` option. */
      callOption(call: CallInfo): CallCacheOptions | false | undefined
      warn(code: string, message: string): void
      /** Off-the-hot-path work (store writes), so `router.close()` can wait for it. */
      track(work: Promise<unknown>): void
      hit?(call: CallInfo, answer: CachedAnswer | CachedEmbedding): void
    },
  ) {
    this.maxEntryBytes = options?.maxEntryBytes ?? defaultMaxEntryBytes
    this.inProcess = store instanceof MemoryStore ? store.inProcess : undefined
  }

  /** The settings for this call, or `undefined` when it is not cached. */
  settingsFor(call: CallInfo): CallCacheSettings | undefined {
    return callCacheSettings(call, this.host.callOption(call), this.options)
  }

  /** The store key of an embedding request: a hash of the model asked for, the input, dimensions and provider options. */
  embeddingKeyOf(request: EmbedParameters, resolvedModel: string): string {
    const relevant: Record<string, unknown> = {}
    for (const [field, value] of Object.entries(request)) {
      if (!ignoredFields.has(field)) relevant[field] = value
    }
    const hash = this.hashing ? new Sha256() : this.hash
    const owned = hash === this.hash
    this.hashing = true
    try {
      writeStableJson({ v: entryVersion, operation: 'embed', model: resolvedModel, request: relevant }, hash.begin())
      return hash.hex('cache:')
    } finally {
      if (owned) this.hashing = false
    }
  }

  /** A stored embedding for this call, or `undefined`; a call that does not read the cache still gets its key for `completeEmbedding`. */
  async lookupEmbedding(call: CallInfo, request: EmbedParameters, resolvedModel: string, settings = this.settingsFor(call)): Promise<CachedEmbedding | undefined> {
    if (!settings) return undefined
    const key = this.embeddingKeyOf(request, resolvedModel)
    this.pending.set(call.callId, { key, settings })
    if (!settings.read) return undefined
    const stored = await this.store.get(key)
    if (stored === undefined) return undefined
    const answer = this.decodeEmbedding(stored, key)
    if (!answer) {
      this.host.track(this.store.delete(key))
      return undefined
    }
    this.pending.delete(call.callId)
    this.host.hit?.(call, answer)
    return answer
  }

  completeEmbedding(call: CallInfo, _request: EmbedParameters, _resolvedModel: string, answer: CachedEmbedding): void {
    const entry = this.pending.get(call.callId)
    if (!entry) return
    this.pending.delete(call.callId)
    const encoded = JSON.stringify({
      format: embeddingFormat,
      version: entryVersion,
      key: entry.key,
      candidate: { id: answer.candidate.id, provider: answer.candidate.provider, model: answer.candidate.model },
      response: answer.response,
      originalCostUsd: answer.originalCostUsd,
    })
    if (!exceeds(encoded, this.maxEntryBytes)) this.host.track(this.store.set(entry.key, encoded, { ttlMs: entry.settings.ttlMs }))
  }

  /**
   * The store key of a request: the SHA-256 of `{"model":…,"request":…,"v":1}` (the request as
   * `writeRequest` writes it), so no message content or identifier is readable in it. The text is
   * hashed as it is written, never built.
   */
  keyOf(request: ChatParameters, resolvedModel: string): string {
    const hash = this.hashing ? new Sha256() : this.hash
    const owned = hash === this.hash
    this.hashing = true
    try {
      hash.begin().text('{"model":').jsonString(resolvedModel).text(',"request":')
      writeRequest(request, hash)
      return hash.text(`,"v":${entryVersion}}`).hex('cache:')
    } finally {
      if (owned) this.hashing = false
    }
  }

  /** `undefined` at once (no promise) for a call that is not cached, and for a miss in the memory store: the router's hot path. */
  lookup(call: CallInfo, request: ChatParameters, resolvedModel: string, settings = this.settingsFor(call)): Promise<CachedAnswer | undefined> | undefined {
    if (!settings) return undefined
    const key = this.keyOf(request, resolvedModel)
    const entry: PendingCall = { key, settings }
    this.pending.set(call.callId, entry)
    if (!settings.read) return undefined
    // An identical call is already asking a provider: wait for its answer instead of paying twice.
    const leader = this.inFlight.get(key)
    if (leader) return this.follow(call, entry, leader)
    entry.leader = {}
    this.inFlight.set(key, entry.leader)
    if (this.inProcess) {
      const stored = this.inProcess.get(key)
      if (stored === undefined) return undefined
      // A hit still answers with a promise, as the hook contract has it; a miss goes on at once.
      // An object under a cache key is an entry this cache stored (`decode` checks it all the same).
      return Promise.resolve(this.storedAnswer(call, entry, stored as EncodedAnswer))
    }
    return this.store.get(key).then((stored) => (stored === undefined ? undefined : this.storedAnswer(call, entry, stored)))
  }

  private async follow(call: CallInfo, entry: PendingCall, leader: InFlight): Promise<CachedAnswer | undefined> {
    const shared = await this.waitFor(leader, call.signal)
    const answer = shared === undefined ? undefined : this.decode(shared, entry.key)
    if (answer) return this.served(call, answer)
    const stored = await this.store.get(entry.key)
    return stored === undefined ? undefined : this.storedAnswer(call, entry, stored)
  }

  /** A stored entry: served when it decodes, deleted when it does not (a miss). */
  private storedAnswer(call: CallInfo, entry: PendingCall, stored: EncodedAnswer): CachedAnswer | undefined {
    const answer = this.decode(stored, entry.key)
    if (!answer) {
      if (this.inProcess) this.inProcess.delete(entry.key)
      else this.host.track(this.store.delete(entry.key))
      return undefined
    }
    if (entry.leader) this.release(entry, stored)
    return this.served(call, answer)
  }

  complete(call: CallInfo, _request: ChatParameters, _resolvedModel: string, answer: CachedAnswer): void {
    const entry = this.pending.get(call.callId)
    if (!entry) return
    this.pending.delete(call.callId)
    const streamed = call.operation === 'stream'
    // A streamed answer's events stay one string in the memory store too: held as objects, a
    // long stream would be hundreds of them per entry for the garbage collector to walk.
    // An answer cut by its length limit is kept only when the call asked for that.
    const kept = answer.response.finishReason !== 'length' || entry.settings.cacheLengthLimited
    const stored = !kept ? undefined : this.inProcess && !streamed ? this.capture(entry, answer) : this.encode(entry, answer, streamed)
    this.release(entry, stored)
    if (stored === undefined) return
    if (this.inProcess) this.inProcess.set(entry.key, stored, entry.settings.ttlMs)
    else this.host.track(this.store.set(entry.key, stored as string, { ttlMs: entry.settings.ttlMs }))
  }

  callEnd(call: CallInfo, outcome: CallOutcome): void {
    // A chat call that answered is offered to `complete` by the core right after this, in the same
    // step, and that settles its entry: nothing to wait for.
    if (outcome.ok && call.operation === 'chat') return
    if (!this.pending.has(call.callId)) return
    // A stream's answer is offered to `complete` right after the call ends when it is whole;
    // whatever is still pending after that ended without a cacheable answer.
    queueMicrotask(() => {
      const entry = this.pending.get(call.callId)
      if (!entry) return
      this.pending.delete(call.callId)
      this.release(entry, undefined)
    })
  }

  private served(call: CallInfo, answer: CachedAnswer): CachedAnswer {
    const entry = this.pending.get(call.callId)
    this.pending.delete(call.callId)
    if (entry?.leader) this.release(entry, undefined)
    this.host.hit?.(call, answer)
    return answer
  }

  private release(entry: PendingCall, answer: EncodedAnswer | undefined): void {
    const leader = entry.leader
    if (!leader) return
    entry.leader = undefined
    if (this.inFlight.get(entry.key) === leader) this.inFlight.delete(entry.key)
    const followers = leader.followers
    leader.followers = undefined
    if (followers) for (const follower of followers) follower(answer)
  }

  private waitFor(leader: InFlight, signal: AbortSignal): Promise<EncodedAnswer | undefined> {
    if (signal.aborted) return Promise.resolve(undefined)
    return new Promise((resolve) => {
      const stop = () => resolve(undefined)
      signal.addEventListener('abort', stop, { once: true })
      ;(leader.followers ??= []).push((answer) => {
        signal.removeEventListener('abort', stop)
        resolve(answer)
      })
    })
  }

  /** The entry to file, as it is written (not yet serialized). */
  private entryOf(entry: PendingCall, answer: CachedAnswer, streamed: boolean): StoredEntry {
    return {
      format: entryFormat,
      version: entryVersion,
      key: entry.key,
      candidate: { id: answer.candidate.id, provider: answer.candidate.provider, model: answer.candidate.model },
      response: answer.response,
      // A non-streamed answer's events are derived from its response: the core rebuilds them.
      events: streamed ? answer.events : [],
      originalCostUsd: answer.originalCostUsd,
    }
  }

  /** The entry as JSON text, for a shared store; `undefined` when it is over the size limit. */
  private encode(entry: PendingCall, answer: CachedAnswer, streamed: boolean): string | undefined {
    const encoded = JSON.stringify(this.entryOf(entry, answer, streamed))
    return exceeds(encoded, this.maxEntryBytes) ? undefined : encoded
  }

  /**
   * The entry of a non-streamed answer for the memory store: a copy, taken now, before the caller
   * has the result it could change, and held as is, so the miss that stores it neither serializes
   * it nor parses it back. Its size is bounded while copying; only a size near the limit is worked
   * out exactly; `undefined` when it is over the limit.
   */
  private capture(entry: PendingCall, answer: CachedAnswer): StoredEntry | undefined {
    const { id, provider, model } = answer.candidate
    const cost = answer.originalCostUsd
    const size: JsonSizeBounds = { least: 0, most: 0 }
    // Laid out as `entryOf` lays it out, so the memory store's JSON of it (`store.get`) is the same text.
    const stored: StoredEntry = {
      format: entryFormat,
      version: entryVersion,
      key: entry.key,
      candidate: { id, provider, model },
      response: jsonCopy(answer.response, size) as CachedAnswer['response'],
      // A non-streamed answer's events are derived from its response: the core rebuilds them.
      events: noEvents,
      // As JSON would keep it: a cost that is not a finite number is null.
      originalCostUsd: typeof cost === 'number' && Number.isFinite(cost) ? cost : null,
    }
    // The rest of the entry's JSON: the frame, the key (hex), the names (1 to 6 bytes a character), `[]`, the cost.
    const names = id.length + provider.length + model.length
    const rest = entryFrameLength + entry.key.length + 2
    size.least += rest + names + 1
    size.most += rest + names * 6 + longestNumber
    if (size.most <= this.maxEntryBytes) return stored
    return size.least > this.maxEntryBytes || exceeds(JSON.stringify(stored), this.maxEntryBytes) ? undefined : stored
  }

  /**
   * The stored answer, or `undefined` (and a warning, once) when the entry is not one of ours. An
   * entry held in memory is copied for the reader; one parsed from text is the reader's already.
   */
  private decode(stored: EncodedAnswer, key: string): CachedAnswer | undefined {
    const value = typeof stored === 'string' ? this.parsed(stored) : stored
    if (value === undefined) return undefined
    const framed = this.framed(value, entryFormat, 'response cache', key)
    if (!framed) return undefined
    const { candidate, response, events, originalCostUsd } = framed
    if (!isRecord(response) || !isRecord(response.message) || typeof response.finishReason !== 'string' || !isRecord(response.usage)) {
      return this.invalid('its response is malformed')
    }
    if (!Array.isArray(events) || !events.every((event) => isRecord(event) && typeof event.type === 'string')) {
      return this.invalid('its events are malformed')
    }
    if (!isStoredCost(originalCostUsd)) return this.invalid('its cost is malformed')
    const copied = typeof stored !== 'string'
    const uncounted: JsonSizeBounds = { least: 0, most: 0 }
    return {
      candidate: { id: candidate.id, provider: candidate.provider, model: candidate.model },
      response: (copied ? jsonCopy(response, uncounted) : response) as unknown as CachedAnswer['response'],
      events: (copied ? jsonCopy(events, uncounted) : events) as unknown as StreamEvent[],
      originalCostUsd,
    }
  }

  private decodeEmbedding(text: string, key: string): CachedEmbedding | undefined {
    const value = this.parsed(text)
    if (value === undefined) return undefined
    const framed = this.framed(value, embeddingFormat, 'embedding cache', key)
    if (!framed) return undefined
    const { candidate, response, originalCostUsd } = framed
    const embeddings = isRecord(response) ? response.embeddings : undefined
    if (!isRecord(response) || typeof response.model !== 'string' || !isRecord(response.usage) || !Array.isArray(embeddings)) return this.invalid('its response is malformed')
    if (!embeddings.every((item) => isRecord(item) && typeof item.index === 'number' && Array.isArray(item.embedding) && item.embedding.every((number) => typeof number === 'number'))) {
      return this.invalid('its vectors are malformed')
    }
    if (!isStoredCost(originalCostUsd)) return this.invalid('its cost is malformed')
    return {
      candidate: { id: candidate.id, provider: candidate.provider, model: candidate.model },
      response: response as unknown as CachedEmbedding['response'],
      originalCostUsd,
    }
  }

  /**
   * The entry's fields when it is one of ours (format, version, filed under `key`) and names its
   * model well formed; `undefined`, with the warning, otherwise. What it holds besides is the
   * caller's to check.
   */
  private framed(value: unknown, format: string, writer: string, key: string): (Record<string, unknown> & { candidate: CachedAnswer['candidate'] }) | undefined {
    if (!isRecord(value) || value.format !== format) return this.invalid(`it was not written by a Switchyard ${writer}`)
    if (value.version !== entryVersion) return this.invalid(`it has format version ${String(value.version)}`)
    if (value.key !== key) return this.invalid('it is filed under another key')
    const candidate = value.candidate
    if (!isRecord(candidate) || typeof candidate.id !== 'string' || typeof candidate.provider !== 'string' || typeof candidate.model !== 'string') {
      return this.invalid('its model is malformed')
    }
    return value as Record<string, unknown> & { candidate: CachedAnswer['candidate'] }
  }

  /** An entry's text as JSON, or `undefined` (and a warning, once) when it is not JSON, which never parses to `undefined`. */
  private parsed(text: string): unknown {
    try {
      return JSON.parse(text)
    } catch {
      return this.invalid('it is not JSON')
    }
  }

  private invalid(reason: string): undefined {
    if (!this.warnedInvalidEntry) {
      this.warnedInvalidEntry = true
      this.host.warn('cache_entry_invalid', `A response-cache entry was ignored and deleted: ${reason}. (Reported once per router.)`)
    }
    return undefined
  }
}
