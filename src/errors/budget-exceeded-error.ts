import { SwitchyardError } from './errors.js'

export interface BudgetExceededDetails {
  /** The budget's `name` from `createRouter({ budgets })`. */
  budget: string
  /** Whose spend it counts: `the whole router`, `user alice`, `tag team=search`, ... */
  scope: string
  limitUsd: number
  /** What the budget had spent (or reserved for attempts in flight) when the attempt was refused. */
  spentUsd: number
  /** The worst case the refused attempt could have cost. */
  requiredUsd: number
  /** When enough of the budget frees up for this attempt: the period's end, or when old spend leaves a rolling window. `null`: never (the attempt alone exceeds the limit). */
  resetsAt: Date | null
  provider?: string
  model?: string
}

/**
 * An attempt's worst-case cost does not fit a budget. Thrown before the provider is called; a
 * fallback chain or `cheapest` moves on to a candidate that still fits. Not retryable within the
 * call; `retryAfterMs` says when the budget frees up.
 */
export class BudgetExceededError extends SwitchyardError {
  static override readonly errorName: string = 'BudgetExceededError'
  override readonly code = 'budget_exceeded'
  readonly budget: string
  readonly scope: string
  readonly limitUsd: number
  readonly spentUsd: number
  readonly requiredUsd: number
  readonly resetsAt: Date | null

  constructor(details: BudgetExceededDetails, nowMs: number = Date.now()) {
    const when = details.resetsAt ? `it frees up at ${details.resetsAt.toISOString()}` : 'this attempt alone exceeds the limit'
    super(
      `Budget "${details.budget}" (${details.scope}) cannot fit this call: $${round(details.spentUsd)} of $${details.limitUsd} spent, and ${details.model ? `${details.provider}/${details.model}` : 'the call'} may cost up to $${round(details.requiredUsd)}; ${when}.`,
      {
        provider: details.provider,
        model: details.model,
        status: 429,
        retryable: false,
        retryAfterMs: details.resetsAt ? Math.max(0, details.resetsAt.getTime() - nowMs) : undefined,
      },
    )
    this.budget = details.budget
    this.scope = details.scope
    this.limitUsd = details.limitUsd
    this.spentUsd = details.spentUsd
    this.requiredUsd = details.requiredUsd
    this.resetsAt = details.resetsAt
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      budget: this.budget,
      scope: this.scope,
      limitUsd: this.limitUsd,
      spentUsd: this.spentUsd,
      requiredUsd: this.requiredUsd,
      resetsAt: this.resetsAt?.toISOString() ?? null,
    }
  }
}

function round(usd: number): number {
  return Math.round(usd * 1e6) / 1e6
}
