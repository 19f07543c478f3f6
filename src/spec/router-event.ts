import type { Cost } from './cost.js'
import type { Attempt } from './response.js'
import type { Operation } from './operation.js'
import type { TypedError } from './typed-error.js'

/**
 * What the router reports while it works. Events never contain API keys or message content.
 * `callId` joins a call's attempts to its `call-start` and `call-end`; an attempt of a side call (a
 * judge, an A/B shadow run) carries its own `callId` and the `parentCallId` of the call it serves.
 */
export type RouterEvent =
  | {
      type: 'call-start'
      callId: string
      operation: Operation
      routeName: string | null
      strategy: string
      /** From the call options, for attribution. */
      tags?: Readonly<Record<string, string>>
      user?: string
    }
  | {
      type: 'call-end'
      callId: string
      operation: Operation
      routeName: string | null
      outcome: 'success' | 'error'
      /** Milliseconds from the call's start to its end. */
      latencyMs: number
      /** What the call cost (on success). */
      cost?: Cost
      /** Whether a response cache served it (on success). */
      cacheHit?: boolean
      /** A `SwitchyardError`. */
      error?: TypedError
    }
  | { type: 'attempt-start'; provider: string; model: string; routeName: string | null; callId: string; parentCallId?: string }
  | { type: 'attempt-end'; attempt: Attempt; routeName: string | null; callId: string; parentCallId?: string }
  | {
      /** A call was answered from the response cache, without a provider call. */
      type: 'cache-hit'
      callId: string
      operation: Operation
      routeName: string | null
      provider: string
      model: string
      /** What the original call cost (`null` when unknown): the saving. */
      saved: number | null
    }
  | { type: 'candidate-skipped'; provider: string; model: string; reason: 'cooling-down'; routeName: string | null }
  | { type: 'warning'; code: 'unknown_price' | 'unknown_usage' | (string & {}); message: string; provider?: string; model?: string }

export type RouterEventListener = (event: RouterEvent) => void
