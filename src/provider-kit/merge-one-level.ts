export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * `base` with `extra`'s fields laid over it; where both hold an object, the two objects are merged
 * (one level deep) rather than the later one replacing the earlier.
 */
export function mergeOneLevel(base: Record<string, unknown> | undefined, extra: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...base }
  for (const [key, value] of Object.entries(extra)) {
    const current = merged[key]
    merged[key] = isPlainObject(current) && isPlainObject(value) ? { ...current, ...value } : value
  }
  return merged
}
