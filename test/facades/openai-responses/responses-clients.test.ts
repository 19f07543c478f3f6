import { createOpenAI } from '@ai-sdk/openai'
import { generateText, jsonSchema, streamText, tool } from 'ai'
import { http, HttpResponse } from 'msw'
import OpenAI from 'openai'
import { describe, expect, it } from 'vitest'
import { anthropic, createRouter, openai } from '../../../src/index.js'
import { useMswServer } from '../../helpers/msw.js'
import { recordedChunks, recordedJson, sseResponse } from '../../helpers/recordings.js'
import { responsesSchemaErrors } from './responses-schemas.js'

/*
 * Clients that speak the Responses API (the official `openai` SDK, the Vercel AI SDK's default
 * OpenAI model) talk to the router in-process; the router's real Anthropic and OpenAI adapters
 * talk to msw, which replays recorded provider traffic. OpenAI has no recorded chat tool call, so
 * an OpenAI-format tool call replays Mistral's recording (same wire format) at OpenAI's URL.
 */
const server = useMswServer()

const openAIUrl = 'https://api.openai.com/v1/chat/completions'
const anthropicUrl = 'https://api.anthropic.com/v1/messages'

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

function clients() {
  const router = createRouter({ providers: [openai({ apiKey: 'sk-test' }), anthropic({ apiKey: 'anthropic-test-key' })] })
  return {
    router,
    openAIClient: new OpenAI({ apiKey: 'unused', baseURL: 'http://switchyard.local/v1', fetch: router.fetch, maxRetries: 0 }),
    aiSdkOpenAI: createOpenAI({ apiKey: 'unused', baseURL: 'http://switchyard.local/v1', fetch: router.fetch }),
  }
}

const anthropicText = recordedJson('anthropic', 'anthropic-text')
const anthropicTextStream = recordedChunks('anthropic', 'anthropic-text')
const anthropicTool = recordedJson('anthropic', 'anthropic-json-tool.1')
const anthropicToolStream = recordedChunks('anthropic', 'anthropic-json-tool.1')
const openAIText = recordedJson('openai', 'openai-text')
const openAITextStream = recordedChunks('openai', 'openai-text')
const openAIFormatTool = recordedJson('mistral', 'mistral-tool-call')
const openAIFormatToolStream = recordedChunks('mistral', 'mistral-tool-call')

const anthropicToolCall = anthropicTool.content.find((block: any) => block.type === 'tool_use')
const anthropicStreamedText = anthropicTextStream
  .filter((event: any) => event.type === 'content_block_delta' && event.delta.type === 'text_delta')
  .map((event: any) => event.delta.text)
  .join('')
const openAIStreamedText = openAITextStream.map((chunk: any) => chunk.choices[0]?.delta?.content ?? '').join('')
const openAIStreamUsage = openAITextStream.at(-1).usage

const jsonToolParameters = { type: 'object', properties: { elements: { type: 'array', items: { type: 'object' } } }, required: ['elements'] }
const weatherParameters = { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] }

