import type { ModelCapabilities } from '../../spec/provider-adapter.js'

// Claude models older than 3.7 have no extended thinking. Unknown (newer) names are assumed to
// have it, since every Claude model released since 3.7 does.
const withoutThinking = /^claude-(instant|2|3-(?!7)|3$)/

// Native structured output (`output_config.format`) arrived with Claude Sonnet 4.5 and Opus 4.1;
// the models before them (Claude 3.x, Sonnet 4 and Opus 4, dated `-20250514` or, on Vertex AI, `@20250514`) get the forced-tool emulation.
const withoutNativeStructuredOutput = /^claude-(instant|2|3)|^claude-(sonnet|opus)-4(-0)?([-@]\d{8})?$/

export function supportsThinking(model: string): boolean {
  return !withoutThinking.test(model)
}

export function supportsNativeStructuredOutput(model: string): boolean {
  return !withoutNativeStructuredOutput.test(model)
}

/** What a Claude model can do; the context window comes from the price catalog. */
export function anthropicCapabilities(model: string): Partial<ModelCapabilities> {
  return { tools: true, vision: true, json_schema: true, reasoning: supportsThinking(model) }
}
