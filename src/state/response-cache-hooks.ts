import { lazyPart } from '../internal/lazy-part.js'
import type { CachedAnswer, CachedEmbedding, CallHooks, CallInfo, CallObserver, CallOutcome } from '../router/call-hooks.js'
import type { ChatParameters, EmbedParameters } from '../spec/request.js'
import type { CallCacheOptions, ResponseCacheOptions } from './cache-options.js'
import { callCacheSettings, routerCacheSettings, type CallCacheSettings } from './cache-settings.js'
import type { ResponseCache } from './response-cache.js'

const cacheCode = /* @__PURE__ */ lazyPart('the response cache', () => import('./response-cache.js'))

/**
 * The response cache as the router installs it: every call's settings are worked out here, and
 * the cache itself (keys, encoding, the store, duplicate calls waiting for one answer) is built the
 * first time a call is cached, when its code is imported. A router whose calls are never cached
 * (no `cache` option anywhere, the default) never loads it; later cached calls reach it directly.
 */
export class ResponseCacheHooks implements CallHooks, CallObserver {
  private cache: ResponseCache | undefined
  private loading: Promise<ResponseCache> | undefined
  /** What most cached calls get, made once rather than per call. */
  private readonly routerSettings: Readonly<CallCacheSettings> | undefined

  constructor(
    private readonly options: ResponseCacheOptions | undefined,
    private readonly callOption: (call: CallInfo) => CallCacheOptions | false | undefined,
    private readonly create: (code: typeof import('./response-cache.js')) => ResponseCache,
  ) {
    this.routerSettings = options && routerCacheSettings(options)
  }

  lookup(call: CallInfo, request: ChatParameters, resolvedModel: string): Promise<CachedAnswer | undefined> | undefined {
    const settings = callCacheSettings(call, this.callOption(call), this.options, this.routerSettings)
    if (!settings) return undefined
    const cache = this.cache
    if (cache) return cache.lookup(call, request, resolvedModel, settings)
    return this.load().then((loaded) => loaded.lookup(call, request, resolvedModel, settings))
  }

  /** Only a call the cache looked up has anything to store, and the cache exists by then. */
  complete(call: CallInfo, request: ChatParameters, resolvedModel: string, answer: CachedAnswer): void {
    this.cache?.complete(call, request, resolvedModel, answer)
  }

  lookupEmbedding(call: CallInfo, request: EmbedParameters, resolvedModel: string): Promise<CachedEmbedding | undefined> {
    const settings = callCacheSettings(call, this.callOption(call), this.options, this.routerSettings)
    if (!settings) return Promise.resolve(undefined)
    const cache = this.cache
    if (cache) return cache.lookupEmbedding(call, request, resolvedModel, settings)
    return this.load().then((loaded) => loaded.lookupEmbedding(call, request, resolvedModel, settings))
  }

  completeEmbedding(call: CallInfo, request: EmbedParameters, resolvedModel: string, answer: CachedEmbedding): void {
    this.cache?.completeEmbedding(call, request, resolvedModel, answer)
  }

  callEnd(call: CallInfo, outcome: CallOutcome): void {
    this.cache?.callEnd(call, outcome)
  }

  private load(): Promise<ResponseCache> {
    return (this.loading ??= cacheCode.load().then(
      (code) => (this.cache = this.create(code)),
      (error: unknown) => {
        this.loading = undefined
        throw error
      },
    ))
  }
}
