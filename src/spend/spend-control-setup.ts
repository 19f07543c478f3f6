import type { PriceBook } from '../cost/price-book.js'
import type { Store } from '../spec/store.js'
import type { Budget } from './budget-config.js'
import type { Limit } from './limit-config.js'
import type { SpendWarning } from './spend-warning.js'

/** `createRouter({ spendControl })`: how budgets and limits estimate an attempt before it runs. */
export interface SpendControlOptions {
  /**
   * Output tokens an attempt is assumed to produce when its request sets no `max_tokens`, for
   * budget reservations and token limits. Default 4 096. A request's own `max_tokens` always wins.
   */
  defaultOutputTokens?: number
}

/** What spend control is built from: the checked configuration and the router services it uses. */
export interface SpendControlSetup {
  budgets: readonly Budget[]
  limits: readonly Limit[]
  options: Required<SpendControlOptions>
  store: Store
  prices: PriceBook
  warn: SpendWarning
  /** Book-keeping done after an attempt (settling reservations) is tracked, so `router.close()` waits for it. */
  track: (work: Promise<unknown>) => void
  now?: () => number
  /** The store is one other routers see (Redis): providers' rate-limit headers are shared through it. */
  sharedStore?: boolean
  /** Whether a provider id is a key pool, whose key is known only once it picks a member. */
  isKeyPool?: (provider: string) => boolean
}
