/** A sticky, well-spread number in [0, 1) for a key: FNV-1a, 32 bits. */
export function hashToUnit(key: string): number {
  let hash = 0x811c9dc5
  for (let index = 0; index < key.length; index++) {
    hash ^= key.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0) / 0x1_0000_0000
}

/** Picks a name by weight with `unit` in [0, 1): the same unit always picks the same name. */
export function pickWeighted(weights: ReadonlyArray<readonly [string, number]>, unit: number): string {
  const total = weights.reduce((sum, [, weight]) => sum + weight, 0)
  let threshold = unit * total
  for (const [name, weight] of weights) {
    if (threshold < weight) return name
    threshold -= weight
  }
  return weights.at(-1)![0]
}
