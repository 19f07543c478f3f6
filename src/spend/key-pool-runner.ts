// A key pool's requests: picking the member for each, moving on from a member that failed for a
// reason of its own, per-key limits and prompt-cache stickiness. Imported on the pool's first
// request (key-pool.ts), so importing the package does not compile it.
import { AbortedError, AuthenticationError, ProviderError, RateLimitError, SwitchyardError, TimeoutError } from '../errors/errors.js'
import { LocalRateLimitError } from '../errors/local-rate-limit-error.js'
import type { CallOptions, ProviderAdapter, ProviderQuotaService } from '../spec/provider-adapter.js'
import type { ChatParameters, EmbedModelRequest, ModelRequest } from '../spec/request.js'
import type { EmbedModelResponse, ModelResponse } from '../spec/response.js'
import type { StreamEvent } from '../spec/stream-event.js'
import type { Usage } from '../spec/usage.js'
import { cachePrefixFingerprint } from './cache-prefix.js'
import type { KeyPoolState, MemberState } from './key-pool-state.js'

function tokensOf(usage: Usage | undefined): number | undefined {
  return usage && usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens + usage.outputTokens
}

/** Failures that are about this key (its quota, its credentials, its deployment), so another key may well succeed. */
function isKeyFailure(error: unknown): error is SwitchyardError {
  if (error instanceof AbortedError) return false
  if (error instanceof RateLimitError || error instanceof AuthenticationError || error instanceof TimeoutError) return true
  return error instanceof ProviderError && (error.retryable || (error.status !== undefined && error.status >= 500))
}

/** What the headers of `member`'s responses said: the pool's own record and the router's (shared) one. */
function headroomOf({ quota }: KeyPoolState, member: string, model: string, routerQuota: ProviderQuotaService | undefined, now: number): number {
  return Math.min(quota.headroom(member, model, now), routerQuota ? routerQuota.headroom(member, model) : 1)
}

function exhaustedFor({ quota }: KeyPoolState, member: string, model: string, routerQuota: ProviderQuotaService | undefined, now: number): number {
  return Math.max(quota.exhaustedFor(member, model, now), routerQuota ? routerQuota.exhaustedFor(member, model) : 0)
}

function order(pool: KeyPoolState, model: string, fingerprint: string | undefined, routerQuota: ProviderQuotaService | undefined): MemberState[] {
  const { id, states, balance, sticky } = pool
  const now = Date.now()
  pool.turn = (pool.turn + 1) % states.length
  const turn = pool.turn
  const rotated = [...states.slice(turn), ...states.slice(0, turn)]
  if (balance === 'least-busy') rotated.sort((a, b) => a.inFlight - b.inFlight)
  if (balance === 'most-headroom') rotated.sort((a, b) => headroomOf(pool, b.adapter.id, model, routerQuota, now) - headroomOf(pool, a.adapter.id, model, routerQuota, now) || a.inFlight - b.inFlight)
  const preferred = fingerprint ? sticky.get(fingerprint) : undefined
  const ordered = preferred ? [preferred, ...rotated.filter((state) => state !== preferred)] : rotated
  const withQuota = ordered.filter((state) => exhaustedFor(pool, state.adapter.id, model, routerQuota, now) === 0)
  // Every key's quota used up by the provider's own word: refuse before calling any, so fallback
  // moves on to another model (or the caller waits) rather than collecting 429s.
  if (withQuota.length === 0) {
    const waitMs = Math.min(...ordered.map((state) => exhaustedFor(pool, state.adapter.id, model, routerQuota, now)))
    throw new LocalRateLimitError(`${id}/${model}: the rate-limit headers of every key in the pool say its quota is used up for another ${Math.ceil(waitMs / 1000)} s; no key was called.`, {
      limit: 'provider rate-limit headers',
      kind: 'provider-quota',
      scope: `key pool ${id} ${model}`,
      provider: id,
      model,
      retryAfterMs: waitMs,
    })
  }
  const available = withQuota.filter((state) => state.coolingDownUntil <= now)
  // Every member sitting out: try the one that recovers first rather than fail without trying.
  if (available.length > 0) return available
  return [...withQuota].sort((a, b) => a.coolingDownUntil - b.coolingDownUntil).slice(0, 1)
}

