import type { Store, StoreScript, StoreView, StoreWriteOptions } from '../../src/spec/store.js'

/**
 * The smallest in-process implementation of the store contract, for testing scripts before the
 * real stores exist: a Map with expiry times, scripts run as one synchronous step.
 */
export function tinyStore(now: () => number = Date.now): Store & { entries: Map<string, { value: string; expiresAt?: number }> } {
  const entries = new Map<string, { value: string; expiresAt?: number }>()
  const live = (key: string) => {
    const entry = entries.get(key)
    if (entry?.expiresAt !== undefined && entry.expiresAt <= now()) {
      entries.delete(key)
      return undefined
    }
    return entry
  }
  const view: StoreView = {
    get: (key) => live(key)?.value,
    set: (key, value, ttlMs) => void entries.set(key, { value, expiresAt: ttlMs === undefined ? undefined : now() + ttlMs }),
    delete: (key) => void entries.delete(key),
    ttl: (key) => {
      const entry = live(key)
      return entry?.expiresAt === undefined ? undefined : entry.expiresAt - now()
    },
  }
  return {
    specificationVersion: 'v1',
    kind: 'tiny',
    entries,
    async get(key) {
      return view.get(key)
    },
    async set(key, value, options?: StoreWriteOptions) {
      view.set(key, value, options?.ttlMs)
    },
    async setIfAbsent(key, value, options?: StoreWriteOptions) {
      if (live(key)) return false
      view.set(key, value, options?.ttlMs)
      return true
    },
    async delete(key) {
      view.delete(key)
    },
    async increment(key, by, options?: StoreWriteOptions) {
      const entry = live(key)
      const value = Number(entry?.value ?? 0) + by
      if (entry) entry.value = String(value)
      else view.set(key, String(value), options?.ttlMs)
      return value
    },
    async run<Result>(script: StoreScript<Result>, keys: readonly string[], args: readonly (string | number)[]) {
      return script.local(view, keys, args)
    },
  }
}
