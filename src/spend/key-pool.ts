import { AbortedError, AuthenticationError, ConfigurationError, ProviderError, RateLimitError, SwitchyardError, TimeoutError } from '../errors/errors.js'
import { LocalRateLimitError } from '../errors/local-rate-limit-error.js'
import type { CallOptions, ModelCapabilities, ProviderAdapter, ProviderQuotaService } from '../spec/provider-adapter.js'
import type { ChatParameters, EmbedModelRequest, ModelRequest } from '../spec/request.js'
import type { EmbedModelResponse, ModelResponse } from '../spec/response.js'
import type { StreamEvent } from '../spec/stream-event.js'
import type { Usage } from '../spec/usage.js'
import { cachePrefixFingerprint } from './cache-prefix.js'
import { ProviderQuota } from './provider-quota.js'

/** How a key pool picks the member for each request. */
export type KeyPoolBalance = 'round-robin' | 'least-busy' | 'most-headroom'

export interface KeyPoolOptions {
  /** The provider id calls use (`openai` in `openai/gpt-4o`). */
  id: string
  /** Instances of one provider, each with its own id: `openai({ id: 'openai-eu', apiKey, baseURL })`. */
  members: ProviderAdapter[]
  /**
   * `round-robin` (default) takes turns; `least-busy` picks the member with the fewest requests in
   * flight; `most-headroom` the one whose rate-limit headers left the largest share of quota.
   */
  balance?: KeyPoolBalance
  /** How long a member sits out after a failure that names no retry-after, in ms. Default 30 000. */
  cooldownMs?: number
  /** Most prompt prefixes remembered for `cache_control` stickiness. Default 10 000. */
  maxStickyPrefixes?: number
}

export interface KeyPoolMemberStatus {
  id: string
  inFlight: number
  /** Milliseconds until it takes requests again (0: available). */
  coolingDownForMs: number
}

export interface KeyPool extends ProviderAdapter {
  readonly members: readonly ProviderAdapter[]
  /** Each member's requests in flight and cooldown, for diagnostics. */
  status(): KeyPoolMemberStatus[]
  /** Feeds a member's response headers (`x-ratelimit-*`, `anthropic-ratelimit-*`) to the `most-headroom` choice and to quota avoidance. */
  observeHeaders(memberId: string, model: string, headers: Headers | Record<string, string | string[] | undefined>): void
  readonly quota: ProviderQuota
}

interface MemberState {
  readonly adapter: ProviderAdapter
  inFlight: number
  coolingDownUntil: number
}

function tokensOf(usage: Usage | undefined): number | undefined {
  return usage && usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens + usage.outputTokens
}

/** Failures that are about this key (its quota, its credentials, its deployment), so another key may well succeed. */
function isKeyFailure(error: unknown): error is SwitchyardError {
  if (error instanceof AbortedError) return false
  if (error instanceof RateLimitError || error instanceof AuthenticationError || error instanceof TimeoutError) return true
  return error instanceof ProviderError && (error.retryable || (error.status !== undefined && error.status >= 500))
}

/**
 * Several instances of one provider (keys, regions, Azure deployments) behind one provider id.
 * Each request goes to one member chosen by `balance`; a member that fails with a rate limit, an
 * authentication error, a timeout or a server error sits out for its retry-after (or `cooldownMs`)
 * and the request moves on to the next member at once. A member whose rate-limit headers say its
 * quota is used up is skipped until its reset (with a shared store, whichever router saw them);
 * when every member's is, the call fails with a `LocalRateLimitError` without calling any. A request with `cache_control` markers
 * goes to the member that last served the same marked prefix, so the provider's prompt cache keeps
 * hitting. Cooldowns and stickiness are per router process.
 */
