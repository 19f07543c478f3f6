import { describe, expect, it } from 'vitest'
import { createRouter, InvalidRequestError, openai, type ChatChunk } from '../../../src/index.js'
import { answerResponseFormat, clockTool, clockToolOnOpenAIWire, imageQuestion, imageQuestionOnOpenAIWire, samplingParameters, weatherAndTimeConversation, weatherAndTimeConversationOnOpenAIWire, weatherTool, weatherToolOnOpenAIWire } from '../../helpers/chat-fixtures.js'
import { useMswServer } from '../../helpers/msw.js'
import { chunk, completion, completionResponse, serveChatCompletions, serveHangingChatCompletions, testApiKey } from '../../helpers/openai-handlers.js'
import { sseResponse } from '../../helpers/recordings.js'

const server = useMswServer()

function router() {
  return createRouter({ providers: [openai({ apiKey: testApiKey })] })
}

describe('openai adapter: request translation (the body the SDK sends)', () => {
  it('sends system, multi-turn with tool results, tools and sampling parameters, and strips our extensions', async () => {
    const captured = serveChatCompletions(server, () => completionResponse({ content: 'Sunny in Paris.' }))
    const messages = weatherAndTimeConversation({
      providerData: { signature: 'opaque' },
      timeResult: [{ type: 'text', text: '14:05', cache_control: { type: 'ephemeral', ttl: '1h' } }],
    })
    await router().chat({
      model: 'openai/gpt-4o',
      messages,
      tools: [weatherTool, clockTool],
      tool_choice: 'auto',
      parallel_tool_calls: true,
      ...samplingParameters,
      max_tokens: 256,
      seed: 7,
      user: 'user-42',
    })

    expect(captured).toHaveLength(1)
    const body = captured[0]!.body
    expect(body).toEqual({
      model: 'gpt-4o',
      stream: false,
      messages: weatherAndTimeConversationOnOpenAIWire([{ type: 'text', text: '14:05' }]),
      // A tool without arguments still gets an (empty) object schema.
      tools: [weatherToolOnOpenAIWire, clockToolOnOpenAIWire],
      tool_choice: 'auto',
      parallel_tool_calls: true,
      ...samplingParameters,
      // OpenAI itself wants max_completion_tokens (max_tokens is deprecated and refused by o-series models).
      max_completion_tokens: 256,
      seed: 7,
      user: 'user-42',
    })
    expect(JSON.stringify(body)).not.toMatch(/cache_control|provider_data|reasoning/)
  })

  it('sends image inputs as image_url parts', async () => {
    const captured = serveChatCompletions(server, () => completionResponse({ content: 'A cat.' }))
    await router().chat({
      model: 'openai/gpt-4o',
      messages: [imageQuestion],
    })
    expect(captured[0]!.body.messages).toEqual([imageQuestionOnOpenAIWire])
  })

  it('sends json_object and json_schema response formats as given', async () => {
    const captured = serveChatCompletions(server, () => completionResponse({ content: '{"answer":42}' }))
    await router().chat({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'json please' }], response_format: { type: 'json_object' } })
    await router().chat({
      model: 'openai/gpt-4o',
      messages: [{ role: 'user', content: 'json please' }],
      response_format: answerResponseFormat,
    })
    expect(captured[0]!.body.response_format).toEqual({ type: 'json_object' })
    expect(captured[1]!.body.response_format).toEqual(answerResponseFormat)
  })

  it('accepts max_completion_tokens as the max tokens field and merges provider_options for openai only', async () => {
    const captured = serveChatCompletions(server, () => completionResponse({ content: 'ok' }))
    await router().chat({
      model: 'openai/gpt-4o',
      messages: [{ role: 'user', content: 'hi' }],
      max_completion_tokens: 99,
      provider_options: { openai: { service_tier: 'flex', logit_bias: { '50256': -100 } }, anthropic: { thinking: { type: 'enabled' } } },
    })
    const body = captured[0]!.body
    expect(body.max_completion_tokens).toBe(99)
    expect(body).not.toHaveProperty('max_tokens')
    expect(body.service_tier).toBe('flex')
    expect(body.logit_bias).toEqual({ '50256': -100 })
    expect(body).not.toHaveProperty('thinking')
    expect(body).not.toHaveProperty('provider_options')
  })

  it('never lets provider_options replace what the router set: the routed model, n, max tokens, a sampling field', async () => {
    const captured = serveChatCompletions(server, () => completionResponse({ content: 'ok' }))
    const base = { model: 'openai/gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }] }
    for (const smuggled of [{ model: 'gpt-4o' }, { n: 5 }, { max_completion_tokens: 100_000 }, { stream_options: { include_usage: false } }]) {
      const error = await router().chat({ ...base, provider_options: { openai: smuggled } }).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(InvalidRequestError)
      expect((error as Error).message).toContain(`provider_options.openai.${Object.keys(smuggled)[0]}`)
    }
    // A field the router set from the request itself cannot be replaced either.
    const sampling = await router().chat({ ...base, temperature: 0.2, provider_options: { openai: { temperature: 1.9 } } }).catch((caught: unknown) => caught)
    expect(sampling).toBeInstanceOf(InvalidRequestError)
    expect(captured).toHaveLength(0)
    await router().chat({ ...base, temperature: 0.2, provider_options: { openai: { service_tier: 'flex' } } })
    expect(captured[0]!.body).toMatchObject({ model: 'gpt-4o-mini', temperature: 0.2, service_tier: 'flex' })
  })

  it('passes the call AbortSignal to the SDK: aborting cancels the in-flight HTTP request', async () => {
    const { captured, arrived } = serveHangingChatCompletions(server)
    const controller = new AbortController()
    const pending = router().chat({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }] }, { signal: controller.signal })
    await arrived
    const requestSignal = captured[0]!.signal
    expect(requestSignal.aborted).toBe(false)
    controller.abort()
    await expect(pending).rejects.toMatchObject({ name: 'AbortedError', code: 'aborted' })
    expect(requestSignal.aborted).toBe(true)
  })
})

