import type { AssistantMessage, ChatMessage, ImagePart, TextPart, ToolCall, UserContentPart } from '../../spec/message.js'
import type { ChatParameters, ChatRequest, FunctionTool, ResponseFormat, ToolChoice } from '../../spec/request.js'
import { checkStreamFlag, invalidRequest as fail, isObject, withForwardedFields } from '../request-checks.js'
import { providerDataFromReasoning } from './responses-reasoning.js'
import type { ResponseCreateParams } from './responses-types.js'

/**
 * Fields of `CreateResponse` that need state the router does not keep, or tools only OpenAI's
 * servers run. Each is a 400 naming the field: dropping one silently would change the answer.
 */
const statefulFields: Record<string, string> = {
  previous_response_id: 'the router keeps no responses, so it cannot continue one; send the earlier turns as `input` items instead',
  conversation: 'the router keeps no conversations; send the earlier turns as `input` items instead',
  prompt: 'stored prompt templates live on OpenAI\'s servers; send `instructions` and `input` instead',
  background: 'background responses must be stored and polled; the router answers in the request',
  context_management: 'server-side context compaction needs stored responses',
  max_tool_calls: 'it limits OpenAI\'s built-in tools, which the router does not run',
  top_logprobs: 'log probabilities are not available through the router',
}

/** OpenAI-only fields with no canonical home: they reach OpenAI (provider id `openai`) and nobody else. */
const openAIOnlyFields = ['service_tier', 'prompt_cache_key', 'prompt_cache_retention', 'safety_identifier'] as const

function rejectStateful(params: Record<string, unknown>): void {
  checkStreamFlag(params.stream)
  for (const [field, reason] of Object.entries(statefulFields)) {
    const value = params[field]
    if (value !== undefined && value !== null && value !== false) fail(`\`${field}\` is not supported: ${reason}.`)
  }
  if (params.store === true) {
    fail('`store: true` is not supported: the router keeps no responses to retrieve later. Omit `store` or send `store: false` (with the Vercel AI SDK: providerOptions.openai.store = false).')
  }
  if (params.truncation !== undefined && params.truncation !== null && params.truncation !== 'disabled') {
    fail('`truncation` must be "disabled": the router does not drop input items to fit a context window.')
  }
  if (params.include !== undefined && params.include !== null) {
    if (!Array.isArray(params.include)) fail('`include` must be an array.')
    // Reasoning data always travels in `encrypted_content`, so asking for it is already honoured.
    const unservable = params.include.filter((entry) => entry !== 'reasoning.encrypted_content')
    if (unservable.length > 0) fail(`\`include\` value ${JSON.stringify(unservable[0])} is not supported: only "reasoning.encrypted_content" can be served.`)
  }
}

function textOf(part: Record<string, unknown>, where: string): string {
  if (typeof part.text !== 'string') fail(`${where}.text must be a string.`)
  return part.text
}

function userPart(part: unknown, where: string): UserContentPart {
  if (!isObject(part)) fail(`${where} must be a content part object.`)
  if (part.type === 'input_text') return { type: 'text', text: textOf(part, where) }
  if (part.type === 'input_image') {
    if (typeof part.image_url !== 'string' || part.image_url === '') {
      fail(`${where}: only images given by \`image_url\` (an https or data URL) are supported; \`file_id\` needs OpenAI's file storage.`)
    }
    const image: ImagePart = { type: 'image_url', image_url: { url: part.image_url } }
    if (part.detail === 'low' || part.detail === 'high' || part.detail === 'auto') image.image_url.detail = part.detail
    return image
  }
  fail(`${where}: content type ${JSON.stringify(part.type)} is not supported through the router (only input_text and input_image).`)
}

/** Plain text stays a string, so every provider gets the simplest form. */
function simplify(parts: UserContentPart[]): string | UserContentPart[] {
  return parts.every((part) => part.type === 'text') ? parts.map((part) => (part as TextPart).text).join('') : parts
}

/** Where the translation is: messages so far and the assistant turn being assembled. */
class Conversation {
  readonly messages: ChatMessage[] = []
  private assistant: AssistantMessage | undefined
  /** Reasoning items come before the assistant output they belong to. */
  private pendingReasoning: { text: string; providerData?: Record<string, unknown> } | undefined

  private openAssistant(): AssistantMessage {
    if (!this.assistant) {
      this.assistant = { role: 'assistant', content: null }
      if (this.pendingReasoning) {
        if (this.pendingReasoning.text) this.assistant.reasoning = this.pendingReasoning.text
        if (this.pendingReasoning.providerData) this.assistant.provider_data = this.pendingReasoning.providerData
        this.pendingReasoning = undefined
      }
      this.messages.push(this.assistant)
    }
    return this.assistant
  }

  /** A new turn by someone else ends the assistant turn being assembled. */
  push(message: ChatMessage): void {
    this.assistant = undefined
    this.messages.push(message)
  }

