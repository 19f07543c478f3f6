import type { Candidate, StrategyContext } from '../spec/strategy.js'

export interface HealthSplit {
  healthy: Candidate[]
  coolingDown: Candidate[]
}

/**
 * Splits candidates by the router's shared health and reports each cooling-down one as skipped.
 * What a strategy does with the cooling-down ones (try them last, or not at all) is its choice.
 */
export function splitByHealth(context: StrategyContext, candidates: readonly Candidate[]): HealthSplit {
  const split: HealthSplit = { healthy: [], coolingDown: [] }
  for (const candidate of candidates) {
    if (!context.services.health.isCoolingDown(candidate.id)) {
      split.healthy.push(candidate)
      continue
    }
    split.coolingDown.push(candidate)
    context.services.events.emit({ type: 'candidate-skipped', provider: candidate.provider, model: candidate.model, reason: 'cooling-down', routeName: context.routeName })
  }
  return split
}