describe('openai adapter: a ready-made client', () => {
  it('is used as given, with the SDK retries off, the call signal (when one can fire) and a time limit left to the router', async () => {
    const calls: Array<{ body: any; options: any }> = []
    const client = {
      chat: {
        completions: {
          async create(body: any, options: any) {
            calls.push({ body, options })
            return completion({ content: 'from my client' })
          },
        },
      },
      embeddings: { create: async () => ({}) },
    }
    const router = createRouter({ providers: [openai({ client })] })
    const result = await router.chat({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }] })
    expect(result.choices[0]!.message.content).toBe('from my client')
    expect(calls[0]!.options.maxRetries).toBe(0)
    // An hour: the SDK's ten-minute default must not end an attempt before the router's timeoutMs does.
    expect(calls[0]!.options.timeout).toBe(60 * 60 * 1000)
    // Without a caller's signal, timeout or racing strategy nothing can abort the call: no signal to listen to.
    expect(calls[0]!.options.signal).toBeUndefined()
    // With one, the SDK gets a signal that fires when the caller aborts mid-call.
    const waiting = {
      chat: { completions: { create: (_body: unknown, options: { signal: AbortSignal }) => new Promise((_resolve, reject) => options.signal.addEventListener('abort', () => reject(options.signal.reason))) } },
      embeddings: { create: async () => ({}) },
    }
    const caller = new AbortController()
    const pending = createRouter({ providers: [openai({ client: waiting })] }).chat({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }] }, { signal: caller.signal })
    setTimeout(() => caller.abort(), 5)
    await expect(pending).rejects.toMatchObject({ code: 'aborted' })
  })
})

describe('openai adapter: tool calls in responses', () => {
  it('parses parallel tool calls and a call without arguments', async () => {
    serveChatCompletions(server, () =>
      completionResponse(
        {
          content: null,
          tool_calls: [
            { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '' } },
          ],
        },
        { finishReason: 'tool_calls' },
      ),
    )
    const result = await router().chat({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'go' }], tools: [weatherTool, clockTool] })
    const message = result.choices[0]!.message
    expect(result.choices[0]!.finish_reason).toBe('tool_calls')
    expect(message.content).toBeNull()
    expect(message.tool_calls).toEqual([
      { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      // An empty argument string is normalised to "{}", so JSON.parse on it always works.
      { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{}' } },
    ])
  })

  it('assembles streamed tool-call arguments of parallel calls, chunks and final result alike', async () => {
    const stream = [
      chunk({ role: 'assistant', content: null }),
      chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"ci' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: 'ty":"Par' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: 'is"}' } }] }),
      chunk({}, 'tool_calls'),
      chunk({}, 'usage-only', { prompt_tokens: 30, completion_tokens: 12, total_tokens: 42 }),
    ]
    serveChatCompletions(server, () => sseResponse(stream, { done: true }))
    const chunks: ChatChunk[] = []
    const chatStream = router().stream({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'go' }], tools: [weatherTool, clockTool] })
    for await (const item of chatStream) chunks.push(item)
    const result = await chatStream.finalResult()

    expect(result.choices[0]!.message.tool_calls).toEqual([
      { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{}' } },
    ])
    expect(result.choices[0]!.finish_reason).toBe('tool_calls')
    expect(result.usage.total_tokens).toBe(42)

    // Replaying the chunks the way an OpenAI client does gives the same calls.
    const rebuilt = new Map<number, { id?: string; name?: string; arguments: string }>()
    for (const item of chunks) {
      for (const call of item.choices[0]?.delta.tool_calls ?? []) {
        const entry = rebuilt.get(call.index) ?? { arguments: '' }
        if (call.id) entry.id = call.id
        if (call.function?.name) entry.name = call.function.name
        entry.arguments += call.function?.arguments ?? ''
        rebuilt.set(call.index, entry)
      }
    }
    expect(rebuilt.get(0)).toEqual({ id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}' })
    expect(rebuilt.get(1)).toEqual({ id: 'call_b', name: 'get_time', arguments: '{}' })
  })
})
