import { generateObject, generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { createSwitchyardProvider } from '../../src/ai-sdk/index.js'
import { anthropic, createRouter, fallback, mockProvider, type ModelRequest } from '../../src/index.js'
import { useMswServer } from '../helpers/msw.js'
import { recordedChunks, recordedJson, sseResponse } from '../helpers/recordings.js'

const server = useMswServer()

type RouteMetadata = { cost: { total: number | null; input: number | null }; route: { name: string | null; provider: string; model: string; strategy: string; attempts: Array<{ model: string; outcome: string; error?: { code: string } }> } }

function metadataOf(providerMetadata: unknown): RouteMetadata {
  return (providerMetadata as { switchyard: RouteMetadata }).switchyard
}

const weatherSchema = { type: 'object' as const, properties: { city: { type: 'string' as const } }, required: ['city'], additionalProperties: false }

describe('switchyard/ai-sdk: a route as an AI SDK language model (real `ai` package)', () => {
  function setup() {
    const provider = mockProvider({
      id: 'mock',
      models: {
        down: { error: 'server' },
        chat: { text: 'Hello from the route', reasoning: 'Greet back.', usage: { inputTokens: 12, cacheReadTokens: 3, outputTokens: 6, reasoningTokens: 2 } },
        agent: (request: ModelRequest) =>
          request.messages.some((message) => message.role === 'tool')
            ? { text: `It is ${String(request.messages.find((message) => message.role === 'tool')!.content)} in Paris.` }
            : { toolCalls: [{ id: 'call_paris', name: 'weather', arguments: { city: 'Paris' } }] },
        json: { text: '{"city":"Paris","temperature":21}' },
      },
    })
    const router = createRouter({
      providers: [provider],
      prices: { 'mock/chat': { input: 1, output: 2, cacheRead: 0.5 } },
      routes: { main: fallback(['mock/down', 'mock/chat'], { retries: 0 }) },
    })
    return { router, provider, switchyard: createSwitchyardProvider(router) }
  }

  it('generateText runs the route\'s strategy (fallback) and reports cost and route in providerMetadata', async () => {
    const { switchyard, provider } = setup()
    const result = await generateText({ model: switchyard('main'), system: 'Be nice.', prompt: 'Hello', maxOutputTokens: 100, temperature: 0.3 })
    expect(result.text).toBe('Hello from the route')
    expect(result.reasoningText).toBe('Greet back.')
    expect(result.finishReason).toBe('stop')
    expect(result.usage).toMatchObject({ inputTokens: 15, outputTokens: 6, inputTokenDetails: { cacheReadTokens: 3, noCacheTokens: 12 }, outputTokenDetails: { reasoningTokens: 2 } })
    const metadata = metadataOf(result.providerMetadata)
    expect(metadata.route).toMatchObject({ name: 'main', provider: 'mock', model: 'chat', strategy: 'fallback' })
    expect(metadata.route.attempts.map((attempt) => [attempt.model, attempt.outcome])).toEqual([['down', 'error'], ['chat', 'success']])
    expect(metadata.route.attempts[0]!.error?.code).toBe('provider_error')
    expect(metadata.cost.total).toBeCloseTo((12 * 1 + 3 * 0.5 + 6 * 2) / 1e6, 12)
    expect(provider.calls.at(-1)!.request).toMatchObject({ messages: [{ role: 'system', content: 'Be nice.' }, { role: 'user', content: 'Hello' }], max_tokens: 100, temperature: 0.3 })
  })

  it('streamText streams reasoning and text, then usage, cost and route', async () => {
    const { switchyard } = setup()
    const result = streamText({ model: switchyard('main'), prompt: 'Hello' })
    const kinds = new Set<string>()
    let text = ''
    for await (const part of result.fullStream) {
      kinds.add(part.type)
      if (part.type === 'text-delta') text += part.text
    }
    expect(text).toBe('Hello from the route')
    expect([...kinds]).toEqual(expect.arrayContaining(['reasoning-start', 'reasoning-delta', 'reasoning-end', 'text-start', 'text-delta', 'text-end', 'finish']))
    expect(await result.reasoningText).toBe('Greet back.')
    expect((await result.usage).outputTokens).toBe(6)
    expect(metadataOf(await result.providerMetadata).route.model).toBe('chat')
  })

  it('multi-step tool calls: the tool runs, its result goes back through the router, the next step answers', async () => {
    const { switchyard, provider } = setup()
    const executed: unknown[] = []
    const weather = tool({
      description: 'Weather in a city',
      inputSchema: jsonSchema<{ city: string }>(weatherSchema),
      execute: async (input) => {
        executed.push(input)
        return '21°C'
      },
    })
    const result = await generateText({ model: switchyard('mock/agent'), prompt: 'Weather in Paris?', tools: { weather }, stopWhen: stepCountIs(3) })
    expect(executed).toEqual([{ city: 'Paris' }])
    expect(result.steps).toHaveLength(2)
    expect(result.text).toBe('It is 21°C in Paris.')
    const second = provider.calls.at(-1)!.request as ModelRequest
    expect(second.tools).toEqual([{ type: 'function', function: { name: 'weather', description: 'Weather in a city', parameters: weatherSchema } }])
    expect(second.messages.slice(1)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_paris', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_paris', content: '21°C' },
    ])
  })

  it('multi-step tool calls, streamed', async () => {
    const { switchyard } = setup()
    const result = streamText({
      model: switchyard('mock/agent'),
      prompt: 'Weather in Paris?',
      tools: { weather: tool({ inputSchema: jsonSchema<{ city: string }>(weatherSchema), execute: async () => 'sunny' }) },
      stopWhen: stepCountIs(3),
    })
    const toolCalls: unknown[] = []
    for await (const part of result.fullStream) if (part.type === 'tool-call') toolCalls.push(part.input)
    expect(toolCalls).toEqual([{ city: 'Paris' }])
    expect(await result.text).toBe('It is sunny in Paris.')
    expect((await result.steps).length).toBe(2)
  })

  it('generateObject sends the schema as json_schema output and parses the answer', async () => {
    const { switchyard, provider } = setup()
    const schema = { type: 'object' as const, properties: { city: { type: 'string' as const }, temperature: { type: 'number' as const } }, required: ['city', 'temperature'], additionalProperties: false }
    const { object } = await generateObject({ model: switchyard('mock/json'), schema: jsonSchema<{ city: string; temperature: number }>(schema), schemaName: 'weather', prompt: 'Weather in Paris as JSON' })
    expect(object).toEqual({ city: 'Paris', temperature: 21 })
    expect((provider.calls.at(-1)!.request as ModelRequest).response_format).toEqual({ type: 'json_schema', json_schema: { name: 'weather', schema } })
  })

  it('a call that fails before its first token rejects with the router\'s typed error; an abort cancels the call', async () => {
    const { switchyard } = setup()
    await expect(generateText({ model: switchyard('mock/down'), prompt: 'Hi', maxRetries: 0 })).rejects.toMatchObject({ code: 'provider_error' })
    const controller = new AbortController()
    controller.abort()
    await expect(generateText({ model: switchyard('main'), prompt: 'Hi', abortSignal: controller.signal, maxRetries: 0 })).rejects.toThrow()
  })
})