export function keyPool(options: KeyPoolOptions): KeyPool {
  const { id, members } = options
  if (typeof id !== 'string' || id === '' || id.includes('/')) throw new ConfigurationError('keyPool: `id` must be a non-empty provider id without "/" (e.g. "openai").')
  if (!Array.isArray(members) || members.length === 0) throw new ConfigurationError(`keyPool("${id}"): \`members\` must list at least one provider instance.`)
  const ids = new Set<string>()
  for (const member of members) {
    if (!member || typeof member.chat !== 'function' || typeof member.id !== 'string') throw new ConfigurationError(`keyPool("${id}"): every member must be a provider adapter such as openai({ id: 'openai-eu', apiKey }).`)
    if (ids.has(member.id)) throw new ConfigurationError(`keyPool("${id}"): two members have the id "${member.id}"; give each its own id, e.g. openai({ id: 'openai-eu' }).`)
    ids.add(member.id)
  }
  const catalogIds = new Set(members.map((member) => member.catalogId))
  if (catalogIds.size > 1) throw new ConfigurationError(`keyPool("${id}"): members must be instances of one provider (their price catalogs differ: ${[...catalogIds].join(', ')}).`)
  const balance = options.balance ?? 'round-robin'
  if (!['round-robin', 'least-busy', 'most-headroom'].includes(balance)) throw new ConfigurationError(`keyPool("${id}"): balance must be 'round-robin', 'least-busy' or 'most-headroom'.`)
  const cooldownMs = options.cooldownMs ?? 30_000
  const maxStickyPrefixes = options.maxStickyPrefixes ?? 10_000
  const states: MemberState[] = members.map((adapter) => ({ adapter, inFlight: 0, coolingDownUntil: 0 }))
  const quota = new ProviderQuota()
  const memberIds = members.map((member) => member.id)
  const sticky = new Map<string, MemberState>()
  let turn = 0

  const first = members[0]!
  const modelLists = members.map((member) => member.models)
  const models = modelLists.every((list) => list !== undefined) ? modelLists.reduce((shared, list) => shared!.filter((model) => list!.includes(model))) : undefined

  /** What the headers of `member`'s responses said: the pool's own record and the router's (shared) one. */
  function headroomOf(member: string, model: string, routerQuota: ProviderQuotaService | undefined, now: number): number {
    return Math.min(quota.headroom(member, model, now), routerQuota ? routerQuota.headroom(member, model) : 1)
  }

  function exhaustedFor(member: string, model: string, routerQuota: ProviderQuotaService | undefined, now: number): number {
    return Math.max(quota.exhaustedFor(member, model, now), routerQuota ? routerQuota.exhaustedFor(member, model) : 0)
  }

  function order(model: string, fingerprint: string | undefined, routerQuota: ProviderQuotaService | undefined): MemberState[] {
    const now = Date.now()
    turn = (turn + 1) % states.length
    const rotated = [...states.slice(turn), ...states.slice(0, turn)]
    if (balance === 'least-busy') rotated.sort((a, b) => a.inFlight - b.inFlight)
    if (balance === 'most-headroom') rotated.sort((a, b) => headroomOf(b.adapter.id, model, routerQuota, now) - headroomOf(a.adapter.id, model, routerQuota, now) || a.inFlight - b.inFlight)
    const preferred = fingerprint ? sticky.get(fingerprint) : undefined
    const ordered = preferred ? [preferred, ...rotated.filter((state) => state !== preferred)] : rotated
    const withQuota = ordered.filter((state) => exhaustedFor(state.adapter.id, model, routerQuota, now) === 0)
    // Every key's quota used up by the provider's own word: refuse before calling any, so fallback
    // moves on to another model (or the caller waits) rather than collecting 429s.
    if (withQuota.length === 0) {
      const waitMs = Math.min(...ordered.map((state) => exhaustedFor(state.adapter.id, model, routerQuota, now)))
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

  function remember(fingerprint: string | undefined, state: MemberState): void {
    if (!fingerprint) return
    sticky.delete(fingerprint)
    if (sticky.size >= maxStickyPrefixes) sticky.delete(sticky.keys().next().value!)
    sticky.set(fingerprint, state)
  }

  function coolDown(state: MemberState, error: SwitchyardError): void {
    state.coolingDownUntil = Date.now() + (error.retryAfterMs ?? cooldownMs)
  }

  /** Ends a request's hold on its key's per-key limits, with its real token usage when known. */
  type Release = (usedTokens?: number) => void
  const noRelease: Release = () => {}

  async function runOnMembers<Result>(model: string, fingerprint: string | undefined, callOptions: CallOptions, run: (member: ProviderAdapter) => Promise<Result>): Promise<{ value: Result; release: Release }> {
    const { signal, quota: routerQuota, keyGate } = callOptions
    // What other routers sharing the store have seen of these keys, when the picture is stale.
    const refreshing = routerQuota?.refresh(memberIds, model)
    if (refreshing) await refreshing
    let lastError: unknown
    for (const state of order(model, fingerprint, routerQuota)) {
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
        remember(fingerprint, state)
        return { value, release }
      } catch (error) {
        release()
        if (!isKeyFailure(error) || signal.aborted) throw error
        coolDown(state, error)
        lastError = error
      } finally {
        state.inFlight -= 1
      }
    }
    throw lastError ?? new AbortedError('The call was aborted by its AbortSignal.', { provider: id, model })
  }

  function tagged(response: ModelResponse, member: ProviderAdapter): ModelResponse {
    return { ...response, providerMetadata: { ...response.providerMetadata, keyPool: { pool: id, member: member.id } } }
  }

  const pool: KeyPool = {
    specificationVersion: 'v1',
    id,
    catalogId: first.catalogId,
    models,
    members,
    quota,
    validate() {
      for (const member of members) member.validate?.()
    },
    capabilities: first.capabilities ? (model: string): Partial<ModelCapabilities> => first.capabilities!(model) : undefined,
    checkSupport: first.checkSupport ? (request: ModelRequest) => first.checkSupport!(request) : undefined,
    status: () => states.map((state) => ({ id: state.adapter.id, inFlight: state.inFlight, coolingDownForMs: Math.max(0, state.coolingDownUntil - Date.now()) })),
    observeHeaders: (memberId, model, headers) => quota.observe(memberId, model, headers),

    chat(request: ModelRequest, callOptions: CallOptions) {
      return runOnMembers(request.model, cachePrefixFingerprint(request as ChatParameters), callOptions, async (member) => tagged(await member.chat(request, callOptions), member)).then(
        ({ value, release }) => {
          release(tokensOf(value.usage))
          return value
        },
      )
    },

    async *stream(request: ModelRequest, callOptions: CallOptions): AsyncGenerator<StreamEvent> {
      // A member is committed once its stream yields its first event; until then a key failure moves on.
      const { value: opened, release } = await runOnMembers(request.model, cachePrefixFingerprint(request as ChatParameters), callOptions, async (member) => {
        const iterator = member.stream(request, callOptions)[Symbol.asyncIterator]()
        const firstEvent = await iterator.next()
        return { iterator, firstEvent, member }
      })
      const state = states.find((candidate) => candidate.adapter === opened.member)!
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
    },

    embed: members.every((member) => member.embed)
      ? (request: EmbedModelRequest, callOptions: CallOptions): Promise<EmbedModelResponse> =>
          runOnMembers(request.model, undefined, callOptions, (member) => member.embed!(request, callOptions)).then(({ value, release }) => {
            release(value.usage.inputTokens)
            return value
          })
      : undefined,
  }
  return pool
}
