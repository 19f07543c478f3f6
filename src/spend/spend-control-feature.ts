import type { RouterFeature } from '../router/router-feature.js'
import type { ProviderAdapter } from '../spec/provider-adapter.js'
import { FailSafeStore } from '../stores/fail-safe-store.js'
import { routerStore } from '../stores/router-store.js'
import { validateBudgets } from './budget-config.js'
import { validateLimits } from './limit-config.js'
import { SpendControl, validateSpendControlOptions } from './spend-control.js'

/** A `keyPool()` adapter: it picks one of its members per request. */
function isKeyPool(adapter: ProviderAdapter | undefined): boolean {
  return adapter !== undefined && Array.isArray((adapter as { members?: unknown }).members) && typeof (adapter as { observeHeaders?: unknown }).observeHeaders === 'function'
}

/**
 * Spend control: `createRouter({ budgets, limits, spendControl })` (a mistake is a
 * `ConfigurationError` here, never at a call), the spend ledger behind `router.spend()` and
 * `router.budgets()`, and each call's `maxCostUsd`. Registers its `beforeAttempt` hook;
 * `router.close()` writes the ledger's last batch.
 */
export const spendControlFeature: RouterFeature = {
  name: 'spendControlFeature',
  options: ['store', 'budgets', 'limits', 'spendControl'],
  install(context) {
    const { config, core } = context
    const budgets = validateBudgets(config.budgets)
    const limits = validateLimits(config.limits)
    const options = validateSpendControlOptions(config.spendControl)
    const store = routerStore(context)
    const keyPools = new Map<string, boolean>()
    const spend = new SpendControl({
      budgets,
      limits,
      options,
      store,
      prices: core.prices,
      warn: (code, message, where) => core.events.emit({ type: 'warning', code, message, ...where }),
      track: (work) => core.background.track(work),
      // Providers' rate-limit headers are shared only through a store other instances see.
      sharedStore: store instanceof FailSafeStore,
      isKeyPool: (provider) => {
        // Providers are fixed once the router is created: each is looked at once.
        let pooled = keyPools.get(provider)
        if (pooled === undefined) keyPools.set(provider, (pooled = isKeyPool(core.provider(provider))))
        return pooled
      },
    })
    core.hooks.add(spend)
    core.hooks.providerQuota = spend.quota
    core.background.onClose(() => {
      spend.settleEnded()
      return spend.ledger.flush()
    })
    context.slots.spend = spend
  },
}
