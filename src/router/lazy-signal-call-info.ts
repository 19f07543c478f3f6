import { neverAbortedSignal } from '../internal/abortable.js'
import type { CallInfo, CallKind } from './call-hooks.js'
import type { CallCacheOptions } from '../state/cache-options.js'
import type { Operation } from '../spec/operation.js'

/**
 * The `CallInfo` of a call made without an `AbortSignal`. Its `signal` (a stand-in that never
 * fires) is made the first time something reads it: most calls never do, and an `AbortController`
 * is one of the dearest objects a call would otherwise make. Optional fields are set only when
 * present, as on a literal `CallInfo`.
 */
export class LazySignalCallInfo implements CallInfo {
  declare readonly parentCallId?: string
  declare readonly requestedModel?: string
  declare readonly user?: string
  declare readonly maxCostUsd?: number
  declare readonly cache?: CallCacheOptions | false
  #signal: AbortSignal | undefined

  constructor(
    readonly callId: string,
    readonly kind: CallKind,
    readonly operation: Operation,
    readonly routeName: string | null,
    readonly strategy: string,
    readonly tags: Readonly<Record<string, string>>,
  ) {}

  get signal(): AbortSignal {
    return (this.#signal ??= neverAbortedSignal())
  }
}
