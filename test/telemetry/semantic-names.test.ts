import * as incubating from '@opentelemetry/semantic-conventions/incubating'
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions'
import { describe, expect, it } from 'vitest'
import { errorType, genAi, genAiMetrics } from '../../src/telemetry/semantic-attributes.js'
import { providerName } from '../../src/telemetry/provider-names.js'

const conventionValues = new Set<unknown>(Object.values(incubating))

describe('names copied from the GenAI semantic conventions', () => {
  it('every gen_ai attribute and metric name is one the conventions package defines', () => {
    for (const name of [...Object.values(genAi), ...Object.values(genAiMetrics)]) {
      const constant = Object.entries(incubating).find(([key, value]) => value === name && (key.startsWith('ATTR_GEN_AI_') || key.startsWith('METRIC_GEN_AI_')))
      expect(constant, name).toBeDefined()
    }
    expect(errorType).toBe(ATTR_ERROR_TYPE)
  })

  it('provider names map to the conventions\' well-known values', () => {
    expect(providerName('openai')).toBe(incubating.GEN_AI_PROVIDER_NAME_VALUE_OPENAI)
    expect(providerName('anthropic')).toBe(incubating.GEN_AI_PROVIDER_NAME_VALUE_ANTHROPIC)
    expect(providerName('google')).toBe(incubating.GEN_AI_PROVIDER_NAME_VALUE_GCP_GEMINI)
    expect(providerName('mistral')).toBe(incubating.GEN_AI_PROVIDER_NAME_VALUE_MISTRAL_AI)
    expect(providerName('groq')).toBe(incubating.GEN_AI_PROVIDER_NAME_VALUE_GROQ)
    expect(providerName('xai')).toBe(incubating.GEN_AI_PROVIDER_NAME_VALUE_X_AI)
    expect(providerName('deepseek')).toBe(incubating.GEN_AI_PROVIDER_NAME_VALUE_DEEPSEEK)
    // Not in the conventions: reported under the id the user gave it.
    expect(providerName('deepinfra')).toBe('deepinfra')
    expect(conventionValues.has('deepinfra')).toBe(false)
  })
})
