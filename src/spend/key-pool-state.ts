import type { ProviderAdapter } from '../spec/provider-adapter.js'
import type { ProviderQuota } from './provider-quota.js'

/** How a key pool picks the member for each request. */
export type KeyPoolBalance = 'round-robin' | 'least-busy' | 'most-headroom'

/** A member of the pool as the pool keeps it. */
export interface MemberState {
  readonly adapter: ProviderAdapter
  inFlight: number
  coolingDownUntil: number
}

/** What a pool's requests run on (key-pool-runner.ts): its settings and the state of its members. */
export interface KeyPoolState {
  readonly id: string
  readonly states: readonly MemberState[]
  readonly memberIds: readonly string[]
  readonly balance: KeyPoolBalance
  readonly cooldownMs: number
  readonly maxStickyPrefixes: number
  readonly quota: ProviderQuota
  /** The last member picked for each `cache_control` prompt prefix. */
  readonly sticky: Map<string, MemberState>
  /** Round-robin position. */
  turn: number
}
