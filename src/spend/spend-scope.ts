import { ConfigurationError } from '../errors/errors.js'

/**
 * Which calls a budget, a limit or a ledger group covers. Every field given must match; `'*'`
 * gives each distinct value its own counter (`{ user: '*' }`: one budget per user) and does not
 * match calls that lack the attribute. No field at all: the whole router.
 */
export interface SpendScope {
  /** The call's `user`. */
  user?: string
  /** The call's tags, e.g. `{ team: 'search' }` or `{ team: '*' }`. */
  tags?: Record<string, string>
  /** The route name the call used. */
  route?: string
  /** The provider id that answers (for a key pool, the pool's name). */
  provider?: string
  /** A `provider/model` id. */
  model?: string
  /**
   * Rate limits only: the key an attempt uses, named by its adapter id — a key-pool member's own id
   * (`openai({ id: 'openai-eu' })`), or a provider's id when it is not pooled; `'*'` per key. The
   * API key itself is never named, counted or stored.
   */
  key?: string
}

/** What a call and its attempt are, for matching scopes. */
export interface SpendAttributes {
  readonly user?: string
  readonly tags: Readonly<Record<string, string>>
  readonly route: string | null
  readonly provider: string
  /** `provider/model`. */
  readonly model: string
  /**
   * The adapter id of the key the attempt uses: the provider's own id when it is not a key pool,
   * a member's id once the pool has picked one, absent while it has not.
   */
  readonly key?: string
}

const scopeFields = ['user', 'tags', 'route', 'provider', 'model', 'key'] as const
export type ScopeField = (typeof scopeFields)[number]

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== ''
}

/** Throws a `ConfigurationError` for a scope with unknown fields or values that are not strings. */
export function validateScope(scope: unknown, where: string, allowed: readonly ScopeField[] = scopeFields): SpendScope {
  if (scope === undefined) return {}
  if (!scope || typeof scope !== 'object' || Array.isArray(scope)) {
    throw new ConfigurationError(`${where}: scope must be an object such as { user: '*' } or { tags: { team: 'search' } } (omit it for the whole router).`)
  }
  for (const [field, value] of Object.entries(scope)) {
    if (!(allowed as readonly string[]).includes(field)) {
      throw new ConfigurationError(`${where}: unknown scope key "${field}"; allowed: ${allowed.join(', ')}.`)
    }
    if (field === 'tags') {
      if (!value || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length === 0) {
        throw new ConfigurationError(`${where}: scope.tags must be an object of tag name → value (or '*'), e.g. { team: 'search' }.`)
      }
      for (const [tag, tagValue] of Object.entries(value)) {
        if (!isNonEmptyString(tagValue)) throw new ConfigurationError(`${where}: scope.tags.${tag} must be a non-empty string (a value, or '*').`)
      }
    } else if (!isNonEmptyString(value)) {
      throw new ConfigurationError(`${where}: scope.${field} must be a non-empty string (a value, or '*').`)
    }
  }
  const model = (scope as SpendScope).model
  if (model !== undefined && model !== '*' && !model.includes('/')) {
    throw new ConfigurationError(`${where}: scope.model "${model}" must be a "provider/model" id (or '*').`)
  }
  return scope as SpendScope
}

/**
 * `counter` with this scope field's `name=value` appended: unchanged when the scope leaves the field
 * open, `undefined` when the field's wanted value does not cover the actual one (or `counter`
 * already was `undefined`).
 */
function withPart(counter: string | undefined, name: string, wanted: string | undefined, actual: string | null | undefined): string | undefined {
  if (counter === undefined || wanted === undefined) return counter
  if (actual === undefined || actual === null || actual === '') return undefined
  if (wanted !== '*' && wanted !== actual) return undefined
  // Values may contain any character; encoded, they cannot collide with the separators.
  const piece = `${name}=${encodeURIComponent(actual)}`
  return counter === '' ? piece : `${counter}&${piece}`
}

/**
 * The counter this scope uses for these attributes: `''` for the whole router, `user=alice` for
 * `{ user: '*' }`, ...; `undefined` when the scope does not cover the call.
 */
function scopeCounter(scope: SpendScope, attributes: SpendAttributes): string | undefined {
  let counter = withPart('', 'user', scope.user, attributes.user)
  if (scope.tags) {
    for (const tag in scope.tags) counter = withPart(counter, `tag.${encodeURIComponent(tag)}`, scope.tags[tag], attributes.tags[tag])
  }
  counter = withPart(counter, 'route', scope.route, attributes.route)
  counter = withPart(counter, 'provider', scope.provider, attributes.provider)
  counter = withPart(counter, 'model', scope.model, attributes.model)
  return withPart(counter, 'key', scope.key, attributes.key)
}

/** A short human description, for error messages: `user alice, tag team=search`. */
export function describeCounter(counter: string): string {
  if (counter === '') return 'the whole router'
  return counter
    .split('&')
    .map((piece) => {
      const [name, value] = piece.split('=') as [string, string]
      return name.startsWith('tag.') ? `tag ${decodeURIComponent(name.slice(4))}=${decodeURIComponent(value)}` : `${name} ${decodeURIComponent(value)}`
    })
    .join(', ')
}

/** `scopeCounter` for one scope, prepared once (when the router is created). */
export type ScopeMatcher = (attributes: SpendAttributes) => string | undefined

/**
 * The counter of `scope` for an attempt's attributes, as `scopeCounter` gives it. A scope without
 * `'*'` has one counter, built here once: an attempt is matched by comparing its values, with
 * no string built per attempt. A scope with `'*'` builds its counter from the attempt's values.
 */
export function scopeMatcher(scope: SpendScope): ScopeMatcher {
  const tags = scope.tags ? Object.entries(scope.tags) : []
  const wanted = [scope.user, scope.route, scope.provider, scope.model, scope.key]
  if (wanted.includes('*') || tags.some(([, value]) => value === '*')) return (attributes) => scopeCounter(scope, attributes)
  const { user, route, provider, model, key } = scope
  // Every value is fixed: the attributes that match are these very values.
  const counter = scopeCounter(scope, { user, tags: scope.tags ?? {}, route: route ?? null, provider: provider ?? '', model: model ?? '', key })
  if (counter === '') return () => counter
  return (attributes) => {
    if ((user !== undefined && attributes.user !== user) || (route !== undefined && attributes.route !== route)) return undefined
    if ((provider !== undefined && attributes.provider !== provider) || (model !== undefined && attributes.model !== model)) return undefined
    if (key !== undefined && attributes.key !== key) return undefined
    for (const [tag, value] of tags) if (attributes.tags[tag] !== value) return undefined
    return counter
  }
}