  reasoning(text: string, providerData: Record<string, unknown> | undefined): void {
    // Consecutive reasoning items (several summaries) are one turn's reasoning.
    const pending = this.pendingReasoning ?? { text: '' }
    pending.text = pending.text && text ? `${pending.text}\n\n${text}` : pending.text || text
    if (providerData) pending.providerData = providerData
    this.pendingReasoning = pending
    this.assistant = undefined
  }

  assistantText(text: string, refusal: string): void {
    const assistant = this.openAssistant()
    // Tool calls made before this text belong to an earlier step; text after them starts a new message.
    if (assistant.tool_calls?.length) {
      this.assistant = undefined
      return this.assistantText(text, refusal)
    }
    if (text) assistant.content = `${typeof assistant.content === 'string' ? assistant.content : ''}${text}`
    if (refusal) assistant.refusal = `${assistant.refusal ?? ''}${refusal}`
  }

  toolCall(call: ToolCall): void {
    const assistant = this.openAssistant()
    assistant.tool_calls = [...(assistant.tool_calls ?? []), call]
  }
}

function messageItem(item: Record<string, unknown>, where: string, conversation: Conversation): void {
  const role = item.role
  const content = item.content
  if (role === 'assistant') {
    if (typeof content === 'string') return conversation.assistantText(content, '')
    if (!Array.isArray(content)) fail(`${where}.content must be a string or an array of content parts.`)
    let text = ''
    let refusal = ''
    content.forEach((part, index) => {
      const at = `${where}.content[${index}]`
      if (isObject(part) && (part.type === 'output_text' || part.type === 'input_text')) text += textOf(part, at)
      else if (isObject(part) && part.type === 'refusal' && typeof part.refusal === 'string') refusal += part.refusal
      else fail(`${at}: an assistant message may hold output_text and refusal parts only.`)
    })
    return conversation.assistantText(text, refusal)
  }
  if (role !== 'user' && role !== 'system' && role !== 'developer') fail(`${where}.role must be "user", "assistant", "system" or "developer".`)
  if (typeof content === 'string') return conversation.push({ role, content } as ChatMessage)
  if (!Array.isArray(content)) fail(`${where}.content must be a string or an array of content parts.`)
  const parts = content.map((part, index) => userPart(part, `${where}.content[${index}]`))
  if (role === 'user') return conversation.push({ role, content: simplify(parts) })
  if (parts.some((part) => part.type !== 'text')) fail(`${where}: a ${role} message may hold text only.`)
  conversation.push({ role, content: parts.map((part) => (part as TextPart).text).join('') })
}

function toolOutputText(output: unknown, where: string): string {
  if (typeof output === 'string') return output
  if (!Array.isArray(output)) fail(`${where}.output must be a string or an array of input_text parts.`)
  return output
    .map((part, index) => {
      if (isObject(part) && part.type === 'input_text' && typeof part.text === 'string') return part.text
      return fail(`${where}.output[${index}]: only input_text parts are supported in a function_call_output.`)
    })
    .join('')
}

function inputItems(input: unknown, conversation: Conversation): void {
  if (input === undefined || input === null) return
  if (typeof input === 'string') return conversation.push({ role: 'user', content: input })
  if (!Array.isArray(input)) fail('`input` must be a string or an array of input items.')
  input.forEach((item, index) => {
    const where = `input[${index}]`
    if (!isObject(item)) fail(`${where} must be an object.`)
    const type = item.type ?? 'message'
    switch (type) {
      case 'message':
        return messageItem(item, where, conversation)
      case 'function_call': {
        if (typeof item.call_id !== 'string' || typeof item.name !== 'string') fail(`${where} needs \`call_id\` and \`name\`.`)
        const argumentsText = typeof item.arguments === 'string' ? item.arguments : '{}'
        return conversation.toolCall({ id: item.call_id, type: 'function', function: { name: item.name, arguments: argumentsText } })
      }
      case 'function_call_output':
        if (typeof item.call_id !== 'string' || item.call_id === '') fail(`${where}.call_id is required.`)
        return conversation.push({ role: 'tool', tool_call_id: item.call_id, content: toolOutputText(item.output, where) })
      case 'reasoning': {
        const summary = Array.isArray(item.summary) ? item.summary : []
        const text = summary.map((part) => (isObject(part) && typeof part.text === 'string' ? part.text : '')).filter(Boolean).join('\n\n')
        return conversation.reasoning(text, providerDataFromReasoning(item.encrypted_content))
      }
      case 'item_reference':
        return fail(
          `${where}: \`item_reference\` is not supported: the router keeps no items to look up. Send the items themselves (with the Vercel AI SDK: providerOptions.openai.store = false).`,
        )
      default:
        return fail(`${where}: input items of type ${JSON.stringify(type)} are not supported through the router (built-in tools run only on OpenAI's servers).`)
    }
  })
}

