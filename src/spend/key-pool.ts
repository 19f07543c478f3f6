import { ConfigurationError } from '../errors/errors.js'
import { lazyPart } from '../internal/lazy-part.js'
import type { CallOptions, ModelCapabilities, ProviderAdapter } from '../spec/provider-adapter.js'
import type { EmbedModelRequest, ModelRequest } from '../spec/request.js'
import type { EmbedModelResponse } from '../spec/response.js'
import type { StreamEvent } from '../spec/stream-event.js'
import type { KeyPoolBalance, KeyPoolState, MemberState } from './key-pool-state.js'
import { ProviderQuota } from './provider-quota.js'

export type { KeyPoolBalance }

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

const runnerCode = /* @__PURE__ */ lazyPart('keyPool', () => import('./key-pool-runner.js'))

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
  const poolState: KeyPoolState = { id, states, memberIds: members.map((member) => member.id), balance, cooldownMs, maxStickyPrefixes, quota, sticky: new Map(), turn: 0 }

  const first = members[0]!
  const modelLists = members.map((member) => member.models)
  const models = modelLists.every((list) => list !== undefined) ? modelLists.reduce((shared, list) => shared!.filter((model) => list!.includes(model))) : undefined

  const pool: KeyPool = {
    specificationVersion: 'v1',
    id,
    catalogId: first.catalogId,
    catalogModels: first.catalogModels,
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
      const code = runnerCode.loaded
      if (code) return code.chatOnMembers(poolState, request, callOptions)
      return runnerCode.load().then((loaded) => loaded.chatOnMembers(poolState, request, callOptions))
    },

    stream(request: ModelRequest, callOptions: CallOptions): AsyncIterable<StreamEvent> {
      const code = runnerCode.loaded
      if (code) return code.streamOnMembers(poolState, request, callOptions)
      return (async function* () {
        yield* (await runnerCode.load()).streamOnMembers(poolState, request, callOptions)
      })()
    },

    embed: members.every((member) => member.embed)
      ? (request: EmbedModelRequest, callOptions: CallOptions): Promise<EmbedModelResponse> => {
          const code = runnerCode.loaded
          if (code) return code.embedOnMembers(poolState, request, callOptions)
          return runnerCode.load().then((loaded) => loaded.embedOnMembers(poolState, request, callOptions))
        }
      : undefined,
  }
  return pool
}
