import { describe, expect, it } from 'vitest'
import { anthropic } from '../../../src/index.js'

describe('anthropic()', () => {
  it('is the anthropic provider, priced from the anthropic catalog', () => {
    const adapter = anthropic({ apiKey: 'unused-key-for-test', models: ['claude-sonnet-4-5'] })
    expect(adapter.id).toBe('anthropic')
    expect(adapter.catalogId).toBe('anthropic')
    expect(adapter.models).toEqual(['claude-sonnet-4-5'])
  })

  it('reports reasoning only for models with extended thinking', () => {
    const adapter = anthropic({ apiKey: 'unused-key-for-test' })
    expect(adapter.capabilities!('claude-sonnet-4-5')).toMatchObject({ tools: true, vision: true, json_schema: true, reasoning: true })
    expect(adapter.capabilities!('claude-3-7-sonnet-latest').reasoning).toBe(true)
    expect(adapter.capabilities!('claude-opus-4-1-20250805').reasoning).toBe(true)
    expect(adapter.capabilities!('claude-3-5-haiku-latest').reasoning).toBe(false)
    expect(adapter.capabilities!('claude-3-haiku-20240307').reasoning).toBe(false)
  })
})
