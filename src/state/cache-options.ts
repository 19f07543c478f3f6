/** The response cache's options, at each level; types only, so the call contracts can name them. */

/** Per route, in `createRouter({ cache: { routes } })`; `false` turns caching off for the route. */
export interface RouteCacheOptions {
  /** How long an answer is served from the cache, in ms. */
  ttlMs?: number
  /** Also cache answers cut by the token limit (`finish_reason: 'length'`). Default `false`. */
  cacheLengthLimited?: boolean
}

/** `createRouter({ cache })`: the response cache, off unless given. */
export interface ResponseCacheOptions extends RouteCacheOptions {
  /** Largest answer stored, in bytes of its stored JSON; larger ones are not cached. Default 1 MB. */
  maxEntryBytes?: number
  /** Settings of single routes, over these; `false` never caches that route (unless a call asks). */
  routes?: Record<string, RouteCacheOptions | false>
  /**
   * Whether every call is cached unless it says otherwise (`true`, the default), or only calls and
   * routes that ask for it (`false`).
   */
  everyCall?: boolean
}

/** `router.chat(request, { cache })`: this call's cache settings, or `false` for no cache at all. */
export interface CallCacheOptions extends RouteCacheOptions {
  /** Skip the look-up (a fresh answer is fetched) but store the answer for others. */
  refresh?: boolean
}
