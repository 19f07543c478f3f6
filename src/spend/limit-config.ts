import { ConfigurationError } from '../errors/errors.js'
import { validateScope, type SpendScope } from './spend-scope.js'

/**
 * One rate limit: `{ scope: { provider: 'openai' }, rpm: 500, tpm: 90_000, concurrency: 20, onLimit: 'queue' }`.
 * Counted in the router's store, so a limit holds across every process sharing it.
 */
export interface LimitDefinition {
  /** Named in errors and events; `limits[index]` when omitted. */
  name?: string
  /**
   * Whose attempts count: provider (a key pool counts as one provider), model, user, tags, route, or
   * key (`{ key: 'openai-eu' }` or `{ key: '*' }`: each key-pool member, or each provider not in a
   * pool, on its own). Omitted: every attempt.
   */
  scope?: SpendScope
  /** Requests per minute (a rolling minute). */
  rpm?: number
  /** Tokens per minute: each attempt reserves its prompt estimate plus its output allowance, corrected to real usage once known. */
  tpm?: number
  /** Attempts in flight at once. */
  concurrency?: number
  /** `'reject'` (default): fail at once with a `RateLimitError`. `'queue'`: wait for room, up to `maxWaitMs`. */
  onLimit?: 'queue' | 'reject'
  /** The longest a queued attempt waits before it fails with a `RateLimitError`. Default 30 000 ms. */
  maxWaitMs?: number
}

export interface Limit {
  readonly id: string
  readonly scope: SpendScope
  readonly rpm?: number
  readonly tpm?: number
  readonly concurrency?: number
  readonly onLimit: 'queue' | 'reject'
  readonly maxWaitMs: number
}

const allowedFields = ['name', 'scope', 'rpm', 'tpm', 'concurrency', 'onLimit', 'maxWaitMs']

function positive(value: unknown, integer: boolean): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 && (!integer || Number.isInteger(value))
}

/** Checks `createRouter({ limits })`; every mistake is a `ConfigurationError` naming the entry. */
export function validateLimits(limits: unknown): Limit[] {
  if (limits === undefined) return []
  if (!Array.isArray(limits)) {
    throw new ConfigurationError("createRouter: `limits` must be an array, e.g. [{ scope: { provider: 'openai' }, rpm: 500 }].")
  }
  const ids = new Set<string>()
  return limits.map((entry: unknown, index) => {
    let where = `createRouter: limits[${index}]`
    if (!entry || typeof entry !== 'object') throw new ConfigurationError(`${where} must be an object { scope, rpm?, tpm?, concurrency?, onLimit? }.`)
    const definition = entry as Record<string, unknown>
    const unknown = Object.keys(definition).filter((field) => !allowedFields.includes(field))
    if (unknown.length > 0) throw new ConfigurationError(`${where}: unknown field(s) ${unknown.join(', ')}; allowed: ${allowedFields.join(', ')}.`)
    const { name, scope, rpm, tpm, concurrency, onLimit, maxWaitMs } = definition
    if (name !== undefined && (typeof name !== 'string' || name === '')) throw new ConfigurationError(`${where}: \`name\` must be a non-empty string.`)
    const id = (name as string | undefined) ?? `limits[${index}]`
    if (ids.has(id)) throw new ConfigurationError(`${where}: two limits are named "${id}"; names must be unique.`)
    ids.add(id)
    if (name !== undefined) where += ` ("${name}")`
    if (rpm === undefined && tpm === undefined && concurrency === undefined) {
      throw new ConfigurationError(`${where}: set at least one of rpm, tpm, concurrency.`)
    }
    for (const [field, value, integer] of [['rpm', rpm, true], ['tpm', tpm, true], ['concurrency', concurrency, true]] as const) {
      if (value !== undefined && !positive(value, integer)) {
        throw new ConfigurationError(`${where}: \`${field}\` must be a whole number above 0 (got ${JSON.stringify(value)}).`)
      }
    }
    if (onLimit !== undefined && onLimit !== 'queue' && onLimit !== 'reject') {
      throw new ConfigurationError(`${where}: \`onLimit\` must be 'queue' or 'reject' (got ${JSON.stringify(onLimit)}).`)
    }
    if (maxWaitMs !== undefined && (typeof maxWaitMs !== 'number' || !Number.isFinite(maxWaitMs) || maxWaitMs < 0)) {
      throw new ConfigurationError(`${where}: \`maxWaitMs\` must be a number of milliseconds, 0 or more (got ${JSON.stringify(maxWaitMs)}).`)
    }
    return {
      id,
      scope: validateScope(scope, where, ['user', 'tags', 'route', 'provider', 'model', 'key']),
      rpm: rpm as number | undefined,
      tpm: tpm as number | undefined,
      concurrency: concurrency as number | undefined,
      onLimit: (onLimit as 'queue' | 'reject' | undefined) ?? 'reject',
      maxWaitMs: (maxWaitMs as number | undefined) ?? 30_000,
    }
  })
}
