import type { AssistantMessage, ChatMessage, FunctionTool, ToolCall, ToolMessage, UserMessage } from '../../src/index.js'

/** A tool with arguments, carrying a cache marker that OpenAI-format hosts must not send on. */
export const weatherTool: FunctionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
  cache_control: { type: 'ephemeral' },
}

/** A tool without arguments: the canonical dialect lets `parameters` be omitted. */
export const clockTool: FunctionTool = { type: 'function', function: { name: 'get_time' } }

/** The prompt the recorded text completions (groq, mistral, openai) were made with. */
export const holidayMessages: ChatMessage[] = [{ role: 'user', content: 'Invent a new holiday and describe its traditions.' }]

/** The question the canonical tool conversation opens with. */
export const weatherAndTimeQuestion = 'Weather in Paris and the time?'

/** A parallel pair of calls: one with arguments (get_weather), one without (get_time). */
export function weatherAndTimeToolCalls(callIds: readonly [string, string] = ['call_1', 'call_2']): ToolCall[] {
  return [
    { id: callIds[0], type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
    { id: callIds[1], type: 'function', function: { name: 'get_time', arguments: '{}' } },
  ]
}

/**
 * The canonical multi-turn request: a cache-marked system prompt, the question, an assistant turn with
 * reasoning and parallel tool calls, then both tool results. What varies is what each provider's test
 * needs to see translated (its tool-call id format, an opaque provider_data, a text-part tool result).
 */
export function weatherAndTimeConversation(
  options: {
    callIds?: readonly [string, string]
    reasoning?: string
    providerData?: AssistantMessage['provider_data']
    timeResult?: ToolMessage['content']
  } = {},
): ChatMessage[] {
  const toolCalls = weatherAndTimeToolCalls(options.callIds)
  const assistant: AssistantMessage = {
    role: 'assistant',
    content: null,
    reasoning: options.reasoning ?? 'I should call both tools.',
    ...(options.providerData === undefined ? {} : { provider_data: options.providerData }),
    tool_calls: toolCalls,
  }
  return [
    { role: 'system', content: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }] },
    { role: 'user', content: weatherAndTimeQuestion },
    assistant,
    { role: 'tool', tool_call_id: toolCalls[0]!.id, content: 'sunny, 21°C' },
    { role: 'tool', tool_call_id: toolCalls[1]!.id, content: options.timeResult ?? '14:05' },
  ]
}

/** weatherTool and clockTool as an OpenAI-format host receives them: no cache marker, an empty schema filled in. */
export const weatherToolOnOpenAIWire = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
}
export const clockToolOnOpenAIWire = { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } }

/** A one-field JSON schema for json_schema output tests; strict-mode ready (additionalProperties: false). */
export const answerSchema = { type: 'object', properties: { answer: { type: 'number' } }, required: ['answer'], additionalProperties: false }

/** The smallest PNG the image tests send: its base64 payload and the data: URL carrying it. */
export const pngBase64 = 'iVBORw0KGgo='
export const pngDataUrl = `data:image/png;base64,${pngBase64}`

/** A question about two images: an https URL with a detail level and a cache marker, and a data: URL. */
export const imageQuestion: UserMessage = {
  role: 'user',
  content: [
    { type: 'text', text: 'What is in these images?' },
    { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'high' }, cache_control: { type: 'ephemeral' } },
    { type: 'image_url', image_url: { url: pngDataUrl } },
  ],
}

/** imageQuestion as an OpenAI-format host receives it: image_url parts as given, the cache marker dropped. */
export const imageQuestionOnOpenAIWire = {
  role: 'user',
  content: [
    { type: 'text', text: 'What is in these images?' },
    { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'high' } },
    { type: 'image_url', image_url: { url: pngDataUrl } },
  ],
}

/** json_schema output with answerSchema, strict. */
export const answerResponseFormat = { type: 'json_schema', json_schema: { name: 'answer', schema: answerSchema, strict: true } } as const

/** Sampling parameters that OpenAI-format hosts take under the same names (seed is left out: Mistral renames it). */
export const samplingParameters = { temperature: 0.3, top_p: 0.9, stop: ['END', '###'] }

/**
 * weatherAndTimeConversation (default call ids) as an OpenAI-format host receives it: cache markers,
 * reasoning and provider_data dropped; `timeResult` is the get_time result as the host gets it.
 */
export function weatherAndTimeConversationOnOpenAIWire(timeResult: string | Array<{ type: 'text'; text: string }>) {
  return [
    { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
    { role: 'user', content: weatherAndTimeQuestion },
    { role: 'assistant', content: null, tool_calls: weatherAndTimeToolCalls() },
    { role: 'tool', tool_call_id: 'call_1', content: 'sunny, 21°C' },
    { role: 'tool', tool_call_id: 'call_2', content: timeResult },
  ]
}
