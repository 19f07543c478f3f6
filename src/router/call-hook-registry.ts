import type { AttemptInfo, CallHooks, CallObserver } from './call-hooks.js'
import type { ProviderQuotaService } from '../spec/provider-adapter.js'

type Lookup = NonNullable<CallHooks['lookup']>
type Complete = NonNullable<CallHooks['complete']>
type BeforeAttempt = NonNullable<CallHooks['beforeAttempt']>
type LookupEmbedding = NonNullable<CallHooks['lookupEmbedding']>
type CompleteEmbedding = NonNullable<CallHooks['completeEmbedding']>

/**
 * The router's internal hooks and observers, kept per kind so that a call with none registered
 * (the default) pays one length check per step and builds nothing. Features register at
 * `createRouter()` time (see `installFeatures`); the lists are not meant to change afterwards.
 */
export class CallHookRegistry {
  readonly lookups: Lookup[] = []
  readonly completes: Complete[] = []
  readonly beforeAttempts: BeforeAttempt[] = []
  readonly embeddingLookups: LookupEmbedding[] = []
  readonly embeddingCompletes: CompleteEmbedding[] = []
  readonly observers: CallObserver[] = []
  /** Given to every adapter call (`CallOptions.quota`), so adapters report providers' rate-limit headers. */
  providerQuota: ProviderQuotaService | undefined
  /** How many observers watch attempts: one that only watches calls (the response cache) needs no per-attempt info. */
  private attemptObservers = 0

  /** Adds a feature's hooks; each runs after those registered before it. */
  add(hooks: CallHooks): void {
    if (hooks.lookup) this.lookups.push(hooks.lookup.bind(hooks))
    if (hooks.complete) this.completes.push(hooks.complete.bind(hooks))
    if (hooks.beforeAttempt) this.beforeAttempts.push(hooks.beforeAttempt.bind(hooks))
    if (hooks.lookupEmbedding) this.embeddingLookups.push(hooks.lookupEmbedding.bind(hooks))
    if (hooks.completeEmbedding) this.embeddingCompletes.push(hooks.completeEmbedding.bind(hooks))
  }

  observe(observer: CallObserver): void {
    this.observers.push(observer)
    if (observer.attemptStart || observer.attemptFirstToken || observer.attemptEnd) this.attemptObservers += 1
  }

  /** Whether an attempt needs an `AttemptInfo` built for hooks or observers. */
  get watchesAttempts(): boolean {
    return this.beforeAttempts.length > 0 || this.attemptObservers > 0
  }

  /**
   * `undefined` when every observer is ready (the usual case: no promise, no tick); otherwise a
   * promise that settles once those still loading are, rejecting when one failed to load.
   */
  ready(): Promise<unknown> | undefined {
    let pending: Promise<void>[] | undefined
    for (const observer of this.observers) {
      const loading = observer.ready?.()
      if (loading) (pending ??= []).push(loading)
    }
    return pending && Promise.all(pending)
  }

  /**
   * Runs `method` on every observer that has it; a throwing observer is ignored. Four fixed
   * arguments rather than a rest parameter, so that a step builds no array.
   */
  notify<Method extends Exclude<keyof CallObserver, 'ready'>>(method: Method, ...args: Parameters<NonNullable<CallObserver[Method]>>): void
  notify(method: Exclude<keyof CallObserver, 'ready'>, first: unknown, second: unknown, third?: unknown, fourth?: unknown): void {
    for (const observer of this.observers) {
      try {
        ;(observer[method] as ((this: CallObserver, ...values: unknown[]) => void) | undefined)?.call(observer, first, second, third, fourth)
      } catch {
        // An observer's failure is the observer's problem; the call goes on.
      }
    }
  }
}

export type { AttemptInfo }
