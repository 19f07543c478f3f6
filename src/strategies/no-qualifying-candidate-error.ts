import { SwitchyardError } from '../errors/errors.js'

/** Why a strategy left a candidate out of its plan. */
export interface DroppedCandidate {
  /** `provider/model`. */
  id: string
  reason: 'missing-capability' | 'context-window' | 'over-max-price' | 'unknown-price' | 'cooling-down'
  /** A sentence saying exactly why, with the figures. */
  detail: string
  /** For `cooling-down`: milliseconds until the candidate recovers. */
  retryAfterMs?: number
}

/**
 * No candidate of a route qualifies for this request. `dropped` says why each one was left out.
 * Retryable, with `retryAfterMs`, only when some candidates are merely cooling down.
 */
export class NoQualifyingCandidateError extends SwitchyardError {
  static override readonly errorName: string = 'NoQualifyingCandidateError'
  override readonly code = 'no_qualifying_candidate'
  readonly dropped: readonly DroppedCandidate[]

  constructor(strategy: string, dropped: readonly DroppedCandidate[]) {
    const waits = dropped.flatMap((candidate) => (candidate.retryAfterMs === undefined ? [] : [candidate.retryAfterMs]))
    super(
      `${strategy}: no candidate qualifies for this request. ${dropped.map((candidate) => `${candidate.id}: ${candidate.detail}`).join(' ')} ` +
        'Relax the requirements, add a model that meets them, or (for cool-downs) retry later.',
      { retryable: waits.length > 0, retryAfterMs: waits.length > 0 ? Math.min(...waits) : undefined, status: waits.length > 0 ? 503 : 400 },
    )
    this.dropped = dropped
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), dropped: this.dropped }
  }
}
