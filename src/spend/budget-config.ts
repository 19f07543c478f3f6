import { ConfigurationError } from '../errors/errors.js'
import { validateScope, type SpendScope } from './spend-scope.js'
import { parseWindow, type SpendWindow, type WindowSpec } from './spend-window.js'

/** One budget: `{ name: 'search-team', limitUsd: 50, window: 'day', scope: { tags: { team: 'search' } } }`. */
export interface BudgetDefinition {
  /** Unique; named in `BudgetExceededError` and events. */
  name: string
  /** The most the scope may spend per window, in USD. */
  limitUsd: number
  /** `'day'` or `'month'` (UTC calendar periods), or a rolling duration such as `'1h'` or `'7d'`. */
  window: WindowSpec
  /** Whose calls count; omitted: every call of the router. `{ user: '*' }`: one budget per user. */
  scope?: SpendScope
}

export interface Budget {
  readonly name: string
  readonly limitUsd: number
  readonly window: SpendWindow
  readonly scope: SpendScope
}

/** Checks `createRouter({ budgets })`; every mistake is a `ConfigurationError` naming the entry. */
export function validateBudgets(budgets: unknown): Budget[] {
  if (budgets === undefined) return []
  if (!Array.isArray(budgets)) {
    throw new ConfigurationError("createRouter: `budgets` must be an array, e.g. [{ name: 'all', limitUsd: 100, window: 'month' }].")
  }
  const names = new Set<string>()
  return budgets.map((entry: unknown, index) => {
    const where = `createRouter: budgets[${index}]`
    if (!entry || typeof entry !== 'object') throw new ConfigurationError(`${where} must be an object { name, limitUsd, window, scope? }.`)
    const { name, limitUsd, window, scope, ...rest } = entry as Record<string, unknown>
    const unknown = Object.keys(rest)
    if (unknown.length > 0) throw new ConfigurationError(`${where}: unknown field(s) ${unknown.join(', ')}; allowed: name, limitUsd, window, scope.`)
    if (typeof name !== 'string' || name === '') throw new ConfigurationError(`${where}: \`name\` must be a non-empty string.`)
    if (names.has(name)) throw new ConfigurationError(`${where}: two budgets are named "${name}"; names must be unique.`)
    names.add(name)
    if (typeof limitUsd !== 'number' || !Number.isFinite(limitUsd) || limitUsd < 0) {
      throw new ConfigurationError(`${where} ("${name}"): \`limitUsd\` must be a finite number of USD, 0 or more (got ${JSON.stringify(limitUsd)}).`)
    }
    return {
      name,
      limitUsd,
      window: parseWindow(window, `${where} ("${name}")`),
      scope: validateScope(scope, `${where} ("${name}")`, ['user', 'tags', 'route', 'provider', 'model']),
    }
  })
}
