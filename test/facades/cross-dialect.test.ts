import Anthropic from '@anthropic-ai/sdk'
import { http, HttpResponse } from 'msw'
import OpenAI from 'openai'
import { describe, expect, it } from 'vitest'
import { anthropic, createRouter, openai } from '../../src/index.js'
import { useMswServer } from '../helpers/msw.js'
import { recordedChunks, recordedJson, sseResponse } from '../helpers/recordings.js'
import { openAISchemaErrors } from './openai-schemas.js'

type OpenAIAPIError = InstanceType<typeof OpenAI.APIError>

/*
 * The official clients talk to the router in-process (`fetch: router.fetch`, never msw); the
 * router's real provider adapters talk to msw, which replays recorded provider traffic. OpenAI has
 * no recorded tool call, so tool calls in the OpenAI wire format replay Mistral's recording (its
 * chat completions API speaks that format) at OpenAI's URL.
 */
const server = useMswServer()

const openAIUrl = 'https://api.openai.com/v1/chat/completions'
const anthropicUrl = 'https://api.anthropic.com/v1/messages'

function clients() {
  const router = createRouter({ providers: [openai({ apiKey: 'sk-test' }), anthropic({ apiKey: 'anthropic-test-key' })] })
  return {
    router,
    openAIClient: new OpenAI({ apiKey: 'unused', baseURL: 'http://switchyard.local/v1', fetch: router.fetch, maxRetries: 0 }),
    anthropicClient: new Anthropic({ apiKey: 'unused', baseURL: 'http://switchyard.local', fetch: router.fetch, maxRetries: 0 }),
  }
}

/** Serves `url` with `respond` and records the JSON bodies the adapter sent. */
function serve(url: string, respond: (body: any) => Response) {
  const bodies: any[] = []
  server.use(
    http.post(url, async ({ request }) => {
      const body = await request.json()
      bodies.push(body)
      return respond(body)
    }),
  )
  return bodies
}

const weatherTool: Anthropic.Tool = { name: 'weather', description: 'Weather at a location', input_schema: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] } }

