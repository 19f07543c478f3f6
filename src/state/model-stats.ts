import type { ModelStatsSnapshot, StatsService } from '../spec/router-services.js'

export interface ModelMeasurement {
  latencyMs: number
  timeToFirstTokenMs?: number
  outputTokens?: number
}

export type { ModelStatsSnapshot }

/** Exponentially weighted moving average: recent calls count most. */
function blend(previous: number | undefined, value: number, weight: number): number {
  return previous === undefined ? value : previous + weight * (value - previous)
}

/** Live per-model measurements of this router's own calls. */
export class ModelStats implements StatsService {
  private readonly stats = new Map<string, ModelStatsSnapshot>()

  /** `weight` is how much a new sample counts (0..1): 0.2 follows change within ~10 calls. */
  constructor(private readonly weight = 0.2) {}

  record(id: string, measurement: ModelMeasurement): void {
    const current = this.stats.get(id) ?? { samples: 0 }
    // Fields spelled out rather than spread: this runs on every successful call.
    const next: ModelStatsSnapshot = {
      samples: current.samples + 1,
      latencyMs: blend(current.latencyMs, measurement.latencyMs, this.weight),
      timeToFirstTokenMs: current.timeToFirstTokenMs,
      tokensPerSecond: current.tokensPerSecond,
      outputTokens: current.outputTokens,
    }
    if (measurement.timeToFirstTokenMs !== undefined) {
      next.timeToFirstTokenMs = blend(current.timeToFirstTokenMs, measurement.timeToFirstTokenMs, this.weight)
    }
    if (measurement.outputTokens !== undefined) {
      next.outputTokens = blend(current.outputTokens, measurement.outputTokens, this.weight)
      const generationMs = measurement.latencyMs - (measurement.timeToFirstTokenMs ?? 0)
      if (measurement.outputTokens > 0 && generationMs > 0) {
        next.tokensPerSecond = blend(current.tokensPerSecond, (measurement.outputTokens * 1000) / generationMs, this.weight)
      }
    }
    this.stats.set(id, next)
  }

  get(id: string): ModelStatsSnapshot | undefined {
    return this.stats.get(id)
  }
}
