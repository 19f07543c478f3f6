import type { Cost, ModelPrice, TokenPrice } from '../spec/cost.js'
import type { Usage } from '../spec/usage.js'

const perMillion = 1_000_000

/** The per-million price in force for a request with `promptTokens` input tokens. */
function priceFor(price: TokenPrice, promptTokens: number): number {
  if (typeof price === 'number') return price
  let applicable = price.base
  for (const tier of price.tiers) if (promptTokens > tier.above) applicable = tier.price
  return applicable
}

// Rounds away binary floating-point noise (0.1 + 0.2) at a precision far below a millionth of a cent.
function round(value: number): number {
  return Math.round(value * 1e12) / 1e12
}

/**
 * usage × price, part by part. The single cost function: streamed and non-streamed calls, every
 * provider and every strategy go through it. Without a price every part is `null`.
 */
export function computeCost(usage: Usage, price: ModelPrice | undefined): Cost {
  if (!price) return { input: null, output: null, cacheRead: null, cacheWrite: null, total: null, currency: 'USD' }
  // Tiers (e.g. "prompts over 200k tokens") are chosen by the whole prompt, cached parts included.
  const promptTokens = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens
  const input = round((usage.inputTokens * priceFor(price.input, promptTokens)) / perMillion)
  const output = round((usage.outputTokens * priceFor(price.output, promptTokens)) / perMillion)
  const cacheRead = round((usage.cacheReadTokens * priceFor(price.cacheRead ?? price.input, promptTokens)) / perMillion)
  const cacheWritePrice = price.cacheWrite ?? price.input
  // 1-hour cache writes are a share of all cache writes with a price of their own.
  const longWrites = Math.min(usage.cacheWrite1hTokens ?? 0, usage.cacheWriteTokens)
  const cacheWrite = round(
    ((usage.cacheWriteTokens - longWrites) * priceFor(cacheWritePrice, promptTokens) +
      longWrites * priceFor(price.cacheWrite1h ?? cacheWritePrice, promptTokens)) /
      perMillion,
  )
  return { input, output, cacheRead, cacheWrite, total: round(input + output + cacheRead + cacheWrite), currency: 'USD' }
}

/** Sums costs; a part is `null` when any addend's is (an unknown price stays visible). */
export function addCosts(costs: readonly Cost[]): Cost {
  const sum = (part: keyof Omit<Cost, 'currency' | 'saved'>): number | null => {
    let total = 0
    for (const cost of costs) {
      const value = cost[part]
      if (value === null) return null
      total += value
    }
    return round(total)
  }
  return {
    input: sum('input'),
    output: sum('output'),
    cacheRead: sum('cacheRead'),
    cacheWrite: sum('cacheWrite'),
    total: sum('total'),
    currency: 'USD',
  }
}
