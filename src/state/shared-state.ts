import type { Store, StoreScript } from '../spec/store.js'
import type { Experiment, ExperimentStore } from './experiment-store.js'
import type { HealthTracker } from './health-tracker.js'
import type { FailSafeStore } from '../stores/fail-safe-store.js'

export interface SharedStateOptions {
  /**
   * How stale this instance's copy of the shared state (other instances' cool-downs, A/B totals)
   * may get before a call waits for one store round trip to refresh it, in ms. Default 1 000.
   */
  syncIntervalMs?: number
}

/** Remaining lifetime of each key, in ms: -2 absent, -1 no expiry (as Redis' PTTL). */
const remainingLifetimes: StoreScript<number[]> = {
  name: 'switchyard:remaining-lifetimes',
  lua: `local lifetimes = {}
for index, key in ipairs(KEYS) do lifetimes[index] = redis.call('PTTL', key) end
return lifetimes`,
  local(view, keys) {
    return keys.map((key) => view.ttl(key) ?? (view.get(key) === undefined ? -2 : -1))
  },
  parse(reply) {
    if (!Array.isArray(reply)) throw new TypeError('remaining-lifetimes: expected an array reply')
    return reply.map((value) => Number(value))
  },
}

/**
 * Counts one failure of a model or provider for every instance together (KEYS[1], a count that
 * lives ARGV[1] ms after the last failure) and, once ARGV[2] failures are counted, starts the
 * shared cool-down (KEYS[2], ARGV[3] ms) and starts the count again. Returns [count, started].
 */
const countFailure: StoreScript<{ count: number; coolDownStarted: boolean }> = {
  name: 'switchyard:count-failure',
  lua: `local count = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
if count >= tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], tostring(count), 'PX', ARGV[3])
  redis.call('DEL', KEYS[1])
  return {count, 1}
end
return {count, 0}`,
  local(view, keys, args) {
    const count = (Number(view.get(keys[0]!)) || 0) + 1
    if (count >= Number(args[1])) {
      view.set(keys[1]!, String(count), Number(args[2]))
      view.delete(keys[0]!)
      return { count, coolDownStarted: true }
    }
    view.set(keys[0]!, String(count), Number(args[0]))
    return { count, coolDownStarted: false }
  },
  parse(reply) {
    if (!Array.isArray(reply) || reply.length !== 2) throw new TypeError('count-failure: expected [count, started]')
    return { count: Number(reply[0]), coolDownStarted: Number(reply[1]) === 1 }
  },
}

interface MergeResult {
  totals: Record<string, number>
  promoted: string | null
}

/**
 * Adds one instance's new A/B counts to the shared totals and proposes a promoted variant (the
 * first proposal wins), in one atomic step; returns the totals and the promoted variant.
 */
const mergeExperiment: StoreScript<MergeResult> = {
  name: 'switchyard:merge-experiment',
  lua: `local current = redis.call('GET', KEYS[1])
local totals = {}
if current then totals = cjson.decode(current) end
for field, value in pairs(cjson.decode(ARGV[1])) do totals[field] = (tonumber(totals[field]) or 0) + value end
local encoded = cjson.encode(totals)
if next(totals) == nil then encoded = '{}' end
redis.call('SET', KEYS[1], encoded)
if ARGV[2] ~= '' then redis.call('SET', KEYS[2], ARGV[2], 'NX') end
return {encoded, redis.call('GET', KEYS[2]) or ''}`,
  local(view, keys, args) {
    const current = view.get(keys[0]!)
    const totals = (current ? JSON.parse(current) : {}) as Record<string, number>
    for (const [field, value] of Object.entries(JSON.parse(String(args[0])) as Record<string, number>)) {
      totals[field] = (Number(totals[field]) || 0) + value
    }
    const encoded = JSON.stringify(totals)
    view.set(keys[0]!, encoded)
    if (args[1] !== '' && view.get(keys[1]!) === undefined) view.set(keys[1]!, String(args[1]))
    return { totals: JSON.parse(encoded) as Record<string, number>, promoted: view.get(keys[1]!) ?? null }
  },
  parse(reply) {
    if (!Array.isArray(reply) || reply.length !== 2 || typeof reply[0] !== 'string') throw new TypeError('merge-experiment: unexpected reply')
    const totals = JSON.parse(reply[0]) as unknown
    if (typeof totals !== 'object' || totals === null || Array.isArray(totals)) throw new TypeError('merge-experiment: totals are not an object')
    return { totals: totals as Record<string, number>, promoted: typeof reply[1] === 'string' && reply[1] !== '' ? reply[1] : null }
  },
}