function functionTools(tools: unknown): FunctionTool[] | undefined {
  if (tools === undefined || tools === null) return undefined
  if (!Array.isArray(tools)) fail('`tools` must be an array.')
  return tools.map((tool, index) => {
    if (!isObject(tool)) fail(`tools[${index}] must be an object.`)
    if (tool.type !== 'function') {
      fail(`tools[${index}].type ${JSON.stringify(tool.type)} is not supported: built-in tools run only on OpenAI's servers; the router serves function tools.`)
    }
    if (typeof tool.name !== 'string' || tool.name === '') fail(`tools[${index}].name is required.`)
    const converted: FunctionTool = { type: 'function', function: { name: tool.name } }
    if (typeof tool.description === 'string') converted.function.description = tool.description
    if (isObject(tool.parameters)) converted.function.parameters = tool.parameters
    if (typeof tool.strict === 'boolean') converted.function.strict = tool.strict
    return converted
  })
}

function toolChoice(choice: unknown): ToolChoice | undefined {
  if (choice === undefined || choice === null) return undefined
  if (choice === 'auto' || choice === 'none' || choice === 'required') return choice
  if (isObject(choice) && choice.type === 'function' && typeof choice.name === 'string') return { type: 'function', function: { name: choice.name } }
  return fail('`tool_choice` must be "auto", "none", "required" or { type: "function", name }; other choices name tools the router does not run.')
}

function responseFormat(text: unknown): ResponseFormat | undefined {
  if (text === undefined || text === null) return undefined
  if (!isObject(text)) fail('`text` must be an object such as { format: { type: "text" } }.')
  const format = text.format
  if (format === undefined || format === null) return undefined
  if (!isObject(format)) fail('`text.format` must be an object.')
  if (format.type === 'text') return undefined
  if (format.type === 'json_object') return { type: 'json_object' }
  if (format.type === 'json_schema') {
    if (typeof format.name !== 'string' || !isObject(format.schema)) fail('`text.format` of type json_schema needs `name` and `schema`.')
    const jsonSchema: Extract<ResponseFormat, { type: 'json_schema' }>['json_schema'] = { name: format.name, schema: format.schema }
    if (typeof format.description === 'string') jsonSchema.description = format.description
    if (typeof format.strict === 'boolean') jsonSchema.strict = format.strict
    return { type: 'json_schema', json_schema: jsonSchema }
  }
  return fail('`text.format.type` must be "text", "json_object" or "json_schema".')
}

function reasoningEffort(reasoning: unknown): ChatParameters['reasoning_effort'] | undefined {
  if (reasoning === undefined || reasoning === null) return undefined
  if (!isObject(reasoning)) fail('`reasoning` must be an object such as { effort: "low" }.')
  const effort = reasoning.effort
  if (effort === undefined || effort === null || effort === 'none') return undefined
  if (effort === 'minimal' || effort === 'low' || effort === 'medium' || effort === 'high') return effort
  return fail(`\`reasoning.effort\` ${JSON.stringify(effort)} is not supported: use "none", "minimal", "low", "medium" or "high".`)
}

/** A stateless Responses API request as the canonical request. What cannot be served is a 400 naming the field. */
export function chatRequestFromResponses(params: ResponseCreateParams): ChatRequest {
  if (!isObject(params)) fail('the body must be a JSON object with `model` and `input`.')
  rejectStateful(params)
  const conversation = new Conversation()
  if (params.instructions !== undefined && params.instructions !== null) {
    if (typeof params.instructions !== 'string') fail('`instructions` must be a string.')
    if (params.instructions !== '') conversation.push({ role: 'system', content: params.instructions })
  }
  inputItems(params.input, conversation)
  const request: ChatRequest = { model: params.model, messages: conversation.messages }
  const tools = functionTools(params.tools)
  if (tools && tools.length > 0) request.tools = tools
  const choice = toolChoice(params.tool_choice)
  if (choice !== undefined) request.tool_choice = choice
  if (typeof params.parallel_tool_calls === 'boolean') request.parallel_tool_calls = params.parallel_tool_calls
  const format = responseFormat(params.text)
  if (format) request.response_format = format
  const effort = reasoningEffort(params.reasoning)
  if (effort) request.reasoning_effort = effort
  if (params.max_output_tokens !== undefined && params.max_output_tokens !== null) request.max_tokens = params.max_output_tokens
  if (params.temperature !== undefined && params.temperature !== null) request.temperature = params.temperature
  if (params.top_p !== undefined && params.top_p !== null) request.top_p = params.top_p
  if (params.user !== undefined) request.user = params.user
  const forwarded: Record<string, unknown> = Object.fromEntries(openAIOnlyFields.filter((field) => params[field] !== undefined && params[field] !== null).map((field) => [field, params[field]]))
  const verbosity = isObject(params.text) ? params.text.verbosity : undefined
  if (verbosity !== undefined && verbosity !== null) forwarded.verbosity = verbosity
  const providerOptions = withForwardedFields(params.provider_options, 'openai', forwarded)
  if (providerOptions) request.provider_options = providerOptions
  return request
}
