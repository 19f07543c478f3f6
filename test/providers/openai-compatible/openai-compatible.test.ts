import { afterEach, describe, expect, it, vi } from 'vitest'
import { compatiblePresets, ConfigurationError, createRouter, openaiCompatible, type CompatiblePresetName } from '../../../src/index.js'
import { useMswServer } from '../../helpers/msw.js'
import { completionResponse, serveChatCompletions } from '../../helpers/openai-handlers.js'

const server = useMswServer()

afterEach(() => vi.unstubAllEnvs())

// Written out by hand (not read from the presets) so a wrong URL or variable in the presets fails here.
const expectedHosts: Record<CompatiblePresetName, { baseURL: string; apiKeyEnv?: string }> = {
  xai: { baseURL: 'https://api.x.ai/v1', apiKeyEnv: 'XAI_API_KEY' },
  deepinfra: { baseURL: 'https://api.deepinfra.com/v1/openai', apiKeyEnv: 'DEEPINFRA_API_KEY' },
  cerebras: { baseURL: 'https://api.cerebras.ai/v1', apiKeyEnv: 'CEREBRAS_API_KEY' },
  together: { baseURL: 'https://api.together.xyz/v1', apiKeyEnv: 'TOGETHER_API_KEY' },
  fireworks: { baseURL: 'https://api.fireworks.ai/inference/v1', apiKeyEnv: 'FIREWORKS_API_KEY' },
  deepseek: { baseURL: 'https://api.deepseek.com/v1', apiKeyEnv: 'DEEPSEEK_API_KEY' },
  openrouter: { baseURL: 'https://openrouter.ai/api/v1', apiKeyEnv: 'OPENROUTER_API_KEY' },
  ollama: { baseURL: 'http://localhost:11434/v1' },
  vllm: { baseURL: 'http://localhost:8000/v1' },
}

describe('openaiCompatible presets', () => {
  it('covers every preset the issue names', () => {
    expect(Object.keys(compatiblePresets).sort()).toEqual(Object.keys(expectedHosts).sort())
  })

  for (const [preset, host] of Object.entries(expectedHosts) as Array<[CompatiblePresetName, (typeof expectedHosts)[CompatiblePresetName]]>) {
    it(`${preset}: sends to ${host.baseURL} with ${host.apiKeyEnv ?? 'no key'} and max_tokens`, async () => {
      const key = `sk-${preset}-env-key-0123456789`
      if (host.apiKeyEnv) vi.stubEnv(host.apiKeyEnv, key)
      const captured = serveChatCompletions(server, () => completionResponse({ content: `hello from ${preset}` }), host.baseURL)
      const router = createRouter({ providers: [openaiCompatible({ id: preset })] })
      const result = await router.chat({ model: `${preset}/some-model`, messages: [{ role: 'user', content: 'hi' }], max_tokens: 64 })

      expect(result.choices[0]!.message.content).toBe(`hello from ${preset}`)
      expect(result.route.provider).toBe(preset)
      expect(captured).toHaveLength(1)
      expect(captured[0]!.url).toBe(`${host.baseURL}/chat/completions`)
      expect(captured[0]!.body.model).toBe('some-model')
      expect(captured[0]!.body.max_tokens).toBe(64)
      expect(captured[0]!.body).not.toHaveProperty('max_completion_tokens')
      if (host.apiKeyEnv) expect(captured[0]!.headers.get('authorization')).toBe(`Bearer ${key}`)
    })
  }

  it('a preset whose key variable is unset fails at createRouter, naming the variable', () => {
    vi.stubEnv('DEEPSEEK_API_KEY', '')
    expect(() => createRouter({ providers: [openaiCompatible({ id: 'deepseek' })] })).toThrow(ConfigurationError)
    expect(() => createRouter({ providers: [openaiCompatible({ id: 'deepseek' })] })).toThrow(/DEEPSEEK_API_KEY/)
  })

  it('ollama and vllm need no key', () => {
    expect(() => createRouter({ providers: [openaiCompatible({ id: 'ollama' }), openaiCompatible({ id: 'vllm' })] })).not.toThrow()
  })

  it('an explicit apiKey, baseURL and headers override the preset', async () => {
    const captured = serveChatCompletions(server, () => completionResponse({ content: 'proxied' }), 'https://proxy.example.com/v1')
    const router = createRouter({
      providers: [openaiCompatible({ id: 'together', apiKey: 'tgp-explicit-key-0123', baseURL: 'https://proxy.example.com/v1', headers: { 'x-team': 'search' } })],
    })
    await router.chat({ model: 'together/meta-llama/Llama-3.3-70B-Instruct-Turbo', messages: [{ role: 'user', content: 'hi' }] })
    expect(captured[0]!.headers.get('authorization')).toBe('Bearer tgp-explicit-key-0123')
    expect(captured[0]!.headers.get('x-team')).toBe('search')
    // Model names may themselves contain "/": only the first one separates the provider.
    expect(captured[0]!.body.model).toBe('meta-llama/Llama-3.3-70B-Instruct-Turbo')
  })

  it('a custom host needs a baseURL; with one it works', async () => {
    expect(() => openaiCompatible({ id: 'my-host' })).toThrow(ConfigurationError)
    expect(() => openaiCompatible({ id: 'my-host' })).toThrow(/baseURL/)
    const captured = serveChatCompletions(server, () => completionResponse({ content: 'custom' }), 'https://llm.internal.example/v1')
    const router = createRouter({ providers: [openaiCompatible({ id: 'my-host', baseURL: 'https://llm.internal.example/v1', apiKey: 'custom-key-123456' })] })
    const result = await router.chat({ model: 'my-host/qwen', messages: [{ role: 'user', content: 'hi' }] })
    expect(result.choices[0]!.message.content).toBe('custom')
    expect(captured[0]!.headers.get('authorization')).toBe('Bearer custom-key-123456')
  })

  it('a custom host with apiKeyEnv fails at createRouter when that variable is unset', () => {
    vi.stubEnv('MY_HOST_KEY', '')
    expect(() => createRouter({ providers: [openaiCompatible({ id: 'my-host', baseURL: 'https://llm.internal.example/v1', apiKeyEnv: 'MY_HOST_KEY' })] })).toThrow(
      /MY_HOST_KEY/,
    )
  })
})