const maxTrackedIds = 500

function providerOf(id: string): string {
  const slash = id.indexOf('/')
  return slash > 0 ? id.slice(0, slash) : id
}

function subtract(current: Record<string, number>, sent: Record<string, number>): Record<string, number> {
  const delta: Record<string, number> = {}
  for (const [field, value] of Object.entries(current)) {
    const change = value - (sent[field] ?? 0)
    if (change !== 0) delta[field] = change
  }
  return delta
}

function add(base: Record<string, number>, delta: Record<string, number>): Record<string, number> {
  const sum = { ...base }
  for (const [field, value] of Object.entries(delta)) sum[field] = (sum[field] ?? 0) + value
  return sum
}

/**
 * Shares health (cool-downs and the failure counts that start them) and A/B experiments between
 * every router on one store.
 *
 * The hot path stays local: strategies read this instance's `HealthTracker` and experiments
 * synchronously. A cool-down this instance starts is written to the store at once, without waiting
 * (a TTL key, so it ends by itself everywhere). Each failure that counts towards a cool-down is
 * also added to a count all instances share (one script, off the caller's path), so N instances
 * failing once each trip the breaker as one instance failing N times would; a success on an
 * instance that counted failures starts the count again. Other instances' cool-downs and A/B totals are read
 * at most once per `syncIntervalMs`: the first call after that interval (or the first naming a
 * model not yet read) waits for that one round trip; every other call pays nothing. A/B counts are
 * merged into shared totals at the same moment (one atomic script per experiment), so totals lag
 * by up to one interval. Latency statistics stay per instance.
 */
export class SharedState {
  private readonly trackedIds = new Set<string>()
  /** The last pending write to each shared failure count, so they run in order. */
  private readonly failureWrites = new Map<string, Promise<unknown>>()
  private readonly experiments = new Set<Experiment>()
  /** Counters as last adopted from the store, per experiment: what it already holds of ours. */
  private readonly adopted = new Map<Experiment, Record<string, number>>()
  private readonly syncIntervalMs: number
  private lastSyncAt = Number.NEGATIVE_INFINITY
  private syncing: Promise<void> | undefined
  private unsyncedIds = false

  constructor(
    private readonly store: FailSafeStore,
    private readonly health: HealthTracker,
    experiments: ExperimentStore,
    options: SharedStateOptions,
    private readonly track: (work: Promise<unknown>) => void,
  ) {
    this.syncIntervalMs = options.syncIntervalMs ?? 1_000
    health.listener = {
      coolDownStarted: (scope, id, durationMs, consecutiveFailures) => {
        this.track(this.store.set(`health:${scope}:${id}`, String(consecutiveFailures), { ttlMs: durationMs }))
      },
      recovered: (scope, id) => {
        this.track(this.store.delete(`health:${scope}:${id}`))
      },
      failureCounted: (scope, id, threshold, cooldownMs) => {
        this.track(this.inOrder(`${scope}:${id}`, () => this.countFailure(scope, id, threshold, cooldownMs)))
      },
      failuresCleared: (scope, id) => {
        this.track(this.inOrder(`${scope}:${id}`, () => this.store.delete(`health:failures:${scope}:${id}`)))
      },
    }
    experiments.onCreate = (experiment) => {
      this.experiments.add(experiment)
      this.adopted.set(experiment, experiment.counters())
    }
  }

