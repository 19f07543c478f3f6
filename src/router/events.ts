import type { Cost } from '../spec/cost.js'
import type { Attempt } from '../spec/response.js'
import type { Operation } from '../spec/strategy.js'
import type { SwitchyardError } from '../errors/errors.js'

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
      error?: SwitchyardError
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

/** A tiny per-router event hub; a throwing listener cannot break a call. */
export class EventHub {
  private readonly listeners = new Set<RouterEventListener>()

  on(listener: RouterEventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  emit(event: RouterEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event)
      } catch {
        // A listener's failure is the listener's problem; the call goes on.
      }
    }
  }

  get hasListeners(): boolean {
    return this.listeners.size > 0
  }
}
