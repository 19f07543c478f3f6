/**
 * The store contract (version `v1`): where a router keeps the state that must hold across
 * processes — cooldowns, A/B counters and decisions, cached responses, budget and rate-limit
 * counters. `memoryStore()` (the default, per process) and `redisStore()` implement it; a third
 * party may implement it over any key-value service.
 *
 * Keys reach the store already namespaced by the router (`health:…`, `cache:…`), never containing
 * an API key or message content in clear. Values are strings (JSON) or numbers (counters).
 * Every method may reject or time out: the router treats a failing store as a miss and goes on
 * with local state, so an implementation need not retry.
 */
export interface Store {
  readonly specificationVersion: 'v1'
  /** Short name for warnings and docs: `memory`, `redis`. */
  readonly kind: string
  /** The value, or `undefined` when the key is absent or expired. */
  get(key: string): Promise<string | undefined>
  /** Sets the value; with `ttlMs` the key expires by itself. */
  set(key: string, value: string, options?: StoreWriteOptions): Promise<void>
  /** Sets the value only when the key is absent; `true` when this call set it. */
  setIfAbsent(key: string, value: string, options?: StoreWriteOptions): Promise<boolean>
  delete(key: string): Promise<void>
  /**
   * Atomically adds `by` (may be fractional or negative) to the number at `key`, starting from 0,
   * and returns the new value. `ttlMs` applies when this call creates the key.
   */
  increment(key: string, by: number, options?: StoreWriteOptions): Promise<number>
  /** Runs a multi-key read-modify-write atomically (a Lua script on Redis, one synchronous step in memory). */
  run<Result>(script: StoreScript<Result>, keys: readonly string[], args: readonly (string | number)[]): Promise<Result>
}

export interface StoreWriteOptions {
  /** Milliseconds until the key expires by itself. */
  ttlMs?: number
}

/**
 * One atomic operation written twice: as Lua for Redis (`KEYS`/`ARGV`, keys already prefixed) and
 * as a synchronous function over a key-value view for in-process stores. Both must return the
 * same thing; `parse` turns Redis' reply into it. Redis turns a Lua number into an integer reply,
 * so a script whose result may be fractional returns it as a string (`tostring`) and parses it.
 */
export interface StoreScript<Result> {
  /** Stable name, for warnings and diagnostics (Redis caches the script by the SHA-1 of `lua`, run with `EVALSHA`). */
  readonly name: string
  readonly lua: string
  local(view: StoreView, keys: readonly string[], args: readonly (string | number)[]): Result
  parse(reply: unknown): Result
}

/** Synchronous access to an in-process store, for `StoreScript.local`. */
export interface StoreView {
  get(key: string): string | undefined
  set(key: string, value: string, ttlMs?: number): void
  delete(key: string): void
  /** Milliseconds until the key expires, `undefined` when it has no expiry or is absent. */
  ttl(key: string): number | undefined
}