describe('official openai client, responses.create / responses.stream, backed by an Anthropic model', () => {
  it('text: instructions become the system prompt; the recorded answer and usage come back as a Response', async () => {
    const { openAIClient } = clients()
    const bodies = serve(anthropicUrl, () => HttpResponse.json(anthropicText))
    const response = await openAIClient.responses.create({ model: 'anthropic/claude-sonnet-4-5', instructions: 'Be friendly.', input: 'How are you?', max_output_tokens: 400 })
    expect(bodies[0]).toMatchObject({ model: 'claude-sonnet-4-5', system: [{ type: 'text', text: 'Be friendly.' }], max_tokens: 400, messages: [{ role: 'user', content: [{ type: 'text', text: 'How are you?' }] }] })
    expect(responsesSchemaErrors('Response', response)).toEqual([])
    expect(response.output_text).toBe(anthropicText.content[0].text)
    expect(response.usage).toMatchObject({ input_tokens: anthropicText.usage.input_tokens, output_tokens: anthropicText.usage.output_tokens })
    expect(response.model).toBe('anthropic/claude-sonnet-4-5')
  })

  it('function tools: the recorded tool_use comes back as a function_call item', async () => {
    const { openAIClient } = clients()
    const bodies = serve(anthropicUrl, () => HttpResponse.json(anthropicTool))
    const response = await openAIClient.responses.create({
      model: 'anthropic/claude-haiku-4-5',
      input: 'Weather in four cities, as JSON.',
      max_output_tokens: 1000,
      tools: [{ type: 'function', name: 'json', description: 'Answer as JSON', parameters: jsonToolParameters, strict: false }],
      tool_choice: { type: 'function', name: 'json' },
    })
    expect(bodies[0].tools).toEqual([{ name: 'json', description: 'Answer as JSON', input_schema: jsonToolParameters, strict: false }])
    expect(bodies[0].tool_choice).toMatchObject({ type: 'tool', name: 'json' })
    expect(responsesSchemaErrors('Response', response)).toEqual([])
    const call = response.output.find((item) => item.type === 'function_call') as OpenAI.Responses.ResponseFunctionToolCall
    expect(call).toMatchObject({ call_id: anthropicToolCall.id, name: 'json' })
    expect(JSON.parse(call.arguments)).toEqual(anthropicToolCall.input)
  })

  it('streamed text: every event valid, the recorded tokens, usage on response.completed', async () => {
    const { openAIClient } = clients()
    serve(anthropicUrl, () => sseResponse(anthropicTextStream, { namedEvents: true }))
    const events: OpenAI.Responses.ResponseStreamEvent[] = []
    for await (const event of await openAIClient.responses.create({ model: 'anthropic/claude-sonnet-4-5', input: 'How are you?', max_output_tokens: 400, stream: true })) events.push(event)
    for (const event of events) expect(responsesSchemaErrors('ResponseStreamEvent', event), event.type).toEqual([])
    const text = events.filter((event) => event.type === 'response.output_text.delta').map((event) => (event as OpenAI.Responses.ResponseTextDeltaEvent).delta).join('')
    expect(text).toBe(anthropicStreamedText)
    const completed = events.at(-1) as OpenAI.Responses.ResponseCompletedEvent
    expect(completed.type).toBe('response.completed')
    const finalUsage = anthropicTextStream.findLast((event: any) => event.type === 'message_delta').usage
    expect(completed.response.usage?.output_tokens).toBe(finalUsage.output_tokens)
  })

  it('responses.stream() with a tool: argument deltas, then the whole call in finalResponse', async () => {
    const { openAIClient } = clients()
    serve(anthropicUrl, () => sseResponse(anthropicToolStream, { namedEvents: true }))
    const argumentDeltas: string[] = []
    const stream = openAIClient.responses.stream({
      model: 'anthropic/claude-haiku-4-5',
      input: 'Weather in four cities, as JSON.',
      max_output_tokens: 1000,
      tools: [{ type: 'function', name: 'json', description: 'Answer as JSON', parameters: jsonToolParameters, strict: false }],
    })
    stream.on('response.function_call_arguments.delta', (event) => argumentDeltas.push(event.delta))
    const final = await stream.finalResponse()
    const call = final.output.find((item) => item.type === 'function_call') as OpenAI.Responses.ResponseFunctionToolCall
    const recordedArguments = anthropicToolStream
      .filter((event: any) => event.type === 'content_block_delta' && event.delta.type === 'input_json_delta')
      .map((event: any) => event.delta.partial_json)
      .join('')
    expect(argumentDeltas.length).toBeGreaterThan(1)
    expect(argumentDeltas.join('')).toBe(recordedArguments)
    expect(JSON.parse(call.arguments)).toEqual(JSON.parse(recordedArguments))
  })
})

describe('official openai client, responses.create / responses.stream, backed by an OpenAI model', () => {
  it('text: the Responses request reaches OpenAI as a chat completion; the recorded answer comes back', async () => {
    const { openAIClient } = clients()
    const bodies = serve(openAIUrl, () => HttpResponse.json(openAIText))
    const response = await openAIClient.responses.create({ model: 'openai/gpt-4.1-nano', instructions: 'Be creative.', input: [{ role: 'user', content: 'Invent a holiday.' }], max_output_tokens: 500 })
    expect(bodies[0]).toMatchObject({ model: 'gpt-4.1-nano', max_completion_tokens: 500, messages: [{ role: 'system', content: 'Be creative.' }, { role: 'user', content: 'Invent a holiday.' }] })
    expect(responsesSchemaErrors('Response', response)).toEqual([])
    expect(response.output_text).toBe(openAIText.choices[0].message.content)
    expect(response.usage).toMatchObject({ input_tokens: openAIText.usage.prompt_tokens, output_tokens: openAIText.usage.completion_tokens, total_tokens: openAIText.usage.total_tokens })
  })

  it('a function_call_output turn, then a streamed tool call with the recorded arguments', async () => {
    const { openAIClient } = clients()
    const bodies = serve(openAIUrl, () => sseResponse(openAIFormatToolStream, { done: true }))
    const final = await openAIClient.responses
      .stream({
        model: 'openai/gpt-4o',
        input: [
          { role: 'user', content: 'Weather in Rome, then San Francisco?' },
          { type: 'function_call', call_id: 'call_rome', name: 'weather', arguments: '{"location":"Rome"}' },
          { type: 'function_call_output', call_id: 'call_rome', output: '{"temperature":21}' },
        ],
        tools: [{ type: 'function', name: 'weather', description: 'Weather at a location', parameters: weatherParameters, strict: false }],
      })
      .finalResponse()
    expect(bodies[0].messages.slice(1)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_rome', type: 'function', function: { name: 'weather', arguments: '{"location":"Rome"}' } }] },
      { role: 'tool', tool_call_id: 'call_rome', content: '{"temperature":21}' },
    ])
    const recordedCall = openAIFormatTool.choices[0].message.tool_calls[0]
    const call = final.output.find((item) => item.type === 'function_call') as OpenAI.Responses.ResponseFunctionToolCall
    expect(call).toMatchObject({ call_id: recordedCall.id, name: 'weather' })
    expect(JSON.parse(call.arguments)).toEqual(JSON.parse(recordedCall.function.arguments))
  })

  it('streamed text: the recorded tokens and usage', async () => {
    const { openAIClient } = clients()
    serve(openAIUrl, () => sseResponse(openAITextStream, { done: true }))
    const final = await openAIClient.responses.stream({ model: 'openai/gpt-4.1-nano', input: 'Invent a holiday.' }).finalResponse()
    expect(final.output_text).toBe(openAIStreamedText)
    expect(final.usage).toMatchObject({ input_tokens: openAIStreamUsage.prompt_tokens, output_tokens: openAIStreamUsage.completion_tokens })
  })
})