describe('Anthropic-shaped requests served by an OpenAI model (real openai adapter, recorded traffic)', () => {
  const recordedText = recordedJson('openai', 'openai-text')
  const recordedStream = recordedChunks('openai', 'openai-text')
  const recordedToolCall = recordedJson('mistral', 'mistral-tool-call')
  const recordedToolStream = recordedChunks('mistral', 'mistral-tool-call')

  it('text: system prompt, max_tokens and the answer with its usage', async () => {
    const { anthropicClient } = clients()
    const bodies = serve(openAIUrl, () => HttpResponse.json(recordedText))
    const message = await anthropicClient.messages.create({
      model: 'openai/gpt-4.1-nano',
      max_tokens: 500,
      system: 'Be creative.',
      messages: [{ role: 'user', content: 'Invent a new holiday and describe its traditions.' }],
    })
    expect(bodies[0]).toMatchObject({
      model: 'gpt-4.1-nano',
      max_completion_tokens: 500,
      messages: [
        { role: 'system', content: 'Be creative.' },
        { role: 'user', content: 'Invent a new holiday and describe its traditions.' },
      ],
    })
    expect(message.content).toEqual([{ type: 'text', text: recordedText.choices[0].message.content }])
    expect(message.stop_reason).toBe('end_turn')
    expect(message.usage).toMatchObject({ input_tokens: 16, output_tokens: 363, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 })
    expect(message.model).toBe('openai/gpt-4.1-nano')
  })

  it('text, streamed: the SDK stream helper gets every token and the final usage', async () => {
    const { anthropicClient } = clients()
    serve(openAIUrl, () => sseResponse(recordedStream, { done: true }))
    const stream = anthropicClient.messages.stream({ model: 'openai/gpt-4.1-nano', max_tokens: 500, messages: [{ role: 'user', content: 'Invent a holiday.' }] })
    const message = await stream.finalMessage()
    const expectedText = recordedStream.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')
    expect(message.content).toEqual([{ type: 'text', text: expectedText }])
    const usage = recordedStream.at(-1).usage
    expect(message.usage).toMatchObject({ input_tokens: usage.prompt_tokens - usage.prompt_tokens_details.cached_tokens, output_tokens: usage.completion_tokens })
  })

  it('tools: Anthropic tools, tool_choice and tool_result history reach OpenAI as functions and tool messages; the call comes back as tool_use', async () => {
    const { anthropicClient } = clients()
    const bodies = serve(openAIUrl, () => HttpResponse.json(recordedToolCall))
    const message = await anthropicClient.messages.create({
      model: 'openai/gpt-4.1-nano',
      max_tokens: 200,
      tools: [weatherTool],
      tool_choice: { type: 'tool', name: 'weather' },
      messages: [
        { role: 'user', content: 'Weather in Berlin, then San Francisco?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_berlin', name: 'weather', input: { location: 'Berlin' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_berlin', content: '12°C, cloudy' }] },
      ],
    })
    expect(bodies[0].tools).toEqual([{ type: 'function', function: { name: 'weather', description: 'Weather at a location', parameters: weatherTool.input_schema } }])
    expect(bodies[0].tool_choice).toEqual({ type: 'function', function: { name: 'weather' } })
    expect(bodies[0].messages.slice(1)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_berlin', type: 'function', function: { name: 'weather', arguments: '{"location":"Berlin"}' } }] },
      { role: 'tool', tool_call_id: 'toolu_berlin', content: '12°C, cloudy' },
    ])
    const call = recordedToolCall.choices[0].message.tool_calls[0]
    expect(message.stop_reason).toBe('tool_use')
    expect(message.content).toEqual([{ type: 'tool_use', id: call.id, name: 'weather', input: JSON.parse(call.function.arguments) }])
  })

  it('tools, streamed: the tool_use block and its input arrive through input_json_delta', async () => {
    const { anthropicClient } = clients()
    serve(openAIUrl, () => sseResponse(recordedToolStream, { done: true }))
    const events: string[] = []
    const stream = anthropicClient.messages.stream({ model: 'openai/gpt-4.1-nano', max_tokens: 200, tools: [weatherTool], messages: [{ role: 'user', content: 'Weather in SF?' }] })
    stream.on('streamEvent', (event) => events.push(event.type === 'content_block_delta' ? event.delta.type : event.type))
    const message = await stream.finalMessage()
    expect(events).toContain('input_json_delta')
    expect(message.content).toEqual([{ type: 'tool_use', id: 'gSIMJiOkT', name: 'weather', input: { location: 'San Francisco' } }])
    expect(message.stop_reason).toBe('tool_use')
  })
})

describe('OpenAI-shaped requests served by an Anthropic model (real anthropic adapter, recorded traffic)', () => {
  const recordedText = recordedJson('anthropic', 'anthropic-text')
  const recordedStream = recordedChunks('anthropic', 'anthropic-text')
  const recordedTool = recordedJson('anthropic', 'anthropic-json-tool.1')
  const recordedToolStream = recordedChunks('anthropic', 'anthropic-json-tool.1')
  const jsonTool: OpenAI.ChatCompletionTool = { type: 'function', function: { name: 'json', description: 'Answer as JSON', parameters: { type: 'object', properties: { elements: { type: 'array' } } } } }

  it('text: the system message becomes the system prompt, cache_control reaches Anthropic, the answer is a completion', async () => {
    const { openAIClient } = clients()
    const bodies = serve(anthropicUrl, () => HttpResponse.json(recordedText))
    const completion = await openAIClient.chat.completions.create({
      model: 'anthropic/claude-sonnet-4-5',
      max_tokens: 300,
      messages: [
        // cache_control on a text part is Switchyard's extension of the OpenAI format.
        { role: 'system', content: [{ type: 'text', text: 'A long, cacheable system prompt.', cache_control: { type: 'ephemeral' } } as OpenAI.ChatCompletionContentPartText] },
        { role: 'user', content: 'Hello, how are you?' },
      ],
    })
    expect(bodies[0]).toMatchObject({
      model: 'claude-sonnet-4-5',
      max_tokens: 300,
      system: [{ type: 'text', text: 'A long, cacheable system prompt.', cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello, how are you?' }] }],
    })
    expect(completion.choices[0]!.message.content).toBe(recordedText.content[0].text)
    expect(completion.choices[0]!.finish_reason).toBe('stop')
    expect(openAISchemaErrors('CreateChatCompletionResponse', completion)).toEqual([])
    expect(completion.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 29 })
  })

  it('text, streamed: finalChatCompletion assembles the recorded stream', async () => {
    const { openAIClient } = clients()
    serve(anthropicUrl, () => sseResponse(recordedStream, { namedEvents: true }))
    const final = await openAIClient.chat.completions.stream({ model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hello' }] }).finalChatCompletion()
    const expectedText = recordedStream.filter((event) => event.type === 'content_block_delta').map((event) => event.delta.text).join('')
    expect(final.choices[0]!.message.content).toBe(expectedText)
    expect(final.choices[0]!.finish_reason).toBe('stop')
  })

  it('tools: functions and the tool round trip reach Anthropic as tools, tool_use and tool_result; the call comes back as tool_calls', async () => {
    const { openAIClient } = clients()
    const bodies = serve(anthropicUrl, () => HttpResponse.json(recordedTool))
    const completion = await openAIClient.chat.completions.create({
      model: 'anthropic/claude-sonnet-4-5',
      tools: [jsonTool],
      tool_choice: 'required',
      messages: [
        { role: 'user', content: 'Weather in four cities, as JSON.' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_prev', type: 'function', function: { name: 'json', arguments: '{"elements":[]}' } }] },
        { role: 'tool', tool_call_id: 'toolu_prev', content: 'Incomplete; try again.' },
      ],
    })
    expect(bodies[0].tools).toEqual([{ name: 'json', description: 'Answer as JSON', input_schema: jsonTool.function.parameters }])
    expect(bodies[0].tool_choice).toEqual({ type: 'any' })
    expect(bodies[0].messages.slice(1)).toEqual([
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_prev', name: 'json', input: { elements: [] } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_prev', content: 'Incomplete; try again.' }] },
    ])
    const block = recordedTool.content[0]
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls')
    expect(openAISchemaErrors('CreateChatCompletionResponse', completion)).toEqual([])
    const call = completion.choices[0]!.message.tool_calls![0] as OpenAI.ChatCompletionMessageFunctionToolCall
    expect(call.id).toBe(block.id)
    expect(JSON.parse(call.function.arguments)).toEqual(block.input)
  })

  it('tools, streamed: argument deltas assemble into the recorded tool input', async () => {
    const { openAIClient } = clients()
    serve(anthropicUrl, () => sseResponse(recordedToolStream, { namedEvents: true }))
    const final = await openAIClient.chat.completions.stream({ model: 'anthropic/claude-sonnet-4-5', tools: [jsonTool], messages: [{ role: 'user', content: 'Weather?' }] }).finalChatCompletion()
    const expectedArguments = recordedToolStream.filter((event) => event.delta?.type === 'input_json_delta').map((event) => event.delta.partial_json).join('')
    const call = final.choices[0]!.message.tool_calls![0] as OpenAI.ChatCompletionMessageFunctionToolCall
    expect(call.function.name).toBe('json')
    expect(JSON.parse(call.function.arguments)).toEqual(JSON.parse(expectedArguments))
    expect(final.choices[0]!.finish_reason).toBe('tool_calls')
  })
})

describe('Anthropic-shaped requests served by an Anthropic model keep Anthropic-only detail', () => {
  it('cache tokens and thinking signatures survive the trip through the canonical dialect', async () => {
    const { anthropicClient } = clients()
    const thinkingAnswer = {
      id: 'msg_thinking',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5-20250929',
      content: [
        { type: 'thinking', thinking: 'Simple greeting.', signature: 'EqQBCgIYAhIM-signature' },
        { type: 'text', text: 'Hi!' },
      ],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 3, output_tokens: 20, cache_read_input_tokens: 2000, cache_creation_input_tokens: 150 },
    }
    const bodies = serve(anthropicUrl, () => HttpResponse.json(thinkingAnswer))
    const first = await anthropicClient.messages.create({
      model: 'anthropic/claude-sonnet-4-5',
      max_tokens: 4000,
      thinking: { type: 'enabled', budget_tokens: 2000 },
      system: [{ type: 'text', text: 'Cached instructions', cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: 'Hi' }],
    })
    expect(bodies[0].thinking).toEqual({ type: 'enabled', budget_tokens: 2000 })
    expect(bodies[0].system).toEqual([{ type: 'text', text: 'Cached instructions', cache_control: { type: 'ephemeral' } }])
    expect(first.content).toEqual([
      { type: 'thinking', thinking: 'Simple greeting.', signature: 'EqQBCgIYAhIM-signature' },
      { type: 'text', text: 'Hi!' },
    ])
    expect(first.usage).toMatchObject({ input_tokens: 3, cache_read_input_tokens: 2000, cache_creation_input_tokens: 150, output_tokens: 20 })
    // The next turn sends the signed thinking block back exactly.
    await anthropicClient.messages.create({
      model: 'anthropic/claude-sonnet-4-5',
      max_tokens: 4000,
      thinking: { type: 'enabled', budget_tokens: 2000 },
      messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: first.content as Anthropic.ContentBlockParam[] }, { role: 'user', content: 'Bye' }],
    })
    expect(bodies[1].messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'Simple greeting.', signature: 'EqQBCgIYAhIM-signature' },
        { type: 'text', text: 'Hi!' },
      ],
    })
  })

  it('streamed thinking: signatures (and redacted thinking) reach the SDK stream helper at the end of the stream', async () => {
    const { anthropicClient } = clients()
    const start = { type: 'message_start', message: { id: 'msg_s', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 5, output_tokens: 1, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 } } }
    serve(anthropicUrl, () =>
      sseResponse(
        [
          start,
          { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
          { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me think.' } },
          { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig-streamed' } },
          { type: 'content_block_stop', index: 0 },
          { type: 'content_block_start', index: 1, content_block: { type: 'redacted_thinking', data: 'opaque-data' } },
          { type: 'content_block_stop', index: 1 },
          { type: 'content_block_start', index: 2, content_block: { type: 'text', text: '' } },
          { type: 'content_block_delta', index: 2, delta: { type: 'text_delta', text: 'Done.' } },
          { type: 'content_block_stop', index: 2 },
          { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 30 } },
          { type: 'message_stop' },
        ],
        { namedEvents: true },
      ),
    )
    const message = await anthropicClient.messages
      .stream({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 4000, thinking: { type: 'enabled', budget_tokens: 2000 }, messages: [{ role: 'user', content: 'Hi' }] })
      .finalMessage()
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'Let me think.', signature: 'sig-streamed' },
      { type: 'text', text: 'Done.' },
      { type: 'redacted_thinking', data: 'opaque-data' },
    ])
    expect(message.usage).toMatchObject({ input_tokens: 5, output_tokens: 30 })
  })

  it('OpenAI-shaped clients keep thinking too: reasoning and provider_data on the message carry it to the next turn', async () => {
    const { openAIClient } = clients()
    const answer = {
      id: 'msg_t',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5-20250929',
      content: [
        { type: 'thinking', thinking: 'Need the weather tool.', signature: 'sig-tool-turn' },
        { type: 'tool_use', id: 'toolu_w', name: 'weather', input: { location: 'Oslo' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 50, output_tokens: 40, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    }
    const bodies = serve(anthropicUrl, () => HttpResponse.json(answer))
    const tools: OpenAI.ChatCompletionTool[] = [{ type: 'function', function: { name: 'weather', parameters: weatherTool.input_schema } }]
    const params = { model: 'anthropic/claude-sonnet-4-5', max_tokens: 4000, reasoning_effort: 'low' as const, tools }
    const first = await openAIClient.chat.completions.create({ ...params, messages: [{ role: 'user', content: 'Weather in Oslo?' }] })
    const assistant = first.choices[0]!.message
    expect(assistant).toMatchObject({ reasoning: 'Need the weather tool.', tool_calls: [{ id: 'toolu_w', function: { name: 'weather', arguments: '{"location":"Oslo"}' } }] })
    await openAIClient.chat.completions.create({
      ...params,
      messages: [{ role: 'user', content: 'Weather in Oslo?' }, assistant as OpenAI.ChatCompletionAssistantMessageParam, { role: 'tool', tool_call_id: 'toolu_w', content: '-3°C' }],
    })
    expect(bodies[1].messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'Need the weather tool.', signature: 'sig-tool-turn' },
        { type: 'tool_use', id: 'toolu_w', name: 'weather', input: { location: 'Oslo' } },
      ],
    })
  })

  it('a refusal keeps its stop_reason and stop_details', async () => {
    const { anthropicClient } = clients()
    const recorded = recordedJson('anthropic', 'anthropic-refusal')
    serve(anthropicUrl, () => HttpResponse.json(recorded))
    const message = await anthropicClient.messages.create({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'something disallowed' }] })
    expect(message.stop_reason).toBe('refusal')
    expect(message.stop_details).toEqual(recorded.stop_details)
  })

  it('a stop sequence and the cache-write split survive, streamed or not', async () => {
    const { anthropicClient } = clients()
    const usage = { input_tokens: 4, output_tokens: 6, cache_read_input_tokens: 0, cache_creation_input_tokens: 900, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 900 } }
    const answer = { id: 'msg_stop', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [{ type: 'text', text: 'one two' }], stop_reason: 'stop_sequence', stop_sequence: 'three', usage }
    serve(anthropicUrl, (body) =>
      body.stream
        ? sseResponse(
            [
              { type: 'message_start', message: { ...answer, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } } },
              { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
              { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'one two' } },
              { type: 'content_block_stop', index: 0 },
              { type: 'message_delta', delta: { stop_reason: 'stop_sequence', stop_sequence: 'three' }, usage: { output_tokens: 6 } },
              { type: 'message_stop' },
            ],
            { namedEvents: true },
          )
        : HttpResponse.json(answer),
    )
    const params = { model: 'anthropic/claude-sonnet-4-5', max_tokens: 100, stop_sequences: ['three'], messages: [{ role: 'user' as const, content: 'Count' }] }
    const split = { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 900 }
    const message = await anthropicClient.messages.create(params)
    expect(message).toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: 'three', usage: { cache_creation_input_tokens: 900, cache_creation: split } })
    const stream = anthropicClient.messages.stream(params)
    const closing: Anthropic.MessageDeltaEvent[] = []
    stream.on('streamEvent', (event) => event.type === 'message_delta' && closing.push(event))
    expect(await stream.finalMessage()).toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: 'three', usage: { cache_creation_input_tokens: 900 } })
    // The split is known only at the end; the SDK's accumulator does not copy it from message_delta.
    expect(closing[0]!.usage).toMatchObject({ cache_creation: split })
  })
})

