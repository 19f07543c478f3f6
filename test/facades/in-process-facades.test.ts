import { describe, expect, it, vi } from 'vitest'
import { AbortedError, createRouter, fallback, InvalidRequestError, mockProvider, RateLimitError, type ModelRequest } from '../../src/index.js'
import { openAISchemaErrors, openAIUsageKeys } from './openai-schemas.js'

function setup() {
  const provider = mockProvider({
    id: 'mock',
    models: {
      chat: { text: 'Plain answer', usage: { inputTokens: 3, outputTokens: 2 } },
      long: { text: 'one two three four five six', chunkDelayMs: 5_000 },
      limited: { error: 'rate_limit', retryAfterMs: 1000 },
      cut: { text: 'ran out of room', finishReason: 'length' },
    },
  })
  const router = createRouter({ providers: [provider], prices: { 'mock/chat': { input: 1, output: 1 } }, routes: { main: 'mock/chat', limited: fallback(['mock/limited'], { retries: 0 }) } })
  return { router, provider }
}

const hello = [{ role: 'user' as const, content: 'Hi' }]

describe('router.openai in-process', () => {
  it('create returns a schema-valid completion with cost and route', async () => {
    const { router } = setup()
    const completion = await router.openai.chat.completions.create({ model: 'main', messages: hello })
    expect(openAISchemaErrors('CreateChatCompletionResponse', completion)).toEqual([])
    expect(Object.keys(completion.usage).sort()).toEqual(openAIUsageKeys)
    expect(completion.cost.total).toBeCloseTo(5e-6, 12)
    expect(completion.route.name).toBe('main')
  })

  it('forwards OpenAI-only fields to the openai provider only, and rejects what the router cannot honour', async () => {
    const { router, provider } = setup()
    await router.openai.chat.completions.create({ model: 'main', messages: hello, store: true, service_tier: 'flex', logit_bias: { '42': -100 } })
    expect((provider.calls[0]!.request as ModelRequest).provider_options).toEqual({ openai: { store: true, service_tier: 'flex', logit_bias: { '42': -100 } } })
    for (const extra of [{ n: 3 }, { logprobs: true }, { functions: [{ name: 'f' }] }, { modalities: ['text', 'audio'] }]) {
      await expect(router.openai.chat.completions.create({ model: 'main', messages: hello, ...extra })).rejects.toBeInstanceOf(InvalidRequestError)
    }
    expect(provider.calls).toHaveLength(1)
  })

  it('a stream rejects at create() when the call fails before its first token', async () => {
    const { router } = setup()
    await expect(router.openai.chat.completions.create({ model: 'limited', messages: hello, stream: true })).rejects.toBeInstanceOf(RateLimitError)
  })

  it("aborting the stream's controller cancels the provider call", async () => {
    const { router, provider } = setup()
    const stream = await router.openai.chat.completions.create({ model: 'mock/long', messages: hello, stream: true })
    const received: string[] = []
    const iteration = (async () => {
      for await (const chunk of stream) {
        received.push(chunk.choices[0]?.delta.content ?? '')
        stream.controller.abort()
      }
    })()
    await expect(iteration).rejects.toBeInstanceOf(AbortedError)
    expect(received).toEqual(['one '])
    await vi.waitFor(() => expect(provider.calls[0]!.signal.aborted).toBe(true))
  })

  it('embeddings as float or as base64 little-endian float32', async () => {
    const { router } = setup()
    const floats = await router.openai.embeddings.create({ model: 'mock/chat', input: 'Zebra crossing' })
    const packed = await router.openai.embeddings.create({ model: 'mock/chat', input: 'Zebra crossing', encoding_format: 'base64' })
    const bytes = Uint8Array.from(atob(packed.data[0]!.embedding as string), (character) => character.charCodeAt(0))
    const decoded = Array.from(new Float32Array(bytes.buffer))
    const expected = floats.data[0]!.embedding as number[]
    expect(expected.some((value) => value !== 0)).toBe(true)
    decoded.forEach((value, index) => expect(value).toBeCloseTo(expected[index]!, 6))
    await expect(router.openai.embeddings.create({ model: 'mock/chat', input: 'x', encoding_format: 'hex' as 'float' })).rejects.toBeInstanceOf(InvalidRequestError)
  })

  it('models.retrieve knows routes and declared models; a provider with a models list serves nothing else', async () => {
    const { router } = setup()
    expect(await router.openai.models.retrieve('main')).toMatchObject({ id: 'main', owned_by: 'switchyard' })
    expect(await router.openai.models.retrieve('mock/cut')).toMatchObject({ id: 'mock/cut', owned_by: 'mock' })
    const error = await router.openai.models.retrieve('mock/anything').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(InvalidRequestError)
    expect((error as InvalidRequestError).status).toBe(404)
  })
})

describe('router.anthropic in-process', () => {
  it('create returns an Anthropic message; max_tokens cut-off is stop_reason max_tokens', async () => {
    const { router } = setup()
    const message = await router.anthropic.messages.create({ model: 'mock/cut', max_tokens: 5, messages: hello })
    expect(message.stop_reason).toBe('max_tokens')
    expect(message.content).toEqual([{ type: 'text', text: 'ran out of room' }])
  })

  it('a stream yields the Anthropic events, message_delta carrying usage, cost and route', async () => {
    const { router } = setup()
    const stream = await router.anthropic.messages.create({ model: 'main', max_tokens: 50, messages: hello, stream: true })
    const events = []
    for await (const event of stream) events.push(event)
    expect(events.map((event) => event.type)).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop'])
    const closing = events.find((event) => event.type === 'message_delta')!
    expect(closing).toMatchObject({ delta: { stop_reason: 'end_turn' }, usage: { input_tokens: 3, output_tokens: 2 }, route: { name: 'main' } })
    expect((closing as { cost: { total: number } }).cost.total).toBeCloseTo(5e-6, 12)
  })

  it('bad Anthropic input is an InvalidRequestError that names the field', async () => {
    const { router } = setup()
    await expect(router.anthropic.messages.create({ model: 'main', max_tokens: 0, messages: hello })).rejects.toThrow(/max_tokens/)
    await expect(
      router.anthropic.messages.create({ model: 'main', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: '' }] }] } as never),
    ).rejects.toThrow(/tool_use_id/)
  })
})
