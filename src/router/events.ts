import type { Attempt } from '../spec/response.js'

/** What the router reports while it works. Events never contain API keys or message content. */
export type RouterEvent =
  | { type: 'attempt-start'; provider: string; model: string; routeName: string | null }
  | { type: 'attempt-end'; attempt: Attempt; routeName: string | null }
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
