import type { LanguageModelV3CallOptions, LanguageModelV3FilePart, LanguageModelV3Prompt, LanguageModelV3ToolResultOutput, SharedV3Warning } from '@ai-sdk/provider'
import { InvalidRequestError } from '../errors/errors.js'
import type { AssistantMessage, ChatMessage, TextPart, UserContentPart } from '../spec/message.js'
import type { ChatParameters, FunctionTool, ToolChoice } from '../spec/request.js'

/** Options a call may pass as `providerOptions.switchyard`. */
export interface SwitchyardCallOptions {
  /** Reasoning effort, mapped by each adapter to its provider's thinking settings. */
  reasoningEffort?: ChatParameters['reasoning_effort']
  /** Provider-specific request fields keyed by provider id, as `provider_options` on `router.chat()`. */
  providerOptions?: Record<string, Record<string, unknown>>
  /** An end-user id, forwarded where the provider accepts one. */
  user?: string
}

/** Where Switchyard keeps data on AI SDK parts: the provider's reasoning data (thinking signatures). */
export const metadataKey = 'switchyard'

function unsupported(message: string): never {
  throw new InvalidRequestError(`Invalid request for the Switchyard AI SDK provider: ${message}`, { status: 400 })
}

function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}

function imageUrl(part: LanguageModelV3FilePart): string {
  if (!part.mediaType.startsWith('image/')) unsupported(`file parts of type ${part.mediaType} cannot be sent; only images are supported.`)
  const data = part.data
  if (data instanceof URL) return data.href
  if (data instanceof Uint8Array) return `data:${part.mediaType};base64,${toBase64(data)}`
  // A string is either a URL or base64 data.
  return /^(https?:|data:)/.test(data) ? data : `data:${part.mediaType};base64,${data}`
}

function toolOutputText(output: LanguageModelV3ToolResultOutput): string {
  switch (output.type) {
    case 'text':
    case 'error-text':
      return output.value
    case 'json':
    case 'error-json':
      return JSON.stringify(output.value)
    case 'execution-denied':
      return `Tool execution denied${output.reason ? `: ${output.reason}` : '.'}`
    case 'content':
      return output.value.map((item) => (item.type === 'text' ? item.text : unsupported('tool results may hold text only.'))).join('')
    default:
      return unsupported('unknown tool result output type.')
  }
}

function switchyardData(providerOptions: unknown): Record<string, unknown> | undefined {
  const own = (providerOptions as Record<string, unknown> | undefined)?.[metadataKey] as { providerData?: unknown } | undefined
  const data = own?.providerData
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined
}

/** An AI SDK prompt as canonical messages. */
export function messagesFromPrompt(prompt: LanguageModelV3Prompt): ChatMessage[] {
  const messages: ChatMessage[] = []
  for (const message of prompt) {
    switch (message.role) {
      case 'system':
        messages.push({ role: 'system', content: message.content })
        break
      case 'user': {
        const parts: UserContentPart[] = message.content.map((part) => (part.type === 'text' ? { type: 'text', text: part.text } : { type: 'image_url', image_url: { url: imageUrl(part) } }))
        messages.push({ role: 'user', content: parts.every((part) => part.type === 'text') ? parts.map((part) => (part as TextPart).text).join('') : parts })
        break
      }
      case 'assistant': {
        const assistant: AssistantMessage = { role: 'assistant', content: null }
        let text = ''
        for (const part of message.content) {
          if (part.type === 'text') text += part.text
          else if (part.type === 'reasoning') {
            assistant.reasoning = `${assistant.reasoning ?? ''}${part.text}`
            const data = switchyardData(part.providerOptions)
            if (data) assistant.provider_data = { ...assistant.provider_data, ...data }
          } else if (part.type === 'tool-call') {
            if (part.providerExecuted) unsupported('provider-executed tools are not supported through the router.')
            const argumentsText = typeof part.input === 'string' ? part.input : JSON.stringify(part.input ?? {})
            assistant.tool_calls = [...(assistant.tool_calls ?? []), { id: part.toolCallId, type: 'function', function: { name: part.toolName, arguments: argumentsText } }]
          } else unsupported(`assistant ${part.type} parts are not supported through the router.`)
        }
        if (text) assistant.content = text
        messages.push(assistant)
        break
      }
      case 'tool':
        for (const part of message.content) {
          if (part.type === 'tool-result') messages.push({ role: 'tool', tool_call_id: part.toolCallId, content: toolOutputText(part.output) })
        }
        break
    }
  }
  return messages
}

function tools(options: LanguageModelV3CallOptions): FunctionTool[] | undefined {
  if (!options.tools?.length) return undefined
  return options.tools.map((tool) => {
    if (tool.type !== 'function') unsupported(`provider tool "${tool.name}" runs only on its provider's servers; the router serves function tools.`)
    const converted: FunctionTool = { type: 'function', function: { name: tool.name, parameters: tool.inputSchema as Record<string, unknown> } }
    if (tool.description) converted.function.description = tool.description
    if (tool.strict !== undefined) converted.function.strict = tool.strict
    return converted
  })
}

function toolChoice(choice: LanguageModelV3CallOptions['toolChoice']): ToolChoice | undefined {
  if (!choice) return undefined
  return choice.type === 'tool' ? { type: 'function', function: { name: choice.toolName } } : choice.type
}

/** The AI SDK's call options as canonical chat parameters, with warnings for settings no provider here takes. */
export function parametersFromCallOptions(options: LanguageModelV3CallOptions): { parameters: ChatParameters; warnings: SharedV3Warning[] } {
  const warnings: SharedV3Warning[] = []
  const parameters: ChatParameters = { messages: messagesFromPrompt(options.prompt) }
  const converted = tools(options)
  if (converted) parameters.tools = converted
  const choice = toolChoice(options.toolChoice)
  if (choice && converted) parameters.tool_choice = choice
  if (options.maxOutputTokens !== undefined) parameters.max_tokens = options.maxOutputTokens
  if (options.temperature !== undefined) parameters.temperature = options.temperature
  if (options.topP !== undefined) parameters.top_p = options.topP
  if (options.stopSequences?.length) parameters.stop = options.stopSequences
  if (options.seed !== undefined) parameters.seed = options.seed
  if (options.presencePenalty !== undefined) parameters.presence_penalty = options.presencePenalty
  if (options.frequencyPenalty !== undefined) parameters.frequency_penalty = options.frequencyPenalty
  if (options.topK !== undefined) warnings.push({ type: 'unsupported', feature: 'topK', details: 'Pass it to one provider with providerOptions.switchyard.providerOptions.' })
  if (options.responseFormat?.type === 'json') {
    parameters.response_format = options.responseFormat.schema
      ? {
          type: 'json_schema',
          json_schema: {
            name: options.responseFormat.name ?? 'response',
            schema: options.responseFormat.schema as Record<string, unknown>,
            ...(options.responseFormat.description ? { description: options.responseFormat.description } : {}),
          },
        }
      : { type: 'json_object' }
  }
  const own = (options.providerOptions?.[metadataKey] ?? {}) as SwitchyardCallOptions
  if (own.reasoningEffort) parameters.reasoning_effort = own.reasoningEffort
  if (own.providerOptions) parameters.provider_options = own.providerOptions
  if (own.user) parameters.user = own.user
  return { parameters, warnings }
}
