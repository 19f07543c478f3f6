/** What distinguishes one OpenAI-compatible host from another. */
export interface CompatiblePreset {
  baseURL: string
  /** Environment variable the key defaults to; absent for hosts that need no key. */
  apiKeyEnv?: string
  /** Provider id in the price catalog, when the catalog prices this host. */
  catalogId?: string
  embeddings: boolean
}

export const compatiblePresets = {
  xai: { baseURL: 'https://api.x.ai/v1', apiKeyEnv: 'XAI_API_KEY', catalogId: 'x-ai', embeddings: false },
  deepinfra: { baseURL: 'https://api.deepinfra.com/v1/openai', apiKeyEnv: 'DEEPINFRA_API_KEY', embeddings: true },
  cerebras: { baseURL: 'https://api.cerebras.ai/v1', apiKeyEnv: 'CEREBRAS_API_KEY', catalogId: 'cerebras', embeddings: false },
  together: { baseURL: 'https://api.together.xyz/v1', apiKeyEnv: 'TOGETHER_API_KEY', catalogId: 'together', embeddings: true },
  fireworks: { baseURL: 'https://api.fireworks.ai/inference/v1', apiKeyEnv: 'FIREWORKS_API_KEY', catalogId: 'fireworks', embeddings: true },
  deepseek: { baseURL: 'https://api.deepseek.com/v1', apiKeyEnv: 'DEEPSEEK_API_KEY', catalogId: 'deepseek', embeddings: false },
  openrouter: { baseURL: 'https://openrouter.ai/api/v1', apiKeyEnv: 'OPENROUTER_API_KEY', catalogId: 'openrouter', embeddings: false },
  ollama: { baseURL: 'http://localhost:11434/v1', embeddings: true },
  vllm: { baseURL: 'http://localhost:8000/v1', embeddings: true },
} satisfies Record<string, CompatiblePreset>

export type CompatiblePresetName = keyof typeof compatiblePresets