describe('switchyard/ai-sdk backed by a real adapter (Anthropic, recorded traffic)', () => {
  it('streamText with a tool: the recorded tool_use arrives as a tool call with its arguments', async () => {
    const recorded = recordedChunks('anthropic', 'anthropic-json-tool.1')
    server.use(http.post('https://api.anthropic.com/v1/messages', () => sseResponse(recorded, { namedEvents: true })))
    const router = createRouter({ providers: [anthropic({ apiKey: 'anthropic-test-key' })] })
    const switchyard = createSwitchyardProvider(router)
    const result = streamText({
      model: switchyard('anthropic/claude-haiku-4-5'),
      prompt: 'Weather in four cities, as JSON.',
      tools: { json: tool({ description: 'Answer as JSON', inputSchema: jsonSchema({ type: 'object', properties: { elements: { type: 'array' } } }) }) },
    })
    const calls: unknown[] = []
    for await (const part of result.fullStream) if (part.type === 'tool-call') calls.push(part.input)
    const recordedArguments = recorded
      .filter((event: any) => event.type === 'content_block_delta' && event.delta.type === 'input_json_delta')
      .map((event: any) => event.delta.partial_json)
      .join('')
    expect(calls).toEqual([JSON.parse(recordedArguments)])
    expect(await result.finishReason).toBe('tool-calls')
    const finalUsage = recorded.findLast((event: any) => event.type === 'message_delta').usage
    expect((await result.usage).outputTokens).toBe(finalUsage.output_tokens)
  })

  it('generateText: the recorded answer, its usage and a catalog cost', async () => {
    const recorded = recordedJson('anthropic', 'anthropic-text')
    server.use(http.post('https://api.anthropic.com/v1/messages', () => HttpResponse.json(recorded)))
    const router = createRouter({ providers: [anthropic({ apiKey: 'anthropic-test-key' })] })
    const result = await generateText({ model: createSwitchyardProvider(router)('anthropic/claude-sonnet-4-5'), prompt: 'How are you?' })
    expect(result.text).toBe(recorded.content[0].text)
    expect(result.usage.inputTokens).toBe(recorded.usage.input_tokens)
    expect(metadataOf(result.providerMetadata).cost.total).toBeGreaterThan(0)
  })
})
