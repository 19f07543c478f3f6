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

export interface ModelStatsOptions {
  /** The most models measured at once; the least recently measured goes first. Default 1 000. */
  maxModels?: number
  /** Measurements older than this are forgotten, in ms. Default 3 600 000 (an hour). */
  maxAgeMs?: number
}

interface Entry {
  snapshot: ModelStatsSnapshot
  updatedAt: number
}

/**
 * Live per-model measurements of this router's own calls. Bounded: model ids come from callers,
 * so the table keeps the most recently measured models, and a measurement goes stale with age.
 */
export class ModelStats implements StatsService {
  /** In order of last measurement, oldest first (a Map keeps insertion order). */
  private readonly stats = new Map<string, Entry>()
  private readonly maxModels: number
  private readonly maxAgeMs: number

  /** `weight` is how much a new sample counts (0..1): 0.2 follows change within ~10 calls. */
  constructor(
    private readonly weight = 0.2,
    options: ModelStatsOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.maxModels = options.maxModels ?? 1_000
    this.maxAgeMs = options.maxAgeMs ?? 3_600_000
  }

  /** How many models are measured right now. */
  get size(): number {
    return this.stats.size
  }

  record(id: string, measurement: ModelMeasurement): void {
    const current = this.get(id) ?? { samples: 0 }
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
    // Re-inserted, so the Map's order stays the order of last measurement.
    this.stats.delete(id)
    this.stats.set(id, { snapshot: next, updatedAt: this.now() })
    if (this.stats.size > this.maxModels) this.stats.delete(this.stats.keys().next().value!)
  }

  get(id: string): ModelStatsSnapshot | undefined {
    const entry = this.stats.get(id)
    if (!entry) return undefined
    if (this.now() - entry.updatedAt > this.maxAgeMs) {
      this.stats.delete(id)
      return undefined
    }
    return entry.snapshot
  }
}
