import { HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { createRouter, google, InvalidRequestError, UnsupportedFeatureError, type ChatMessage, type FunctionTool } from '../../../src/index.js'
import { attemptError } from '../../helpers/call-errors.js'
import { answerResponseFormat, answerSchema, pngBase64, pngDataUrl, samplingParameters, weatherTool } from '../../helpers/chat-fixtures.js'
import { useMswServer } from '../../helpers/msw.js'
import { collectWithResult } from '../../helpers/streams.js'
import { sseResponse } from '../../helpers/recordings.js'
import { geminiResponse, serveGemini, testGoogleKey } from './google-handlers.js'

const server = useMswServer()
const flash = 'gemini-2.5-flash'

function router() {
  return createRouter({ providers: [google({ apiKey: testGoogleKey })] })
}

function serveFlash(model = flash) {
  return serveGemini(server, model, 'generateContent', () => HttpResponse.json(geminiResponse([{ text: 'ok' }])))
}

const clockTool: FunctionTool = { type: 'function', function: { name: 'get_time', description: 'The time now' } }
const emptySchemaTool: FunctionTool = { type: 'function', function: { name: 'ping', parameters: { type: 'object', properties: {} } } }

describe('google adapter: request translation (the body @google/genai sends)', () => {
  it('sends system as systemInstruction, multi-turn with parallel tool calls and results, tools and sampling parameters', async () => {
    const captured = serveFlash()
    const messages: ChatMessage[] = [
      { role: 'system', content: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }] },
      { role: 'developer', content: 'Answer in English.' },
      { role: 'user', content: 'Weather in Paris and the time?' },
      {
        role: 'assistant',
        content: 'Let me check.',
        reasoning: 'I should call both tools.',
        provider_data: { google: { textSignature: 'sig-text', toolCallSignatures: { call_a: 'sig-call-a' } } },
        tool_calls: [
          { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_a', content: '{"sky":"sunny","celsius":21}' },
      { role: 'tool', tool_call_id: 'call_b', content: [{ type: 'text', text: '14:05', cache_control: { type: 'ephemeral' } }] },
      { role: 'user', content: 'Thanks!' },
    ]
    await router().chat({
      model: `google/${flash}`,
      messages,
      tools: [weatherTool, clockTool, emptySchemaTool],
      tool_choice: 'auto',
      ...samplingParameters,
      max_tokens: 256,
      seed: 7,
      presence_penalty: 0.1,
      frequency_penalty: 0.2,
    })

    expect(captured).toHaveLength(1)
    expect(new URL(captured[0]!.url).pathname).toBe(`/v1beta/models/${flash}:generateContent`)
    expect(captured[0]!.body).toEqual({
      systemInstruction: { parts: [{ text: 'Be brief.' }, { text: 'Answer in English.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Weather in Paris and the time?' }] },
        {
          role: 'model',
          parts: [
            { text: 'Let me check.', thoughtSignature: 'sig-text' },
            { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'sig-call-a' },
            { functionCall: { name: 'get_time', args: {} } },
          ],
        },
        {
          // Both results share one turn, with the function names found from the assistant's calls; then the user's text.
          role: 'user',
          parts: [
            { functionResponse: { name: 'get_weather', response: { sky: 'sunny', celsius: 21 } } },
            { functionResponse: { name: 'get_time', response: { output: '14:05' } } },
            { text: 'Thanks!' },
          ],
        },
      ],
      tools: [
        {
          functionDeclarations: [
            {
              name: 'get_weather',
              description: 'Weather for a city',
              parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
            },
            // Tools without arguments are declared without a schema.
            { name: 'get_time', description: 'The time now' },
            { name: 'ping' },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
      generationConfig: {
        temperature: 0.3,
        topP: 0.9,
        stopSequences: ['END', '###'],
        maxOutputTokens: 256,
        seed: 7,
        presencePenalty: 0.1,
        frequencyPenalty: 0.2,
      },
    })
    // The key travels in a header, never in the URL.
    expect(new URL(captured[0]!.url).search).toBe('')
    expect(captured[0]!.headers.get('x-goog-api-key')).toBe(testGoogleKey)
  })

  it('echoes Gemini-assigned tool call ids on the call and its result, but never ids the adapter generated', async () => {
    const captured = serveFlash()
    await router().chat({
      model: `google/${flash}`,
      messages: [
        { role: 'user', content: 'Time?' },
        {
          role: 'assistant',
          content: null,
          provider_data: { google: { nativeToolCallIds: ['gemini-id-1'] } },
          tool_calls: [{ id: 'gemini-id-1', type: 'function', function: { name: 'get_time', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'gemini-id-1', content: 'noon' },
      ],
      tools: [clockTool],
    })
    expect(captured[0]!.body.contents.slice(1)).toEqual([
      { role: 'model', parts: [{ functionCall: { id: 'gemini-id-1', name: 'get_time', args: {} } }] },
      { role: 'user', parts: [{ functionResponse: { id: 'gemini-id-1', name: 'get_time', response: { output: 'noon' } } }] },
    ])
  })

  it('round-trips a Gemini tool call: the next turn carries its signature back on the functionCall part', async () => {
    const model = 'gemini-3-pro-preview'
    const calls = serveGemini(server, model, 'generateContent', (_body, call) =>
      HttpResponse.json(
        call === 0
          ? geminiResponse([{ functionCall: { name: 'get_time', args: {} }, thoughtSignature: 'sig-from-gemini' }], { responseId: 'r1' })
          : geminiResponse([{ text: 'It is noon.' }]),
      ),
    )
    const chat = router()
    const first = await chat.chat({ model: `google/${model}`, messages: [{ role: 'user', content: 'Time?' }], tools: [clockTool] })
    const assistant = first.choices[0]!.message
    const call = assistant.tool_calls![0]!
    await chat.chat({
      model: `google/${model}`,
      messages: [{ role: 'user', content: 'Time?' }, assistant, { role: 'tool', tool_call_id: call.id, content: 'noon' }],
      tools: [clockTool],
    })
    expect(calls[1]!.body.contents[1]).toEqual({
      role: 'model',
      parts: [{ functionCall: { name: 'get_time', args: {} }, thoughtSignature: 'sig-from-gemini' }],
    })
    expect(calls[1]!.body.contents[2]).toEqual({ role: 'user', parts: [{ functionResponse: { name: 'get_time', response: { output: 'noon' } } }] })
  })

  it("gives Gemini 3 Google's documented skip signature for tool calls made elsewhere (no signature known)", async () => {
    const model = 'gemini-3-pro-preview'
    const captured = serveFlash(model)
    await router().chat({
      model: `google/${model}`,
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_openai_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_openai_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_openai_1', content: 'sunny' },
        { role: 'tool', tool_call_id: 'call_openai_2', content: 'rain' },
      ],
      tools: [weatherTool],
    })
    // Only the first call of a step needs one.
    expect(captured[0]!.body.contents[1].parts).toEqual([
      { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'skip_thought_signature_validator' },
      { functionCall: { name: 'get_weather', args: { city: 'Rome' } } },
    ])
  })

  it('sends images: data: URLs as inlineData, https URLs as fileData with the media type from the extension', async () => {
    const captured = serveFlash()
    await router().chat({
      model: `google/${flash}`,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare these.' },
            { type: 'image_url', image_url: { url: pngDataUrl } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.JPG?size=large', detail: 'high' } },
            { type: 'image_url', image_url: { url: 'https://example.com/render' } },
          ],
        },
      ],
    })
    expect(captured[0]!.body.contents).toEqual([
      {
        role: 'user',
        parts: [
          { text: 'Compare these.' },
          { inlineData: { mimeType: 'image/png', data: pngBase64 } },
          { fileData: { fileUri: 'https://example.com/cat.JPG?size=large', mimeType: 'image/jpeg' } },
          { fileData: { fileUri: 'https://example.com/render' } },
        ],
      },
    ])
  })

  it('rejects images Gemini cannot take with an UnsupportedFeatureError naming provider and feature, before any request', async () => {
    const captured = serveFlash()
    const imageMessage = (url: string) => [{ role: 'user' as const, content: [{ type: 'image_url' as const, image_url: { url } }] }]
    // A data: URL that is not base64 passes the router's validation but Gemini's inlineData needs base64.
    const viaRouter = await attemptError(router().chat({ model: `google/${flash}`, messages: imageMessage('data:image/svg+xml,%3Csvg%3E%3C/svg%3E') }))
    // Schemes the router already refuses are still refused by the adapter used on its own.
    const viaAdapter = await attemptError(
      google({ apiKey: testGoogleKey }).chat({ model: flash, messages: imageMessage('ftp://example.com/cat.png') }, { signal: new AbortController().signal }),
    )
    for (const error of [viaRouter, viaAdapter]) {
      expect(error).toBeInstanceOf(UnsupportedFeatureError)
      expect(error).toMatchObject({ feature: 'image_url', provider: 'google', model: flash })
      expect(error.message).toContain('google/gemini-2.5-flash')
    }
    expect(captured).toHaveLength(0)
  })

  it('maps response_format: json_schema to responseJsonSchema, json_object to the JSON media type', async () => {
    const captured = serveFlash()
    await router().chat({
      model: `google/${flash}`,
      messages: [{ role: 'user', content: 'Answer as JSON.' }],
      response_format: answerResponseFormat,
    })
    await router().chat({ model: `google/${flash}`, messages: [{ role: 'user', content: 'JSON please.' }], response_format: { type: 'json_object' } })
    expect(captured[0]!.body.generationConfig).toEqual({ responseMimeType: 'application/json', responseJsonSchema: answerSchema })
    expect(captured[1]!.body.generationConfig).toEqual({ responseMimeType: 'application/json' })
  })

  it('maps tool_choice to functionCallingConfig: none, required, one named function', async () => {
    const captured = serveFlash()
    const base = { model: `google/${flash}`, messages: [{ role: 'user' as const, content: 'Go.' }], tools: [weatherTool, clockTool] }
    await router().chat({ ...base, tool_choice: 'none' })
    await router().chat({ ...base, tool_choice: 'required' })
    await router().chat({ ...base, tool_choice: { type: 'function', function: { name: 'get_time' } } })
    expect(captured.map((request) => request.body.toolConfig)).toEqual([
      { functionCallingConfig: { mode: 'NONE' } },
      { functionCallingConfig: { mode: 'ANY' } },
      { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_time'] } },
    ])
  })

  it('maps reasoning_effort to a thinking budget (Gemini 2.5) or level (Gemini 3) and asks for thought summaries', async () => {
    const flashCalls = serveFlash()
    const proCalls = serveFlash('gemini-3-pro-preview')
    const flash3Calls = serveFlash('gemini-3-flash-preview')
    const ask = (model: string, reasoning_effort: 'minimal' | 'low' | 'medium' | 'high') =>
      router().chat({ model: `google/${model}`, messages: [{ role: 'user', content: 'Think.' }], reasoning_effort })
    await ask(flash, 'low')
    await ask(flash, 'high')
    await ask('gemini-3-pro-preview', 'medium')
    await ask('gemini-3-flash-preview', 'minimal')
    expect(flashCalls.map((request) => request.body.generationConfig.thinkingConfig)).toEqual([
      { thinkingBudget: 1024, includeThoughts: true },
      { thinkingBudget: 24576, includeThoughts: true },
    ])
    expect(proCalls[0]!.body.generationConfig.thinkingConfig).toEqual({ thinkingLevel: 'HIGH', includeThoughts: true })
    expect(flash3Calls[0]!.body.generationConfig.thinkingConfig).toEqual({ thinkingLevel: 'MINIMAL', includeThoughts: true })
  })

  it('adds provider_options.google to the config, next to the translated fields', async () => {
    const captured = serveFlash()
    await router().chat({
      model: `google/${flash}`,
      messages: [{ role: 'user', content: 'Hi' }],
      temperature: 0.5,
      provider_options: {
        google: { thinkingConfig: { thinkingBudget: 0 }, safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }] },
        openai: { temperature: 2 },
      },
    })
    expect(captured[0]!.body.generationConfig).toEqual({ temperature: 0.5, thinkingConfig: { thinkingBudget: 0 } })
    expect(captured[0]!.body.safetySettings).toEqual([{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }])
  })

  it('turns a provider option the SDK refuses for the Gemini API into an InvalidRequestError, before any request', async () => {
    const captured = serveFlash()
    const error = await attemptError(
      router().chat({ model: `google/${flash}`, messages: [{ role: 'user', content: 'Hi' }], provider_options: { google: { routingConfig: { autoMode: {} } } } }),
    )
    expect(error).toBeInstanceOf(InvalidRequestError)
    expect(error.message).toMatch(/^google\/gemini-2\.5-flash: routingConfig parameter is only supported/)
    expect(captured).toHaveLength(0)
  })

  it('rejects a tool result whose tool_call_id matches no earlier tool call, naming the id', async () => {
    const captured = serveFlash()
    const error = await attemptError(
      router().chat({ model: `google/${flash}`, messages: [{ role: 'user', content: 'Hi' }, { role: 'tool', tool_call_id: 'call_missing', content: 'x' }] }),
    )
    expect(error).toBeInstanceOf(InvalidRequestError)
    expect(error.message).toContain('call_missing')
    expect(captured).toHaveLength(0)
  })

  it('streams parallel function calls as separate tool calls in order, each with its arguments whole', async () => {
    const first = geminiResponse([{ text: 'Checking both.' }], { responseId: 'stream-1' })
    delete (first.candidates[0] as { finishReason?: string }).finishReason
    const second = geminiResponse(
      [
        { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'sig-1' },
        { functionCall: { name: 'get_time', args: {} } },
      ],
      { responseId: 'stream-1' },
    )
    serveGemini(server, flash, 'streamGenerateContent', () => sseResponse([first, second]))
    const { chunks, result } = await collectWithResult(router().stream({ model: `google/${flash}`, messages: [{ role: 'user', content: 'Weather and time?' }], tools: [weatherTool, clockTool] }))
    const starts = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []).filter((delta) => delta.id)
    expect(starts.map((delta) => [delta.index, delta.id, delta.function?.name])).toEqual([
      [0, 'call_stream-1_0', 'get_weather'],
      [1, 'call_stream-1_1', 'get_time'],
    ])
    const message = result.choices[0]!.message
    expect(message.content).toBe('Checking both.')
    expect(message.tool_calls!.map((call) => [call.function.name, JSON.parse(call.function.arguments)])).toEqual([
      ['get_weather', { city: 'Paris' }],
      ['get_time', {}],
    ])
    expect(message.provider_data).toEqual({ google: { toolCallSignatures: { 'call_stream-1_0': 'sig-1' } } })
    expect(result.choices[0]!.finish_reason).toBe('tool_calls')
  })

  it('keeps only the first function call when parallel_tool_calls is false (emulated: Gemini has no such switch)', async () => {
    serveGemini(server, flash, 'generateContent', () =>
      HttpResponse.json(
        geminiResponse([
          { functionCall: { name: 'get_weather', args: { city: 'Paris' } } },
          { functionCall: { name: 'get_weather', args: { city: 'Rome' } } },
        ]),
      ),
    )
    const request = { model: `google/${flash}`, messages: [{ role: 'user' as const, content: 'Paris and Rome?' }], tools: [weatherTool] }
    const parallel = await router().chat(request)
    const single = await router().chat({ ...request, parallel_tool_calls: false })
    expect(parallel.choices[0]!.message.tool_calls!.map((call) => JSON.parse(call.function.arguments))).toEqual([{ city: 'Paris' }, { city: 'Rome' }])
    expect(parallel.choices[0]!.message.tool_calls!.map((call) => call.id)).toEqual(['call_resp-test_0', 'call_resp-test_1'])
    expect(single.choices[0]!.message.tool_calls!.map((call) => JSON.parse(call.function.arguments))).toEqual([{ city: 'Paris' }])
  })
})
