import type { ChatMessage, TextPart, UserContentPart } from '../../spec/message.js'
import type { FunctionTool, ModelRequest } from '../../spec/request.js'
import { openAINamedParameters } from '../../internal/openai-named-parameters.js'
import { addProviderOptions } from '../../provider-kit/provider-options.js'

const namedParameters: ReadonlySet<string> = new Set(openAINamedParameters)

export interface OpenAIRequestOptions {
  /** Provider id, to pick its `provider_options`. */
  provider: string
  /** OpenAI wants `max_completion_tokens`; most compatible hosts only know `max_tokens`. */
  maxTokensField: 'max_tokens' | 'max_completion_tokens'
}

// Our extensions (cache_control, reasoning, provider_data) are not part of the OpenAI wire format.
function toWireText(parts: TextPart[]): Array<{ type: 'text'; text: string }> {
  return parts.map((part) => ({ type: 'text', text: part.text }))
}

function toWireUserContent(content: string | UserContentPart[]) {
  if (typeof content === 'string') return content
  return content.map((part) =>
    part.type === 'text' ? { type: 'text', text: part.text } : { type: 'image_url', image_url: { ...part.image_url } },
  )
}

// Optional fields are assigned rather than spread in: a conditional spread costs a runtime copy per message.
function toWireMessage(message: ChatMessage): Record<string, unknown> {
  switch (message.role) {
    case 'system':
    case 'developer': {
      const wire: Record<string, unknown> = { role: message.role, content: typeof message.content === 'string' ? message.content : toWireText(message.content) }
      if (message.name) wire.name = message.name
      return wire
    }
    case 'user': {
      const wire: Record<string, unknown> = { role: 'user', content: toWireUserContent(message.content) }
      if (message.name) wire.name = message.name
      return wire
    }
    case 'assistant': {
      const wire: Record<string, unknown> = {
        role: 'assistant',
        content: typeof message.content === 'string' || message.content === null ? message.content : toWireText(message.content),
      }
      if (message.tool_calls?.length) wire.tool_calls = message.tool_calls.map((call) => ({ id: call.id, type: 'function', function: { ...call.function } }))
      if (message.refusal) wire.refusal = message.refusal
      if (message.name) wire.name = message.name
      return wire
    }
    case 'tool':
      return { role: 'tool', tool_call_id: message.tool_call_id, content: typeof message.content === 'string' ? message.content : toWireText(message.content) }
  }
}

export function toWireTool(tool: FunctionTool) {
  const { name, description, parameters, strict } = tool.function
  return {
    type: 'function',
    function: {
      name,
      ...(description !== undefined ? { description } : {}),
      // A tool with no arguments still needs an object schema for strict hosts.
      parameters: parameters ?? { type: 'object', properties: {} },
      ...(strict !== undefined ? { strict } : {}),
    },
  }
}

/** The canonical request as an OpenAI Chat Completions body (without `stream`). */
export function toOpenAIRequest(request: ModelRequest, options: OpenAIRequestOptions): Record<string, unknown> {
  const body: Record<string, unknown> = { model: request.model, messages: request.messages.map(toWireMessage) }
  if (request.tools?.length) body.tools = request.tools.map(toWireTool)
  const maxTokens = request.max_completion_tokens ?? request.max_tokens
  if (maxTokens !== undefined) body[options.maxTokensField] = maxTokens
  // The request's own fields (a few), not every parameter name OpenAI knows (dozens).
  for (const field in request) {
    if (namedParameters.has(field) && request[field as keyof ModelRequest] !== undefined) body[field] = request[field as keyof ModelRequest]
  }
  const providerOptions = request.provider_options?.[options.provider]
  return providerOptions ? addProviderOptions(body, providerOptions, `provider_options.${options.provider}`) : body
}
