import type { ChatMessage, TextPart, UserContentPart } from '../../spec/message.js'
import type { ModelRequest, ResponseFormat, ToolChoice } from '../../spec/request.js'
import { toWireTool } from '../openai/openai-request.js'
import { toMistralToolCallId } from './mistral-tool-call-id.js'
import type { MistralContentChunk } from './mistral-wire-types.js'
import { addProviderOptions } from '../../provider-kit/provider-options.js'

function joinText(content: string | TextPart[]): string {
  return typeof content === 'string' ? content : content.map((part) => part.text).join('')
}

function toTextChunks(parts: TextPart[]): MistralContentChunk[] {
  return parts.map((part) => ({ type: 'text', text: part.text }))
}

function toUserContent(content: string | UserContentPart[]): string | MistralContentChunk[] {
  if (typeof content === 'string') return content
  return content.map((part) =>
    part.type === 'text'
      ? { type: 'text', text: part.text }
      : { type: 'image_url', imageUrl: { url: part.image_url.url, ...(part.image_url.detail ? { detail: part.image_url.detail } : {}) } },
  )
}

/** Mistral wants the function name on a tool result; the canonical dialect keeps it on the call. */
function toolNamesById(messages: ChatMessage[]): Map<string, string> {
  const names = new Map<string, string>()
  for (const message of messages) {
    if (message.role !== 'assistant') continue
    for (const call of message.tool_calls ?? []) names.set(call.id, call.function.name)
  }
  return names
}

function toMistralMessage(message: ChatMessage, toolNames: Map<string, string>): Record<string, unknown> {
  switch (message.role) {
    case 'system':
    case 'developer':
      // Mistral has no developer role; it is the system prompt under another name.
      return { role: 'system', content: joinText(message.content) }
    case 'user':
      return { role: 'user', content: toUserContent(message.content) }
    case 'assistant': {
      const content = message.content === null || typeof message.content === 'string' ? message.content : toTextChunks(message.content)
      const wire: Record<string, unknown> = { role: 'assistant', content: content === '' ? null : content }
      if (message.tool_calls?.length) {
        wire.toolCalls = message.tool_calls.map((call, index) => ({ id: toMistralToolCallId(call.id), type: 'function', index, function: { name: call.function.name, arguments: call.function.arguments || '{}' } }))
      }
      return wire
    }
    case 'tool': {
      const name = toolNames.get(message.tool_call_id)
      return { role: 'tool', toolCallId: toMistralToolCallId(message.tool_call_id), ...(name ? { name } : {}), content: joinText(message.content) }
    }
  }
}

function toMistralToolChoice(choice: ToolChoice): unknown {
  if (typeof choice !== 'string') return { type: 'function', function: { name: choice.function.name } }
  // Mistral's name for "must call a tool".
  return choice === 'required' ? 'any' : choice
}

function toMistralResponseFormat(format: ResponseFormat): Record<string, unknown> {
  if (format.type !== 'json_schema') return { type: format.type }
  const { name, description, schema, strict } = format.json_schema
  return {
    type: 'json_schema',
    jsonSchema: {
      name,
      ...(description !== undefined ? { description } : {}),
      schemaDefinition: schema ?? {},
      ...(typeof strict === 'boolean' ? { strict } : {}),
    },
  }
}

// The SDK validates its input and drops keys it does not know, so API-style snake_case options
// (`safe_prompt`) must become the SDK's camelCase (`safePrompt`) or they would vanish silently.
export function camelCaseKeys(options: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).map(([key, value]) => [key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()), value]))
}

/** The canonical request as an `@mistralai/mistralai` `chat.complete` / `chat.stream` request. */
export function toMistralRequest(request: ModelRequest, provider: string): Record<string, unknown> {
  const toolNames = toolNamesById(request.messages)
  const body: Record<string, unknown> = { model: request.model, messages: request.messages.map((message) => toMistralMessage(message, toolNames)) }
  // Mistral's function tools have OpenAI's shape, the default schema of a no-argument tool included.
  if (request.tools?.length) body.tools = request.tools.map(toWireTool)
  if (request.tool_choice !== undefined) body.toolChoice = toMistralToolChoice(request.tool_choice)
  if (request.parallel_tool_calls !== undefined) body.parallelToolCalls = request.parallel_tool_calls
  if (request.response_format !== undefined) body.responseFormat = toMistralResponseFormat(request.response_format)
  const maxTokens = request.max_completion_tokens ?? request.max_tokens
  if (maxTokens !== undefined) body.maxTokens = maxTokens
  const renamed = {
    temperature: 'temperature',
    top_p: 'topP',
    stop: 'stop',
    seed: 'randomSeed',
    presence_penalty: 'presencePenalty',
    frequency_penalty: 'frequencyPenalty',
    reasoning_effort: 'reasoningEffort',
  } as const
  for (const [field, wireField] of Object.entries(renamed)) {
    const value = request[field as keyof typeof renamed]
    if (value !== undefined) body[wireField] = value
  }
  const options = request.provider_options?.[provider]
  return options ? addProviderOptions(body, camelCaseKeys(options), `provider_options.${provider}`) : body
}
