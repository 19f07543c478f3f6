import type { Store, StoreScript, StoreWriteOptions } from '../spec/store.js'
import { MemoryStore } from './memory-store.js'
import { StoreReplyError, StoreTimeoutError, StoreUnavailableError } from './store-errors.js'

/** Why a store operation was not used: each kind is reported once per outage, not per call. */
export type StoreFailureKind = 'store_unavailable' | 'store_timeout' | 'store_invalid_reply' | 'store_error'

export interface FailSafeStoreOptions {
  /** Told once per failure kind until the store works again; never throws into the caller. */
  warn(code: StoreFailureKind, message: string): void
  /** Local stand-in while the store fails. Default: a bounded memory store. */
  local?: Store
  /** Limit for one operation of a store that has no timeout of its own, in ms. Default 1 000. */
  timeoutMs?: number
  /** Clock, for tests. */
  now?: () => number
}

const firstRetryDelayMs = 250
const longestRetryDelayMs = 5_000

function failureKind(error: unknown): StoreFailureKind {
  if (error instanceof StoreTimeoutError) return 'store_timeout'
  if (error instanceof StoreUnavailableError) return 'store_unavailable'
  if (error instanceof StoreReplyError || error instanceof TypeError || error instanceof SyntaxError) return 'store_invalid_reply'
  return 'store_error'
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return text.length > 300 ? `${text.slice(0, 300)}…` : text
}

/**
 * Wraps the router's store so that a failing store never fails a call: an operation that rejects,
 * times out or returns garbage is done on a local memory store instead (a cache miss, a local
 * counter), and a `warning` says so once. After a failure the remote store is left alone for a
 * short, growing pause (up to 5 s), so an outage does not add a timeout to every call; the first
 * operation after the pause tries it again.
 */
export class FailSafeStore implements Store {
  readonly specificationVersion = 'v1' as const
  readonly kind: string
  readonly local: Store
  private readonly warned = new Set<StoreFailureKind>()
  private readonly timeoutMs: number
  private readonly now: () => number
  private skipUntil = 0
  private retryDelayMs = firstRetryDelayMs

  constructor(
    readonly remote: Store,
    private readonly options: FailSafeStoreOptions,
  ) {
    this.kind = remote.kind
    this.local = options.local ?? new MemoryStore()
    this.timeoutMs = options.timeoutMs ?? 1_000
    this.now = options.now ?? Date.now
  }

  /** Whether the remote store is being bypassed right now after a failure. */
  get degraded(): boolean {
    return this.skipUntil > this.now()
  }

  get(key: string): Promise<string | undefined> {
    return this.attempt(
      'get',
      () => this.remote.get(key),
      (value): value is string | undefined => value === undefined || typeof value === 'string',
      () => this.local.get(key),
    )
  }

  set(key: string, value: string, options?: StoreWriteOptions): Promise<void> {
    return this.attempt(
      'set',
      () => this.remote.set(key, value, options),
      (reply): reply is void => true,
      () => this.local.set(key, value, options),
    )
  }

  setIfAbsent(key: string, value: string, options?: StoreWriteOptions): Promise<boolean> {
    return this.attempt(
      'setIfAbsent',
      () => this.remote.setIfAbsent(key, value, options),
      (reply): reply is boolean => typeof reply === 'boolean',
      () => this.local.setIfAbsent(key, value, options),
    )
  }

  delete(key: string): Promise<void> {
    return this.attempt(
      'delete',
      () => this.remote.delete(key),
      (reply): reply is void => true,
      () => this.local.delete(key),
    )
  }

  increment(key: string, by: number, options?: StoreWriteOptions): Promise<number> {
    return this.attempt(
      'increment',
      () => this.remote.increment(key, by, options),
      (reply): reply is number => typeof reply === 'number' && Number.isFinite(reply),
      () => this.local.increment(key, by, options),
    )
  }

  run<Result>(script: StoreScript<Result>, keys: readonly string[], args: readonly (string | number)[]): Promise<Result> {
    return this.attempt(
      `run(${script.name})`,
      () => this.remote.run(script, keys, args),
      (reply): reply is Result => true,
      () => this.local.run(script, keys, args),
    )
  }

  /**
   * Runs `work` on the remote store only: `undefined` when it fails (reported like any failure),
   * for state that must not be replaced by a local stand-in, such as shared counters to merge.
   */
  async remoteOnly<Value>(operation: string, work: (store: Store) => Promise<Value>): Promise<{ value: Value } | undefined> {
    if (this.skipUntil > 0 && this.skipUntil > this.now()) return undefined
    try {
      const value = (await this.withTimeout(work(this.remote))) as Value
      if (this.skipUntil > 0) this.recovered()
      return { value }
    } catch (error) {
      this.failed(operation, failureKind(error), describe(error))
      return undefined
    }
  }

  private async attempt<Value>(
    operation: string,
    remote: () => Promise<unknown>,
    valid: (value: unknown) => value is Value,
    local: () => Promise<Value>,
  ): Promise<Value> {
    if (this.skipUntil > 0 && this.skipUntil > this.now()) return local()
    let value: unknown
    try {
      value = await this.withTimeout(remote())
    } catch (error) {
      this.failed(operation, failureKind(error), describe(error))
      return local()
    }
    if (!valid(value)) {
      this.failed(operation, 'store_invalid_reply', `unexpected ${value === null ? 'null' : typeof value} reply`)
      return local()
    }
    if (this.skipUntil > 0) this.recovered()
    return value
  }

  private withTimeout(work: Promise<unknown>): Promise<unknown> {
    // The remote store's own late rejection must not surface as an unhandled one.
    work.catch(() => {})
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new StoreTimeoutError(`the ${this.remote.kind} store took longer than ${this.timeoutMs} ms`)),
        this.timeoutMs,
      )
      work.then(
        (value) => {
          clearTimeout(timer)
          resolve(value)
        },
        (error: unknown) => {
          clearTimeout(timer)
          reject(error)
        },
      )
    })
  }

  private failed(operation: string, kind: StoreFailureKind, detail: string): void {
    this.skipUntil = this.now() + this.retryDelayMs
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, longestRetryDelayMs)
    if (this.warned.has(kind)) return
    this.warned.add(kind)
    try {
      this.options.warn(
        kind,
        `The ${this.remote.kind} store failed (${operation}: ${detail}); calls go on with this instance's local state until it works again.`,
      )
    } catch {
      // A warning sink's failure is its own.
    }
  }

  private recovered(): void {
    this.skipUntil = 0
    this.retryDelayMs = firstRetryDelayMs
    this.warned.clear()
  }
}

/** The router's view of its store: the built-in memory store as is, anything else made fail-safe. */
export function failSafeStore(store: Store, options: FailSafeStoreOptions): Store {
  return store instanceof MemoryStore ? store : new FailSafeStore(store, options)
}