function remember({ sticky, maxStickyPrefixes }: KeyPoolState, fingerprint: string | undefined, state: MemberState): void {
  if (!fingerprint) return
  sticky.delete(fingerprint)
  if (sticky.size >= maxStickyPrefixes) sticky.delete(sticky.keys().next().value!)
  sticky.set(fingerprint, state)
}

function coolDown({ cooldownMs }: KeyPoolState, state: MemberState, error: SwitchyardError): void {
  state.coolingDownUntil = Date.now() + (error.retryAfterMs ?? cooldownMs)
}

/** Ends a request's hold on its key's per-key limits, with its real token usage when known. */
type Release = (usedTokens?: number) => void
const noRelease: Release = () => {}

async function runOnMembers<Result>(pool: KeyPoolState, model: string, fingerprint: string | undefined, callOptions: CallOptions, run: (member: ProviderAdapter) => Promise<Result>): Promise<{ value: Result; release: Release }> {
  const { id, memberIds } = pool
  const { signal, quota: routerQuota, keyGate } = callOptions
  // What other routers sharing the store have seen of these keys, when the picture is stale.
  const refreshing = routerQuota?.refresh(memberIds, model)
  if (refreshing) await refreshing
  let lastError: unknown
  for (const state of order(pool, model, fingerprint, routerQuota)) {
    if (signal.aborted) break
    let release = noRelease
    if (keyGate) {
      try {
        release = await keyGate.admit(state.adapter.id)
      } catch (error) {
        // This key's own limits are full: another key may have room; no cool-down, nothing was sent.
        if (!(error instanceof RateLimitError)) throw error
        lastError = error
        continue
      }
    }
    state.inFlight += 1
    try {
      const value = await run(state.adapter)
      remember(pool, fingerprint, state)
      return { value, release }
    } catch (error) {
      release()
      if (!isKeyFailure(error) || signal.aborted) throw error
      coolDown(pool, state, error)
      lastError = error
    } finally {
      state.inFlight -= 1
    }
  }
  throw lastError ?? new AbortedError('The call was aborted by its AbortSignal.', { provider: id, model })
}

function tagged({ id }: KeyPoolState, response: ModelResponse, member: ProviderAdapter): ModelResponse {
  return { ...response, providerMetadata: { ...response.providerMetadata, keyPool: { pool: id, member: member.id } } }
}


export function chatOnMembers(pool: KeyPoolState, request: ModelRequest, callOptions: CallOptions): Promise<ModelResponse> {
  return runOnMembers(pool, request.model, cachePrefixFingerprint(request as ChatParameters), callOptions, async (member) => tagged(pool, await member.chat(request, callOptions), member)).then(
    ({ value, release }) => {
      release(tokensOf(value.usage))
      return value
    },
  )
}

export async function* streamOnMembers(pool: KeyPoolState, request: ModelRequest, callOptions: CallOptions): AsyncGenerator<StreamEvent> {
  // A member is committed once its stream yields its first event; until then a key failure moves on.
  const { value: opened, release } = await runOnMembers(pool, request.model, cachePrefixFingerprint(request as ChatParameters), callOptions, async (member) => {
    const iterator = member.stream(request, callOptions)[Symbol.asyncIterator]()
    const firstEvent = await iterator.next()
    return { iterator, firstEvent, member }
  })
  const state = pool.states.find((candidate) => candidate.adapter === opened.member)!
  state.inFlight += 1
  let usedTokens: number | undefined
  const seen = (event: StreamEvent) => {
    if (event.type === 'finish') usedTokens = tokensOf(event.usage)
    return event
  }
  try {
    if (opened.firstEvent.done) return
    yield seen(opened.firstEvent.value)
    while (true) {
      const next = await opened.iterator.next()
      if (next.done) return
      yield seen(next.value)
    }
  } finally {
    state.inFlight -= 1
    // The key's concurrency slot is held until the stream ends; its tokens count as streamed.
    release(usedTokens)
    await opened.iterator.return?.()
  }
}

export function embedOnMembers(pool: KeyPoolState, request: EmbedModelRequest, callOptions: CallOptions): Promise<EmbedModelResponse> {
  return runOnMembers(pool, request.model, undefined, callOptions, (member) => member.embed!(request, callOptions)).then(({ value, release }) => {
    release(value.usage.inputTokens)
    return value
  })
}
