import { SwitchyardError, type ErrorDetails } from './errors.js'

export interface CostCapExceededDetails extends ErrorDetails {
  /** The call's `maxCostUsd`. */
  maxCostUsd: number
  /** What the call had cost when it was stopped or refused: earlier attempts plus, for a stopped stream, the running cost of this one. */
  costUsd: number
  /** Text the stream produced before it was cut (`''` when the attempt was refused before it started). */
  partialText?: string
  /** Everything streamed before the cut, as OpenAI-shaped chunks. */
  partialChunks?: readonly unknown[]
}

/**
 * A call's `maxCostUsd` was reached. Before an attempt: the attempt cannot fit the cap even with
 * one output token (a fallback chain moves on to a cheaper candidate). During a stream: the running
 * cost crossed the cap, so the stream was stopped there; `partialText` holds what it had produced
 * and `costUsd` what the call cost.
 */
export class CostCapExceededError extends SwitchyardError {
  static override readonly errorName: string = 'CostCapExceededError'
  override readonly code = 'cost_cap_exceeded'
  readonly maxCostUsd: number
  readonly costUsd: number
  readonly partialText: string
  readonly partialChunks: readonly unknown[]

  constructor(message: string, details: CostCapExceededDetails) {
    super(message, { status: 402, retryable: false, ...details })
    this.maxCostUsd = details.maxCostUsd
    this.costUsd = details.costUsd
    this.partialText = details.partialText ?? ''
    this.partialChunks = details.partialChunks ?? []
  }

  /** The same error with the stream's partial output as the router assembled it. */
  withPartialOutput(partialText: string, partialChunks: readonly unknown[]): CostCapExceededError {
    return new CostCapExceededError(this.message, {
      maxCostUsd: this.maxCostUsd,
      costUsd: this.costUsd,
      partialText,
      partialChunks,
      provider: this.provider,
      model: this.model,
      cause: this.cause,
    })
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), maxCostUsd: this.maxCostUsd, costUsd: this.costUsd, partialText: this.partialText }
  }
}