  /**
   * Before a call: makes sure the models it may use have been read, and that the local copy is at
   * most `syncIntervalMs` old. Returns `undefined` (nothing to wait for) on the usual path.
   */
  beforeCall(ids: readonly string[]): Promise<void> | undefined {
    for (const id of ids) {
      if (this.trackedIds.has(id) || this.trackedIds.size >= maxTrackedIds) continue
      this.trackedIds.add(id)
      this.unsyncedIds = true
    }
    if (!this.unsyncedIds && performance.now() - this.lastSyncAt < this.syncIntervalMs) return undefined
    return this.sync()
  }

  /** Writes this instance's A/B counts and reads everything shared now; concurrent callers share one run. */
  sync(): Promise<void> {
    this.syncing ??= this.run().finally(() => (this.syncing = undefined))
    return this.syncing
  }

  private async run(): Promise<void> {
    this.unsyncedIds = false
    this.lastSyncAt = performance.now()
    await Promise.all([this.readCoolDowns(), ...[...this.experiments].map((experiment) => this.mergeExperiment(experiment))])
  }

  private async readCoolDowns(): Promise<void> {
    const models = [...this.trackedIds]
    const providers = [...new Set(models.map(providerOf))]
    const keys = [...models.map((id) => `health:model:${id}`), ...providers.map((id) => `health:provider:${id}`)]
    if (keys.length === 0) return
    const lifetimes = await this.store.remoteOnly('read cool-downs', (store) => store.run(remainingLifetimes, keys, []))
    if (!lifetimes) return
    lifetimes.value.forEach((remainingMs, index) => {
      if (!(remainingMs > 0)) return
      if (index < models.length) this.health.adoptCoolDown('model', models[index]!, remainingMs)
      else this.health.adoptCoolDown('provider', providers[index - models.length]!, remainingMs)
    })
  }

  /**
   * Runs this instance's writes to one failure count in the order they were made: a count's first
   * script may take two round trips (loading it into Redis), and a success's reset must not
   * overtake it.
   */
  private inOrder(id: string, write: () => Promise<unknown>): Promise<unknown> {
    const previous = this.failureWrites.get(id) ?? Promise.resolve()
    const next = previous.then(write, write).finally(() => {
      if (this.failureWrites.get(id) === next) this.failureWrites.delete(id)
    })
    this.failureWrites.set(id, next)
    return next
  }

  /**
   * Adds a failure to the count all instances share; when the count reaches the threshold, the
   * cool-down starts in the store (others see it at their next sync) and here at once.
   */
  private async countFailure(scope: 'model' | 'provider', id: string, threshold: number, cooldownMs: number): Promise<void> {
    // A count outlives its last failure by a cool-down's length: failures further apart are not "consecutive".
    const counted = await this.store.remoteOnly(`count a failure of ${id}`, (store) =>
      store.run(countFailure, [`health:failures:${scope}:${id}`, `health:${scope}:${id}`], [cooldownMs, threshold, cooldownMs]),
    )
    if (counted?.value.coolDownStarted) this.health.adoptCoolDown(scope, id, cooldownMs, counted.value.count)
  }

  private async mergeExperiment(experiment: Experiment): Promise<void> {
    const sent = experiment.counters()
    const delta = subtract(sent, this.adopted.get(experiment) ?? {})
    const name = experiment.settings.name
    const proposal = experiment.settings.promote === 'auto' && experiment.promoted !== null ? experiment.promoted : ''
    const merged = await this.store.remoteOnly(`merge A/B counts of ${name}`, (store: Store) =>
      store.run(mergeExperiment, [`ab:${name}:counts`, `ab:${name}:promoted`], [JSON.stringify(delta), proposal]),
    )
    // Not merged: the counts stay local and go with the next sync.
    if (!merged) return
    const { totals, promoted } = merged.value
    // Counts made while the merge was on the way are kept on top of the new totals.
    const since = subtract(experiment.counters(), sent)
    this.adopted.set(experiment, totals)
    experiment.adoptCounters(add(totals, since))
    if (promoted !== null && experiment.settings.variants.some((variant) => variant.name === promoted)) experiment.promoted = promoted
  }
}