describe("the Vercel AI SDK's default OpenAI model (the Responses API) against router.fetch", () => {
  it('generateText, backed by an Anthropic model: the recorded text and usage', async () => {
    const { aiSdkOpenAI } = clients()
    const bodies = serve(anthropicUrl, () => HttpResponse.json(anthropicText))
    const result = await generateText({ model: aiSdkOpenAI('anthropic/claude-sonnet-4-5'), system: 'Be friendly.', prompt: 'How are you?', maxOutputTokens: 400 })
    expect(bodies[0]).toMatchObject({ system: [{ type: 'text', text: 'Be friendly.' }], messages: [{ role: 'user', content: [{ type: 'text', text: 'How are you?' }] }] })
    expect(result.text).toBe(anthropicText.content[0].text)
    expect(result.usage.inputTokens).toBe(anthropicText.usage.input_tokens)
    expect(result.usage.outputTokens).toBe(anthropicText.usage.output_tokens)
    expect(result.finishReason).toBe('stop')
  })

  it('streamText, backed by an Anthropic model: every recorded token', async () => {
    const { aiSdkOpenAI } = clients()
    serve(anthropicUrl, () => sseResponse(anthropicTextStream, { namedEvents: true }))
    const result = streamText({ model: aiSdkOpenAI('anthropic/claude-sonnet-4-5'), prompt: 'How are you?', maxOutputTokens: 400 })
    let text = ''
    for await (const delta of result.textStream) text += delta
    expect(text).toBe(anthropicStreamedText)
    expect(await result.finishReason).toBe('stop')
  })

  it('generateText with a tool, backed by an OpenAI model: the recorded call runs the tool, the next step answers', async () => {
    const { aiSdkOpenAI } = clients()
    let step = 0
    const bodies = serve(openAIUrl, () => (step++ === 0 ? HttpResponse.json(openAIFormatTool) : HttpResponse.json(openAIText)))
    const calls: unknown[] = []
    const result = await generateText({
      model: aiSdkOpenAI('openai/gpt-4o'),
      prompt: 'Weather in San Francisco?',
      tools: {
        weather: tool({
          description: 'Weather at a location',
          inputSchema: jsonSchema<{ location: string }>(weatherParameters),
          execute: async (input) => {
            calls.push(input)
            return { temperature: 18 }
          },
        }),
      },
      stopWhen: ({ steps }) => steps.length >= 2,
      // Stateless: the items themselves go back to the router, never references to stored ones.
      providerOptions: { openai: { store: false } },
    })
    expect(calls).toEqual([JSON.parse(openAIFormatTool.choices[0].message.tool_calls[0].function.arguments)])
    const recordedCall = openAIFormatTool.choices[0].message.tool_calls[0]
    // The AI SDK sends the call back re-serialised from its parsed input.
    expect(bodies[1].messages.slice(-2)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: recordedCall.id, type: 'function', function: { name: 'weather', arguments: JSON.stringify(JSON.parse(recordedCall.function.arguments)) } }] },
      { role: 'tool', tool_call_id: recordedCall.id, content: '{"temperature":18}' },
    ])
    expect(result.text).toBe(openAIText.choices[0].message.content)
  })

  it('streamText backed by an OpenAI model: the recorded tokens and usage', async () => {
    const { aiSdkOpenAI } = clients()
    serve(openAIUrl, () => sseResponse(openAITextStream, { done: true }))
    const result = streamText({ model: aiSdkOpenAI('openai/gpt-4.1-nano'), prompt: 'Invent a holiday.' })
    let text = ''
    for await (const delta of result.textStream) text += delta
    expect(text).toBe(openAIStreamedText)
    expect((await result.usage).outputTokens).toBe(openAIStreamUsage.completion_tokens)
  })
})
