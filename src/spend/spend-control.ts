import { ConfigurationError } from '../errors/errors.js'
import { LocalRateLimitError } from '../errors/local-rate-limit-error.js'
import { lazyPart } from '../internal/lazy-part.js'
import type { AttemptInfo, AttemptTicket, CallHooks } from '../router/call-hooks.js'
import type { Attempt } from '../spec/response.js'
import type { BudgetStatus } from './budget-keeper.js'
import { ProviderQuota } from './provider-quota.js'
import type { SpendGuard } from './spend-guard.js'
import type { SpendAttributes } from './spend-scope.js'
import { SpendLedger, type SpendQuery, type SpendReport } from './spend-ledger.js'
import type { SpendControlOptions, SpendControlSetup } from './spend-control-setup.js'

export type { SpendControlOptions, SpendControlSetup }

export function validateSpendControlOptions(options: unknown): Required<SpendControlOptions> {
  if (options === undefined) return { defaultOutputTokens: 4_096 }
  if (!options || typeof options !== 'object' || Array.isArray(options)) throw new ConfigurationError('createRouter: `spendControl` must be an object { defaultOutputTokens? }.')
  const { defaultOutputTokens, ...rest } = options as SpendControlOptions
  if (Object.keys(rest).length > 0) throw new ConfigurationError(`createRouter: spendControl has unknown field(s) ${Object.keys(rest).join(', ')}; allowed: defaultOutputTokens.`)
  if (defaultOutputTokens !== undefined && (!Number.isInteger(defaultOutputTokens) || defaultOutputTokens < 1)) {
    throw new ConfigurationError(`createRouter: spendControl.defaultOutputTokens must be a whole number above 0 (got ${JSON.stringify(defaultOutputTokens)}).`)
  }
  return { defaultOutputTokens: defaultOutputTokens ?? 4_096 }
}


/** What budgets, limits and cost caps run on: their code, imported the first time an attempt needs it. */
const guardCode = /* @__PURE__ */ lazyPart('spend control (budgets, rate limits, maxCostUsd)', () => import('./spend-guard.js'))

/**
 * Budgets, rate limits, per-call cost caps and the spend ledger, as one feature of the router.
 * Every attempt's exact cost goes to the ledger and every provider's rate-limit headers to the
 * quota; the rest (waiting for or refusing a rate limit, reserving an attempt's worst case in the
 * budgets that cover it, fitting `max_tokens` under a call's cap, settling all that to the exact
 * cost) is the `SpendGuard`, loaded on the first attempt that has a budget, a limit or a cap.
 */
export class SpendControl implements CallHooks {
  readonly ledger: SpendLedger
  readonly quota: ProviderQuota
  /** Whether every attempt is guarded: the router has budgets or limits. */
  private readonly guardsEveryAttempt: boolean
  private guard: SpendGuard | undefined
  private guardLoading: Promise<SpendGuard> | undefined

  constructor(private readonly setup: SpendControlSetup) {
    const now = setup.now ?? Date.now
    this.quota = new ProviderQuota(now, setup.sharedStore ? { store: setup.store, track: setup.track } : undefined)
    this.ledger = new SpendLedger(setup.store, setup.warn, now)
    this.guardsEveryAttempt = setup.budgets.length > 0 || setup.limits.length > 0
  }

  /** Whether the ledger, budgets and limits live in a store other instances share. */
  get sharedStore(): boolean {
    return this.setup.sharedStore === true
  }

  /** Settles what attempts that ended still hold in the counters (see `SpendGuard.settleEnded`): before the router closes. */
  settleEnded(): void {
    this.guard?.settleEnded()
  }

  report(query?: SpendQuery): Promise<SpendReport> {
    return this.ledger.report(query)
  }

  /** Where every budget covering these attributes stands. */
  async budgetStatus(attributes: SpendAttributes): Promise<BudgetStatus[]> {
    if (this.setup.budgets.length === 0) return []
    return (await this.loadGuard()).budgetStatus(attributes)
  }

  beforeAttempt(attempt: AttemptInfo): AttemptTicket | Promise<AttemptTicket> {
    const { call, candidate } = attempt
    // A provider is its own single key; a key pool's key is known only once the pool picks a member.
    const key = this.setup.isKeyPool?.(candidate.provider) ? undefined : candidate.provider
    const attributes: SpendAttributes = { user: call.user, tags: call.tags, route: call.routeName, provider: candidate.provider, model: candidate.id, key }
    // The provider's own headers said this model's quota is used up: the limiter refuses (or
    // queues) it when limits are configured, else it is refused here, before its provider is called.
    // Other routers' readings are read back only through a shared store.
    const refreshing = this.setup.sharedStore ? this.quota.refresh([candidate.provider], candidate.model) : undefined
    if (refreshing) return refreshing.then(() => this.checkedAttempt(attempt, attributes))
    return this.checkedAttempt(attempt, attributes)
  }

  private checkedAttempt(attempt: AttemptInfo, attributes: SpendAttributes): AttemptTicket | Promise<AttemptTicket> {
    if (this.setup.limits.length === 0) {
      const blocked = this.quota.blockedFor(attributes)
      if (blocked) throw providerQuotaError(blocked, attributes)
    }
    // Nothing to check before the provider is called: only the ledger follows the attempt.
    if (!this.guardsEveryAttempt && attempt.call.maxCostUsd === undefined) return this.ledgerTicket(attributes)
    const guard = this.guard
    if (guard) return guard.guard(attempt, attributes)
    return this.loadGuard().then((loaded) => loaded.guard(attempt, attributes))
  }

  /** The ticket of an attempt nothing guards: its cost goes to the ledger when it ends. */
  private ledgerTicket(attributes: SpendAttributes): AttemptTicket {
    return {
      settle: (record: Attempt) => {
        if (record.cost !== undefined || record.outcome === 'success') this.ledger.record(attributes, record.cost !== undefined ? record.cost.total : null)
      },
    }
  }

  private loadGuard(): Promise<SpendGuard> {
    return (this.guardLoading ??= guardCode.load().then(
      ({ SpendGuard }) => (this.guard = new SpendGuard(this.setup, this.quota, this.ledger)),
      (error: unknown) => {
        this.guardLoading = undefined
        throw error
      },
    ))
  }
}

function providerQuotaError(blocked: { scope: string; waitMs: number }, attributes: SpendAttributes): LocalRateLimitError {
  return new LocalRateLimitError(`${attributes.model}: the provider's rate-limit headers say its quota is used up for another ${Math.ceil(blocked.waitMs / 1000)} s; the attempt was not sent.`, {
    limit: 'provider rate-limit headers',
    kind: 'provider-quota',
    scope: blocked.scope,
    provider: attributes.provider,
    model: attributes.model.slice(attributes.provider.length + 1),
    retryAfterMs: blocked.waitMs,
  })
}
