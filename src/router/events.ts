import type { EventService } from '../spec/router-services.js'
import type { RouterEvent, RouterEventListener } from '../spec/router-event.js'

export type { RouterEvent, RouterEventListener }

/** A tiny per-router event hub; a throwing listener cannot break a call. */
export class EventHub implements EventService {
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
