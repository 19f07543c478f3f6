/** Percentiles of a set of durations. */
export interface Percentiles {
  count: number
  p50: number
  p90: number
  p99: number
  mean: number
  max: number
}

// Buckets grow by 4%: a percentile read from one is within 2% of the true value, and 512 of them
// span 0.01 ms to beyond an hour, in 2 KB.
const growth = 1.04
const smallest = 0.01
const bucketCount = 512
const logGrowth = Math.log(growth)

/**
 * A fixed-size histogram of positive values (milliseconds) on a logarithmic scale: constant memory
 * however many values it sees, percentiles within 2%. Count, mean and maximum are exact.
 */
export class LogHistogram {
  private readonly buckets = new Uint32Array(bucketCount)
  private count = 0
  private sum = 0
  private max = 0

  record(value: number): void {
    if (!(value >= 0) || !Number.isFinite(value)) return
    const index = value <= smallest ? 0 : Math.min(bucketCount - 1, 1 + Math.floor(Math.log(value / smallest) / logGrowth))
    this.buckets[index]! += 1
    this.count += 1
    this.sum += value
    if (value > this.max) this.max = value
  }

  /** `null` before the first value. */
  percentiles(): Percentiles | null {
    if (this.count === 0) return null
    return { count: this.count, p50: this.quantile(0.5), p90: this.quantile(0.9), p99: this.quantile(0.99), mean: this.sum / this.count, max: this.max }
  }

  private quantile(fraction: number): number {
    const rank = Math.max(1, Math.ceil(fraction * this.count))
    let seen = 0
    for (let index = 0; index < bucketCount; index += 1) {
      seen += this.buckets[index]!
      if (seen >= rank) {
        if (index === 0) return Math.min(smallest, this.max)
        // The bucket's geometric middle, never above the largest value seen.
        const lower = smallest * growth ** (index - 1)
        return Math.min(lower * Math.sqrt(growth), this.max)
      }
    }
    return this.max
  }
}
