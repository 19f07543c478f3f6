import type { CallInfo } from '../router/call-hooks.js'
import type { CallCacheOptions, ResponseCacheOptions } from './cache-options.js'

/** What one call does with the cache, all levels applied. */
export interface CallCacheSettings {
  ttlMs: number
  cacheLengthLimited: boolean
  read: boolean
}

const defaultTtlMs = 5 * 60_000

/** The settings of a call that neither its own `cache` option nor its route changes: the same for every such call. */
export function routerCacheSettings(options: ResponseCacheOptions): Readonly<CallCacheSettings> {
  return Object.freeze({ ttlMs: options.ttlMs ?? defaultTtlMs, cacheLengthLimited: options.cacheLengthLimited ?? false, read: true })
}

/**
 * The cache settings of a call (its own `cache` option over its route's over the router's), or
 * `undefined` when the call is not cached: decided without the cache's code, so a router whose
 * calls are never cached never loads it.
 */
export function callCacheSettings(
  call: CallInfo,
  own: CallCacheOptions | false | undefined,
  options: ResponseCacheOptions | undefined,
  /** `routerCacheSettings(options)`, made once: what a call its own option and its route leave alone gets. */
  routerSettings?: Readonly<CallCacheSettings>,
): Readonly<CallCacheSettings> | undefined {
  if (call.kind !== 'call') return undefined
  if (own === false) return undefined
  const route = call.routeName !== null ? options?.routes?.[call.routeName] : undefined
  if (own === undefined) {
    if (route === false || options === undefined) return undefined
    if (route === undefined) return options.everyCall === false ? undefined : (routerSettings ?? routerCacheSettings(options))
  }
  const routeOptions = route || undefined
  return {
    ttlMs: own?.ttlMs ?? routeOptions?.ttlMs ?? options?.ttlMs ?? defaultTtlMs,
    cacheLengthLimited: own?.cacheLengthLimited ?? routeOptions?.cacheLengthLimited ?? options?.cacheLengthLimited ?? false,
    read: own?.refresh !== true,
  }
}
