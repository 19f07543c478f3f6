/** The normal quantile for a two-sided 95% interval. */
const z95 = 1.959963984540054

export interface Interval {
  lower: number
  upper: number
}

/**
 * The Wilson score interval for a proportion: `successes` out of `trials`, 95% by default. Unlike
 * the textbook ±z·√(p(1−p)/n) it stays inside [0, 1] and behaves at small n and at 0% or 100%,
 * which is where an A/B test starts. `successes` may be fractional (a tie counts one half).
 */
export function wilsonInterval(successes: number, trials: number, z = z95): Interval | null {
  if (trials <= 0) return null
  const proportion = successes / trials
  const zSquared = z * z
  const denominator = 1 + zSquared / trials
  const center = (proportion + zSquared / (2 * trials)) / denominator
  const halfWidth = (z / denominator) * Math.sqrt((proportion * (1 - proportion)) / trials + zSquared / (4 * trials * trials))
  return { lower: Math.max(0, center - halfWidth), upper: Math.min(1, center + halfWidth) }
}
