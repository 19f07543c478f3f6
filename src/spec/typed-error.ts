/**
 * What every error the router reports has — every `SwitchyardError` — described by shape, so the
 * contracts import no class. Branch on `code`; `retryable` and `retryAfterMs` say whether and when
 * trying again may succeed.
 */
export interface TypedError extends Error {
  readonly code: string
  readonly provider?: string
  readonly model?: string
  /** The HTTP status the failure corresponds to, when there is one. */
  readonly status?: number
  readonly retryable: boolean
  readonly retryAfterMs?: number
  /** JSON form for logs and events; never contains an API key. */
  toJSON(): Record<string, unknown>
}
