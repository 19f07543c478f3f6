/**
 * What one call cost, in USD, computed from usage × the model's list price. A part is `null` only
 * when no price is known for it; Switchyard never guesses a price.
 */
export interface Cost {
  input: number | null
  output: number | null
  cacheRead: number | null
  cacheWrite: number | null
  total: number | null
  currency: 'USD'
  /**
   * On an answer served from the response cache (`route.cacheHit`): what the original call cost,
   * which this one did not pay again (`null` when that cost was unknown). Absent otherwise.
   */
  saved?: number | null
}

/** A price tier: from `above` input tokens on (exclusive), this price per million tokens applies. */
export interface PriceTier {
  above: number
  price: number
}

/** A per-million-token price, flat or tiered by the request's input size. */
export type TokenPrice = number | { base: number; tiers: PriceTier[] }

/** List prices in USD per million tokens. */
export interface ModelPrice {
  input: TokenPrice
  output: TokenPrice
  /** Price of a cache read; when absent, cache reads cost the input price. */
  cacheRead?: TokenPrice
  /** Price of a cache write; when absent, cache writes cost the input price. */
  cacheWrite?: TokenPrice
  /** Price of a 1-hour cache write (Anthropic: 2× input); when absent, the `cacheWrite` price. */
  cacheWrite1h?: TokenPrice
  /**
   * Prices of non-standard service tiers, by the tier name the provider reports (`flex`,
   * `priority`). A call served at a tier with no price here costs `null`, except OpenAI's `flex`,
   * whose published price is half the standard one.
   */
  serviceTiers?: Record<string, Omit<ModelPrice, 'serviceTiers'>>
}
