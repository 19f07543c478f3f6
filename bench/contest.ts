// The side-by-side harness the benchmarks share: every contender runs once per round, in a freshly
// shuffled order, so drift in a shared machine and the position in a round (who runs right after
// whose garbage) hit every contender alike. Warm-up rounds first, then three repetitions; each
// repetition gives one median per contender, and the figures are the median of those medians with
// their spread (lowest and highest repetition). Ratios are taken per repetition, within it.
import { median } from './statistics.js'

/** What a contender may report while it runs: when its first token arrived (streams). */
export interface Sample {
  firstToken(): void
}

export interface Contender {
  readonly name: string
  run(sample: Sample): Promise<unknown>
}

/**
 * Warm-up rounds before a steady-state contest: V8 optimizes a function once it has run enough of
 * its bytecode, so code a feature runs once per call stays in V8's baseline tier for its first
 * thousand or more calls (the spend guard's functions were seen optimized between their ~600th and
 * ~2,800th call with `--trace-opt`), while the router core that every router contender shares gets
 * there in a fraction of the rounds. A contest after 200 rounds therefore compares a feature's
 * unoptimized code with an optimized core — what a process's first few thousand calls pay; after
 * this many it compares the two as a server runs them.
 */
export const steadyStateWarmupRounds = 5_000

export interface ContestOptions {
  warmupRounds: number
  /** Measured rounds per repetition. */
  rounds: number
  repetitions?: number
  /** Seed of the shuffle, so a run can be repeated in the same order. */
  seed?: number
}

/** A figure over the repetitions: the median of their medians, and the lowest and highest of them. */
export interface Spread {
  readonly median: number
  readonly low: number
  readonly high: number
}

/** Per contender, per repetition: the median of each measure. */
export interface ContenderFigures {
  /** Wall time of a call, µs. */
  readonly latency: number[]
  /** CPU time of this process over a call, µs (the upstream and any gateway run in other processes). */
  readonly cpu: number[]
  /** Wall time to the first token, µs; empty when the contender never reports one. */
  readonly firstToken: number[]
}

export type ContestResult = Map<string, ContenderFigures>

/** xorshift32: a small seeded generator, so shuffles are reproducible. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 0x9e3779b9
  return () => {
    state ^= state << 13
    state >>>= 0
    state ^= state >>> 17
    state ^= state << 5
    state >>>= 0
    return state / 0x1_0000_0000
  }
}

function shuffle<Item>(items: readonly Item[], next: () => number): Item[] {
  const shuffled = [...items]
  for (let index = shuffled.length - 1; index > 0; index -= 1) {
    const other = Math.floor(next() * (index + 1))
    ;[shuffled[index], shuffled[other]] = [shuffled[other]!, shuffled[index]!]
  }
  return shuffled
}

interface RawSamples {
  latency: number[]
  cpu: number[]
  firstToken: number[]
}

async function runOnce(contender: Contender, into: RawSamples | undefined): Promise<void> {
  let firstTokenAt: number | undefined
  const sample: Sample = { firstToken: () => void (firstTokenAt ??= performance.now()) }
  const cpuBefore = process.cpuUsage()
  const started = performance.now()
  await contender.run(sample)
  const ended = performance.now()
  const cpu = process.cpuUsage(cpuBefore)
  if (!into) return
  into.latency.push((ended - started) * 1000)
  into.cpu.push(cpu.user + cpu.system)
  if (firstTokenAt !== undefined) into.firstToken.push((firstTokenAt - started) * 1000)
}

export async function runContest(contenders: readonly Contender[], options: ContestOptions): Promise<ContestResult> {
  const next = random(options.seed ?? 20_261_130)
  const repetitions = options.repetitions ?? 3
  for (let round = 0; round < options.warmupRounds; round += 1) {
    for (const contender of shuffle(contenders, next)) await runOnce(contender, undefined)
  }
  const result: ContestResult = new Map(contenders.map((contender) => [contender.name, { latency: [], cpu: [], firstToken: [] }]))
  for (let repetition = 0; repetition < repetitions; repetition += 1) {
    const raw = new Map<string, RawSamples>(contenders.map((contender) => [contender.name, { latency: [], cpu: [], firstToken: [] }]))
    for (let round = 0; round < options.rounds; round += 1) {
      for (const contender of shuffle(contenders, next)) await runOnce(contender, raw.get(contender.name))
    }
    for (const [name, samples] of raw) {
      const figures = result.get(name)!
      figures.latency.push(median(samples.latency))
      figures.cpu.push(median(samples.cpu))
      if (samples.firstToken.length > 0) figures.firstToken.push(median(samples.firstToken))
    }
  }
  return result
}

export function spreadOf(values: readonly number[]): Spread {
  return { median: median(values), low: Math.min(...values), high: Math.max(...values) }
}

/** Per repetition `pick(contender) / pick(baseline)`, over the repetitions. */
export function ratioOf(result: ContestResult, name: string, baseline: string, measure: keyof ContenderFigures = 'latency'): Spread {
  const own = result.get(name)![measure]
  const base = result.get(baseline)![measure]
  return spreadOf(own.map((value, index) => value / base[index]!))
}

/** Per repetition `pick(contender) − pick(baseline)`, over the repetitions. */
export function differenceOf(result: ContestResult, name: string, baseline: string, measure: keyof ContenderFigures): Spread {
  const own = result.get(name)![measure]
  const base = result.get(baseline)![measure]
  return spreadOf(own.map((value, index) => value - base[index]!))
}

/** `1.07 (1.05–1.09)` */
export function formatSpread(spread: Spread, digits: number, unit = ''): string {
  return `${spread.median.toFixed(digits)}${unit} (${spread.low.toFixed(digits)}–${spread.high.toFixed(digits)})`
}

/** `met` / `MISSED`, on the median of the repetitions. */
export function verdict(value: number, target: number): string {
  return value <= target ? 'met' : 'MISSED'
}
