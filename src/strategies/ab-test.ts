import { ConfigurationError } from '../errors/errors.js'
import { lazyPart } from '../internal/lazy-part.js'
import type { AbTestOptions, VariantDefinition } from './ab-test-options.js'
import type { AbTestSetup } from './ab-test-runner.js'
import { fallback } from './fallback.js'
import { judgeModel } from './judge.js'
import type { Strategy } from '../spec/strategy.js'

const abTestCode = /* @__PURE__ */ lazyPart('the abTest strategy', () => import('./ab-test-runner.js'))

export type { AbTestOptions, VariantDefinition }

function variantStrategy(definition: VariantDefinition): Strategy {
  if (typeof definition === 'string') return fallback([definition])
  if ('run' in definition) return definition
  return fallback(definition)
}

function validate(options: AbTestOptions): void {
  const names = Object.keys(options.variants ?? {})
  if (names.length < 2) throw new ConfigurationError('abTest needs at least two variants: abTest({ variants: { a: "openai/gpt-4o", b: "anthropic/claude-sonnet-4-5" }, judge }).')
  for (const [name, weight] of Object.entries(options.weights ?? {})) {
    if (!names.includes(name)) throw new ConfigurationError(`abTest: weights.${name} names no variant (variants: ${names.join(', ')}).`)
    if (!(weight >= 0) || !Number.isFinite(weight)) throw new ConfigurationError(`abTest: weights.${name} must be a non-negative number.`)
  }
  if (names.every((name) => (options.weights?.[name] ?? 1) === 0)) throw new ConfigurationError('abTest: at least one variant needs a weight above 0.')
  const sampleRate = options.sampleRate ?? 0.1
  if (!(sampleRate >= 0 && sampleRate <= 1)) throw new ConfigurationError('abTest: sampleRate must be between 0 and 1.')
  if (sampleRate > 0 && !options.judge) throw new ConfigurationError("abTest: judged sampling needs a judge model: abTest({ ..., judge: 'openai/gpt-4o-mini' }), or sampleRate: 0.")
}

/**
 * `abTest({ variants, weights, judge, sampleRate, assignBy, promote })`: assigns each call to a
 * variant by weight, sticky per key (the request's `user` by default). On a sample of calls another
 * variant runs too, and once the caller has its answer, off the hot path, a judge compares the two
 * answers in both orders (to cancel position bias). `router.experiments()` reports the results.
 */
export function abTest(options: AbTestOptions): Strategy {
  validate(options)
  const names = Object.keys(options.variants)
  const strategies = new Map(names.map((name) => [name, variantStrategy(options.variants[name]!)]))
  const setup: AbTestSetup = { options, names, strategies, random: options.random ?? Math.random, sampleRate: options.sampleRate ?? 0.1 }
  const variantModels = new Set([...strategies.values()].flatMap((strategy) => strategy.models))
  const models = [...variantModels, ...(options.judge ? [judgeModel(options.judge)] : [])]

  return {
    specificationVersion: 'v1',
    name: 'abTest',
    models,
    readsPricesBeforeAttempts: false,
    run(context) {
      const code = abTestCode.loaded
      if (code) return code.runAbTest(setup, context)
      return abTestCode.load().then((loaded) => loaded.runAbTest(setup, context))
    },
  }
}
