import { ConfigurationError, InvalidRequestError } from '../errors/errors.js'
import type { CallCacheOptions, ResponseCacheOptions, RouteCacheOptions } from './cache-options.js'

// The checks of the cache's options apart from the cache itself: a call's `cache` option is
// checked by every router, one without the response cache included.

function checkTtl(ttlMs: unknown, where: string, error: (message: string) => Error): void {
  if (ttlMs !== undefined && (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0)) {
    throw error(`${where}.ttlMs must be a positive number of milliseconds, got ${JSON.stringify(ttlMs)}.`)
  }
}

function checkRouteOptions(options: unknown, where: string, error: (message: string) => Error): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw error(`${where} must be an object ({ ttlMs }) or false.`)
  }
  const { ttlMs, cacheLengthLimited } = options as RouteCacheOptions
  checkTtl(ttlMs, where, error)
  if (cacheLengthLimited !== undefined && typeof cacheLengthLimited !== 'boolean') throw error(`${where}.cacheLengthLimited must be a boolean.`)
}

/** Checks `createRouter({ cache })`; bad settings fail at `createRouter()`. */
export function validateResponseCacheOptions(options: unknown, routeNames: readonly string[]): ResponseCacheOptions | undefined {
  if (options === undefined || options === false) return undefined
  if (options === true) return {}
  const error = (message: string) => new ConfigurationError(`createRouter: ${message}`)
  checkRouteOptions(options, 'cache', error)
  const { maxEntryBytes, routes, everyCall } = options as ResponseCacheOptions
  if (maxEntryBytes !== undefined && (!Number.isFinite(maxEntryBytes) || maxEntryBytes <= 0)) throw error('cache.maxEntryBytes must be a positive number of bytes.')
  if (everyCall !== undefined && typeof everyCall !== 'boolean') throw error('cache.everyCall must be a boolean.')
  if (routes !== undefined) {
    if (typeof routes !== 'object' || routes === null) throw error('cache.routes must be an object of route name → { ttlMs } or false.')
    for (const [name, route] of Object.entries(routes)) {
      if (!routeNames.includes(name)) throw error(`cache.routes.${name}: there is no route "${name}" (routes: ${routeNames.join(', ') || 'none'}).`)
      if (route !== false) checkRouteOptions(route, `cache.routes.${name}`, error)
    }
  }
  return options as ResponseCacheOptions
}

/** Checks a call's `cache` option before any provider is called. */
export function validateCallCacheOptions(options: unknown): void {
  if (options === undefined || options === false) return
  const error = (message: string) => new InvalidRequestError(`Call options: ${message}`)
  checkRouteOptions(options, 'cache', error)
  const { refresh } = options as CallCacheOptions
  if (refresh !== undefined && typeof refresh !== 'boolean') throw error('cache.refresh must be a boolean.')
}
