import type { CoreServices } from '../router/core-services.js'
import type { RouterConfig } from '../router/router-config.js'
import type { Store } from '../spec/store.js'
import { validateBudgets } from './budget-config.js'
import { validateLimits } from './limit-config.js'
import { SpendControl, validateSpendControlOptions } from './spend-control.js'

/**
 * Checks `createRouter({ budgets, limits, spendControl })` (a mistake is a `ConfigurationError`
 * here, never at a call) and registers spend control with the core: its `beforeAttempt` hook and
 * its call observer; `router.close()` writes the ledger's last batch.
 */
export function installSpendControl(config: RouterConfig, core: CoreServices, store: Store, shared: boolean): SpendControl {
  const budgets = validateBudgets(config.budgets)
  const limits = validateLimits(config.limits)
  const options = validateSpendControlOptions(config.spendControl)
  const spend = new SpendControl({
    budgets,
    limits,
    options,
    store,
    prices: core.prices,
    warn: (code, message, where) => core.events.emit({ type: 'warning', code, message, ...where }),
    track: (work) => core.background.track(work),
    sharedStore: shared,
  })
  core.hooks.add(spend)
  core.hooks.providerQuota = spend.quota
  core.hooks.observe(spend)
  core.background.onClose(() => spend.ledger.flush())
  return spend
}
