/**
 * `gen_ai.provider.name` values the conventions define, by Switchyard provider id. Any other id
 * (an OpenAI-compatible host named by the user) is reported as it is.
 */
const conventionNames: Readonly<Record<string, string>> = {
  openai: 'openai',
  anthropic: 'anthropic',
  google: 'gcp.gemini',
  gemini: 'gcp.gemini',
  vertex: 'gcp.vertex_ai',
  mistral: 'mistral_ai',
  groq: 'groq',
  deepseek: 'deepseek',
  xai: 'x_ai',
  perplexity: 'perplexity',
  cohere: 'cohere',
  bedrock: 'aws.bedrock',
}

export function providerName(providerId: string): string {
  return conventionNames[providerId] ?? providerId
}