describe('images across dialects', () => {
  it('an Anthropic base64 image reaches OpenAI as a data URL, and an OpenAI data URL reaches Anthropic as a base64 block', async () => {
    const { anthropicClient, openAIClient } = clients()
    const openAIBodies = serve(openAIUrl, () => HttpResponse.json(recordedJson('openai', 'openai-text')))
    await anthropicClient.messages.create({
      model: 'openai/gpt-4.1-nano',
      max_tokens: 100,
      messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } }, { type: 'text', text: 'What is it?' }] }],
    })
    expect(openAIBodies[0].messages[0].content).toEqual([
      { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
      { type: 'text', text: 'What is it?' },
    ])
    const anthropicBodies = serve(anthropicUrl, () => HttpResponse.json(recordedJson('anthropic', 'anthropic-text')))
    await openAIClient.chat.completions.create({
      model: 'anthropic/claude-sonnet-4-5',
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }, { type: 'text', text: 'What is it?' }] }],
    })
    expect(anthropicBodies[0].messages[0].content).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'text', text: 'What is it?' },
    ])
  })
})

describe('provider failures through router.fetch', () => {
  it("a provider's 401 reaches the client as its SDK's AuthenticationError, without the provider key", async () => {
    const { openAIClient } = clients()
    serve(anthropicUrl, () => HttpResponse.json({ type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key: anthropic-test-key' } }, { status: 401 }))
    const error = (await openAIClient.chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hi' }] }).catch((caught: unknown) => caught)) as OpenAIAPIError
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError)
    expect(error.status).toBe(401)
    expect(JSON.stringify(error.error)).not.toContain('anthropic-test-key')
    expect(error.message).not.toContain('anthropic-test-key')
  })
})
