import type { ProviderQuotaService, ResponseHeaders } from '../spec/provider-adapter.js'
import type { Store } from '../spec/store.js'
import { readRateLimitHeaders, type QuotaReading } from './rate-limit-headers.js'
import type { SpendAttributes } from './spend-scope.js'

const maxTrackedModels = 1_000
/** How stale the local picture of a shared store's readings may get before a call refreshes it. */
const refreshAfterMs = 1_000
/** A shared reading lives until its last reset, at most this long (a reading without resets: this). */
const longestSharedMs = 60 * 60_000
/** Between two writes of an unexhausted reading to the shared store (an exhausted one is written at once). */
const shareEveryMs = 1_000

interface StoredReading extends QuotaReading {
  /** When it was observed, ms since the epoch: the newer of a local and a shared reading wins. */
  observedAt: number
}

export interface ProviderQuotaSharing {
  /** A store other routers see (Redis); absent for the in-process default, where there is nothing to share. */
  store: Store
  /** Background writes, so `router.close()` waits for them. */
  track: (work: Promise<unknown>) => void
}

function storeKey(id: string): string {
  // Provider and model ids only (never a key); encoded, so odd model names cannot break the key.
  return `quota:${encodeURIComponent(id)}`
}

function resetsOf(reading: QuotaReading): number[] {
  return [reading.requestsResetAt, reading.tokensResetAt].filter((at): at is number => at !== undefined)
}

function isStoredReading(value: unknown): value is StoredReading {
  if (!value || typeof value !== 'object') return false
  const reading = value as Record<string, unknown>
  return typeof reading.observedAt === 'number' && Object.values(reading).every((field) => typeof field === 'number')
}

/**
 * What providers' own rate-limit headers last said, per provider (or key-pool member) and model.
 * A model whose requests or tokens are used up until a reset is avoided until then (an attempt on
 * it is refused before its provider is called, so fallback moves on before the provider answers
 * 429), and a key pool prefers the member with the most headroom and skips exhausted ones. With a
 * shared store, every router sharing it learns from every router's responses: an exhausted
 * reading is written at once, others at most once a second per model, and each router reads them
 * back when its picture is more than a second old.
 */
export class ProviderQuota implements ProviderQuotaService {
  private readonly readings = new Map<string, StoredReading>()
  private readonly lastShared = new Map<string, number>()
  private readonly lastRefreshed = new Map<string, number>()

  constructor(
    private readonly now: () => number = Date.now,
    private readonly sharing?: ProviderQuotaSharing,
  ) {}

  /** Records a response's headers for `source` (a provider id or key-pool member id) and model. */
  observe(source: string, model: string, headers: ResponseHeaders): void {
    const nowMs = this.now()
    const parsed = readRateLimitHeaders(headers, nowMs)
    if (!parsed) return
    const id = `${source}/${model}`
    // The parsed reading is this response's own: stamped in place (a field added to a spread copy costs ~0.6 µs on Node 20).
    const reading = parsed as StoredReading
    reading.observedAt = nowMs
    this.remember(id, reading)
    if (this.sharing) this.share(id, reading, nowMs)
  }

  private remember(id: string, reading: StoredReading): void {
    this.readings.delete(id)
    // Bounded: oldest first out (a Map iterates in insertion order).
    if (this.readings.size >= maxTrackedModels) this.readings.delete(this.readings.keys().next().value!)
    this.readings.set(id, reading)
  }

  private share(id: string, reading: StoredReading, nowMs: number): void {
    const exhausted = this.waitOf(reading, nowMs) > 0
    if (!exhausted && nowMs - (this.lastShared.get(id) ?? -Infinity) < shareEveryMs) return
    if (this.lastShared.size >= maxTrackedModels) this.lastShared.delete(this.lastShared.keys().next().value!)
    this.lastShared.set(id, nowMs)
    const lastReset = Math.max(nowMs, ...resetsOf(reading))
    const ttlMs = Math.min(longestSharedMs, Math.max(1_000, lastReset - nowMs + 1_000))
    const { store, track } = this.sharing!
    track(store.set(storeKey(id), JSON.stringify(reading), { ttlMs }).catch(() => {}))
  }

  refresh(sources: readonly string[], model: string): Promise<void> | undefined {
    if (!this.sharing) return undefined
    const nowMs = this.now()
    const stale = sources.filter((source) => nowMs - (this.lastRefreshed.get(`${source}/${model}`) ?? -Infinity) >= refreshAfterMs)
    if (stale.length === 0) return undefined
    for (const source of stale) {
      if (this.lastRefreshed.size >= maxTrackedModels) this.lastRefreshed.delete(this.lastRefreshed.keys().next().value!)
      this.lastRefreshed.set(`${source}/${model}`, nowMs)
    }
    const { store } = this.sharing
    return Promise.all(
      stale.map(async (source) => {
        const id = `${source}/${model}`
        // A failing store is the fail-safe wrapper's to report; the local picture stays as it is.
        const raw = await store.get(storeKey(id)).catch(() => undefined)
        if (raw === undefined) return
        let shared: unknown
        try {
          shared = JSON.parse(raw)
        } catch {
          return
        }
        if (!isStoredReading(shared)) return
        const local = this.readings.get(id)
        if (!local || shared.observedAt > local.observedAt) this.remember(id, shared)
      }),
    ).then(() => undefined)
  }

  reading(source: string, model: string): QuotaReading | undefined {
    const stored = this.readings.get(`${source}/${model}`)
    if (!stored) return undefined
    const { observedAt: _observedAt, ...reading } = stored
    return reading
  }

  private waitOf(reading: QuotaReading, nowMs: number): number {
    let wait = 0
    if (reading.requestsRemaining === 0 && reading.requestsResetAt !== undefined && reading.requestsResetAt > nowMs) wait = reading.requestsResetAt - nowMs
    if (reading.tokensRemaining === 0 && reading.tokensResetAt !== undefined && reading.tokensResetAt > nowMs) wait = Math.max(wait, reading.tokensResetAt - nowMs)
    return wait
  }

  exhaustedFor(source: string, model: string, nowMs: number = this.now()): number {
    const reading = this.readings.get(`${source}/${model}`)
    return reading ? this.waitOf(reading, nowMs) : 0
  }

  /** When this attempt's provider (or key) has no quota left until a reset: how long, and whose quota. */
  blockedFor(attributes: SpendAttributes, nowMs: number = this.now()): { scope: string; waitMs: number } | undefined {
    // Nothing heard from any provider yet (or none sends such headers): nothing to look up.
    if (this.readings.size === 0) return undefined
    const model = attributes.model.slice(attributes.provider.length + 1)
    const source = attributes.key ?? attributes.provider
    const waitMs = this.exhaustedFor(source, model, nowMs)
    return waitMs > 0 ? { scope: `${source} ${model}`, waitMs } : undefined
  }

  /**
   * Share of quota left (0–1, the tighter of requests and tokens) for a source and model; 1 when
   * nothing is known or the last reset has passed.
   */
  headroom(source: string, model: string, nowMs: number = this.now()): number {
    const reading = this.readings.get(`${source}/${model}`)
    if (!reading) return 1
    const share = (remaining?: number, limit?: number, reset?: number) =>
      remaining === undefined || !limit || (reset !== undefined && reset <= nowMs) ? 1 : Math.min(1, remaining / limit)
    return Math.min(share(reading.requestsRemaining, reading.requestsLimit, reading.requestsResetAt), share(reading.tokensRemaining, reading.tokensLimit, reading.tokensResetAt))
  }
}
