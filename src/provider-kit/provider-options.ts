import { InvalidRequestError } from '../errors/errors.js'
import { isPlainObject } from './merge-one-level.js'

/**
 * `body` plus the caller's provider-specific fields. They may add to what the router built, never
 * replace it: a caller who could override `model` or `max_tokens` there would be billed for work
 * the route and cost do not report. Where both hold an object (`metadata`, a config block), the
 * caller's keys are added inside it under the same rule.
 */
export function addProviderOptions(body: Record<string, unknown>, options: Record<string, unknown> | undefined, where: string): Record<string, unknown> {
  if (!options) return body
  const merged: Record<string, unknown> = { ...body }
  for (const [key, value] of Object.entries(options)) {
    const current = merged[key]
    if (current === undefined) merged[key] = value
    else if (isPlainObject(current) && isPlainObject(value)) {
      for (const innerKey of Object.keys(value)) if (current[innerKey] !== undefined) refuse(`${where}.${key}.${innerKey}`)
      merged[key] = { ...current, ...value }
    } else refuse(`${where}.${key}`)
  }
  return merged
}

function refuse(field: string): never {
  throw new InvalidRequestError(
    `Invalid request: \`${field}\` would replace a value the router set from the request; provider options may only add fields. Set it through the request's own field instead.`,
    { status: 400 },
  )
}
