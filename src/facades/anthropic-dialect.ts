import type { AssistantMessage, CacheControl, ChatMessage, ImagePart, TextPart, ToolCall, UserContentPart } from '../spec/message.js'
import type { ChatRequest, FunctionTool, ToolChoice } from '../spec/request.js'
import type { ChatResult, FinishReason } from '../spec/response.js'
import type { Usage } from '../spec/usage.js'
import { thinkingBlocksFromMessage, thinkingProviderData, type WireThinkingBlock } from '../internal/anthropic-thinking.js'
import type {
  AnthropicContentBlock,
  AnthropicImageBlockParam,
  AnthropicMessage,
  AnthropicMessageParams,
  AnthropicStopReason,
  AnthropicTextBlockParam,
  AnthropicToolParam,
  AnthropicUsage,
} from './anthropic-types.js'
import { contentText } from './content-text.js'
import { checkStreamFlag, invalidRequest as fail, isObject, withForwardedFields } from './request-checks.js'

/** Anthropic request fields with no canonical home: they reach Anthropic through `provider_options.anthropic`. */
const anthropicOnlyFields = ['top_k', 'thinking', 'service_tier', 'container', 'mcp_servers', 'context_management', 'speed', 'inference_geo', 'diagnostics'] as const

/** A block's cache marker, copied so that later edits to the canonical request never reach the caller's object. */
function cacheControlOf(block: { cache_control?: unknown }, where: string): { cache_control?: CacheControl } {
  const marker = block.cache_control
  if (marker === undefined || marker === null) return {}
  if (!isObject(marker) || marker.type !== 'ephemeral') fail(`${where ? `${where}.` : ''}cache_control must be { type: "ephemeral" } (optionally with ttl "5m" or "1h").`)
  return { cache_control: { ...(marker as unknown as CacheControl) } }
}

function textPart(block: AnthropicTextBlockParam, where: string): TextPart {
  if (typeof block.text !== 'string') fail(`${where}.text must be a string.`)
  return { type: 'text', text: block.text, ...cacheControlOf(block, where) }
}

function imagePart(block: AnthropicImageBlockParam, where: string): ImagePart {
  const source = isObject(block.source) ? block.source : undefined
  if (source?.type === 'base64' && typeof source.media_type === 'string' && typeof source.data === 'string') {
    return { type: 'image_url', image_url: { url: `data:${source.media_type};base64,${source.data}` }, ...cacheControlOf(block, where) }
  }
  if (source?.type === 'url' && typeof source.url === 'string') return { type: 'image_url', image_url: { url: source.url }, ...cacheControlOf(block, where) }
  fail(`${where}.source must be { type: "base64", media_type, data } or { type: "url", url }.`)
}

/** Plain strings where no part carries a cache marker, so the canonical request stays simple. */
function simplify(parts: TextPart[]): string | TextPart[] {
  return parts.some((part) => part.cache_control) ? parts : parts.map((part) => part.text).join('')
}

function systemMessage(system: AnthropicMessageParams['system']): ChatMessage[] {
  if (system === undefined || system === null) return []
  if (typeof system === 'string') return system === '' ? [] : [{ role: 'system', content: system }]
  if (!Array.isArray(system)) fail('`system` must be a string or an array of text blocks.')
  const parts = system.map((block, index) => {
    if (!isObject(block) || block.type !== 'text') fail(`system[${index}] must be a text block.`)
    return textPart(block, `system[${index}]`)
  })
  return parts.length > 0 ? [{ role: 'system', content: simplify(parts) }] : []
}

/**
 * A `tool_result` block as a canonical tool message. Images in a result have no place in a tool
 * message, so they follow in a user message; `is_error` becomes an "Error:" prefix, because a
 * canonical tool message has no error flag and the model must still learn that the call failed.
 */
function toolResultMessages(block: Record<string, unknown>, where: string): ChatMessage[] {
  if (typeof block.tool_use_id !== 'string' || block.tool_use_id === '') fail(`${where}.tool_use_id is required.`)
  const raw = block.content ?? ''
  const blocks: unknown[] = typeof raw === 'string' ? [{ type: 'text', text: raw }] : Array.isArray(raw) ? raw : fail(`${where}.content must be a string or an array of blocks.`)
  const texts: TextPart[] = []
  const images: ImagePart[] = []
  blocks.forEach((item, index) => {
    const at = `${where}.content[${index}]`
    if (isObject(item) && item.type === 'text') texts.push(textPart(item as AnthropicTextBlockParam, at))
    else if (isObject(item) && item.type === 'image') images.push(imagePart(item as AnthropicImageBlockParam, at))
    else fail(`${at}: only text and image blocks are supported in a tool result.`)
  })
  if (texts.length === 0) texts.push({ type: 'text', text: '' })
  if (block.is_error === true) texts[0] = { ...texts[0]!, text: `Error: ${texts[0]!.text}` }
  const marker = cacheControlOf(block, where)
  if (marker.cache_control) texts[texts.length - 1] = { ...texts.at(-1)!, ...marker }
  const messages: ChatMessage[] = [{ role: 'tool', tool_call_id: block.tool_use_id, content: simplify(texts) }]
  if (images.length > 0) messages.push({ role: 'user', content: images })
  return messages
}

/** A user turn: tool results first (they answer the previous assistant turn), then the rest. */
function userMessages(content: unknown, where: string): ChatMessage[] {
  if (typeof content === 'string') return [{ role: 'user', content }]
  if (!Array.isArray(content) || content.length === 0) fail(`${where}.content must be a string or a non-empty array of blocks.`)
  const toolMessages: ChatMessage[] = []
  const parts: UserContentPart[] = []
  content.forEach((block, index) => {
    const at = `${where}.content[${index}]`
    if (!isObject(block)) fail(`${at} must be a content block object.`)
    switch (block.type) {
      case 'text':
        parts.push(textPart(block as AnthropicTextBlockParam, at))
        break
      case 'image':
        parts.push(imagePart(block as AnthropicImageBlockParam, at))
        break
      case 'tool_result':
        toolMessages.push(...toolResultMessages(block, at))
        break
      default:
        fail(`${at}.type ${JSON.stringify(block.type)} is not supported in a user turn; use text, image or tool_result.`)
    }
  })
  const rest: ChatMessage[] = parts.length === 0 ? [] : [{ role: 'user', content: parts.every((part) => part.type === 'text') ? simplify(parts as TextPart[]) : parts }]
  return [...toolMessages, ...rest]
}

function assistantMessage(content: unknown, where: string): ChatMessage {
  if (typeof content === 'string') return { role: 'assistant', content }
  if (!Array.isArray(content)) fail(`${where}.content must be a string or an array of blocks.`)
  const texts: TextPart[] = []
  const toolCalls: ToolCall[] = []
  const thinking: WireThinkingBlock[] = []
  content.forEach((block, index) => {
    const at = `${where}.content[${index}]`
    if (!isObject(block)) fail(`${at} must be a content block object.`)
    if (block.type === 'text') texts.push(textPart(block as AnthropicTextBlockParam, at))
    else if (block.type === 'tool_use') {
      if (typeof block.id !== 'string' || typeof block.name !== 'string') fail(`${at} needs an \`id\` and a \`name\`.`)
      toolCalls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } })
    } else if (block.type === 'thinking' && typeof block.thinking === 'string' && typeof block.signature === 'string') {
      thinking.push({ type: 'thinking', thinking: block.thinking, signature: block.signature })
    } else if (block.type === 'redacted_thinking' && typeof block.data === 'string') {
      thinking.push({ type: 'redacted_thinking', data: block.data })
    } else fail(`${at}.type ${JSON.stringify(block.type)} is not supported in an assistant turn; use text, tool_use, thinking or redacted_thinking.`)
  })
  const message: AssistantMessage = { role: 'assistant', content: texts.length > 0 ? simplify(texts) : toolCalls.length > 0 ? null : '' }
  if (toolCalls.length > 0) message.tool_calls = toolCalls
  const reasoning = thinking.map((block) => (block.type === 'thinking' ? block.thinking : '')).join('')
  if (reasoning) message.reasoning = reasoning
  const providerData = thinkingProviderData(thinking)
  if (providerData) message.provider_data = providerData
  return message
}

function tools(list: unknown): FunctionTool[] | undefined {
  if (list === undefined || list === null) return undefined
  if (!Array.isArray(list)) fail('`tools` must be an array.')
  return list.map((tool: AnthropicToolParam, index) => {
    if (!isObject(tool) || typeof tool.name !== 'string') fail(`tools[${index}] must be { name, description, input_schema }.`)
    if (tool.type !== undefined && tool.type !== null && tool.type !== 'custom') {
      fail(`tools[${index}]: Anthropic server tools (${String(tool.type)}) are not supported through the router; declare a custom tool.`)
    }
    if (!isObject(tool.input_schema)) fail(`tools[${index}].input_schema must be a JSON Schema object.`)
    const converted: FunctionTool = {
      type: 'function',
      function: {
        name: tool.name,
        ...(tool.description !== undefined ? { description: tool.description } : {}),
        parameters: tool.input_schema,
        ...(typeof tool.strict === 'boolean' ? { strict: tool.strict } : {}),
      },
      ...cacheControlOf(tool, `tools[${index}]`),
    }
    return converted
  })
}

function toolChoice(choice: unknown): { tool_choice?: ToolChoice; parallel_tool_calls?: boolean } {
  if (choice === undefined || choice === null) return {}
  if (!isObject(choice)) fail('`tool_choice` must be an object such as { type: "auto" }.')
  const parallel = choice.disable_parallel_tool_use === true ? { parallel_tool_calls: false } : {}
  switch (choice.type) {
    case 'auto':
      return { tool_choice: 'auto', ...parallel }
    case 'any':
      return { tool_choice: 'required', ...parallel }
    case 'none':
      return { tool_choice: 'none' }
    case 'tool':
      if (typeof choice.name !== 'string') fail('`tool_choice` of type "tool" needs the tool\'s `name`.')
      return { tool_choice: { type: 'function', function: { name: choice.name } }, ...parallel }
    default:
      fail('`tool_choice.type` must be "auto", "any", "tool" or "none".')
  }
}

/**
 * Anthropic's top-level `cache_control` marks the last cacheable block of the request. Placing it
 * on the last message's last part says the same in the canonical request, where every adapter
 * sees it. Returns false when that message has no part to carry it (an assistant turn of only
 * tool calls), and the marker then travels to Anthropic as given.
 */
function markLastPart(messages: ChatMessage[], marker: CacheControl): boolean {
  const last = messages.at(-1)
  if (!last || last.content === null || (Array.isArray(last.content) && last.content.length === 0)) return false
  if (typeof last.content === 'string') {
    if (last.content === '') return false
    last.content = [{ type: 'text', text: last.content, cache_control: { ...marker } }]
    return true
  }
  const parts = last.content as Array<TextPart | ImagePart>
  parts[parts.length - 1] = { ...parts.at(-1)!, cache_control: { ...marker } }
  return true
}

/** An Anthropic Messages request as the canonical request. Unsupported features are a 400. */
export function chatRequestFromAnthropic(params: AnthropicMessageParams): ChatRequest {
  if (!isObject(params)) fail('the body must be a JSON object with `model`, `max_tokens` and `messages`.')
  checkStreamFlag(params.stream)
  if (params.model === undefined) fail('`model` is required.')
  if (typeof params.max_tokens !== 'number' || !Number.isInteger(params.max_tokens) || params.max_tokens < 1) {
    fail('`max_tokens` is required: a positive integer.')
  }
  if (!Array.isArray(params.messages) || params.messages.length === 0) fail('`messages` must be a non-empty array.')
  const messages: ChatMessage[] = [...systemMessage(params.system)]
  params.messages.forEach((message, index) => {
    const where = `messages[${index}]`
    if (!isObject(message)) fail(`${where} must be an object with a \`role\` and \`content\`.`)
    if (message.role === 'user') messages.push(...userMessages(message.content, where))
    else if (message.role === 'assistant') messages.push(assistantMessage(message.content, where))
    else fail(`${where}.role must be "user" or "assistant" (got ${JSON.stringify(message.role)}); the system prompt goes in \`system\`.`)
  })
  const request: ChatRequest = { model: params.model, messages, max_tokens: params.max_tokens }
  const converted = tools(params.tools)
  if (converted) request.tools = converted
  Object.assign(request, toolChoice(params.tool_choice))
  if (params.temperature !== undefined) {
    // Anthropic's range is 0-1, narrower than the canonical 0-2; an Anthropic client expects its own rule.
    if (typeof params.temperature !== 'number' || params.temperature < 0 || params.temperature > 1) fail('`temperature` must be a number from 0 to 1.')
    request.temperature = params.temperature
  }
  if (params.top_p !== undefined) request.top_p = params.top_p
  if (params.stop_sequences !== undefined) {
    // The canonical `stop` also takes a single string; Anthropic's clients only ever send a list.
    if (!Array.isArray(params.stop_sequences) || !params.stop_sequences.every((sequence) => typeof sequence === 'string')) fail('`stop_sequences` must be an array of strings.')
    request.stop = params.stop_sequences
  }
  if (typeof params.metadata?.user_id === 'string') request.user = params.metadata.user_id
  const outputConfig = isObject(params.output_config) ? { ...params.output_config } : undefined
  const format = outputConfig?.format
  if (isObject(format) && format.type === 'json_schema' && isObject(format.schema)) {
    request.response_format = { type: 'json_schema', json_schema: { name: 'output', schema: format.schema } }
    delete outputConfig!.format
  }
  const forwarded: Record<string, unknown> = Object.fromEntries(anthropicOnlyFields.filter((field) => params[field] !== undefined).map((field) => [field, params[field]]))
  const marker = cacheControlOf(params, '').cache_control
  if (marker && !markLastPart(messages, marker)) forwarded.cache_control = marker
  if (outputConfig && Object.keys(outputConfig).length > 0) forwarded.output_config = outputConfig
  const providerOptions = withForwardedFields(params.provider_options, 'anthropic', forwarded)
  if (providerOptions) request.provider_options = providerOptions
  return request
}

export function toAnthropicStopReason(reason: FinishReason | null | undefined, refused: boolean): AnthropicStopReason {
  if (refused) return 'refusal'
  switch (reason) {
    case 'length':
      return 'max_tokens'
    case 'tool_calls':
      return 'tool_use'
    case 'content_filter':
      return 'refusal'
    default:
      return 'end_turn'
  }
}

/**
 * Anthropic's `input_tokens` counts uncached input only, exactly like the canonical `inputTokens`.
 * The finer fields (the 5-minute / 1-hour cache split, server tool use, service tier) come back
 * from the provider's metadata when Anthropic served the call, and are null otherwise.
 */
export function toAnthropicUsage(usage: Usage, metadata: Record<string, unknown> = {}): AnthropicUsage {
  return {
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    cache_creation_input_tokens: usage.cacheWriteTokens,
    cache_read_input_tokens: usage.cacheReadTokens,
    cache_creation: (metadata.cache_creation as AnthropicUsage['cache_creation']) ?? null,
    server_tool_use: (metadata.server_tool_use as AnthropicUsage['server_tool_use']) ?? null,
    service_tier: (metadata.service_tier as AnthropicUsage['service_tier']) ?? null,
  }
}

/** Stop reason, matched stop sequence and stop details, from the canonical finish and the provider's metadata. */
export function toAnthropicStop(
  reason: FinishReason | null | undefined,
  refused: boolean,
  metadata: Record<string, unknown> = {},
): { stop_reason: AnthropicStopReason; stop_sequence: string | null; stop_details?: unknown } {
  const details = metadata.stop_details !== undefined ? { stop_details: metadata.stop_details } : {}
  if (typeof metadata.stop_sequence === 'string' && reason === 'stop') return { stop_reason: 'stop_sequence', stop_sequence: metadata.stop_sequence, ...details }
  return { stop_reason: toAnthropicStopReason(reason, refused), stop_sequence: null, ...details }
}

/** Tool arguments as the object Anthropic's `input` must be; text that is not a JSON object is kept under `_raw`. */
export function toolInput(argumentsText: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(argumentsText || '{}')
    if (isObject(parsed)) return parsed
  } catch {
    // Kept as text below rather than dropped.
  }
  return { _raw: argumentsText }
}

/** The thinking blocks of an answer: signed ones from Anthropic, or unsigned reasoning from another provider. */
function thinkingBlocksOf(message: AssistantMessage): AnthropicContentBlock[] {
  const signed = thinkingBlocksFromMessage(message)
  if (signed.length > 0) return signed
  return message.reasoning ? [{ type: 'thinking', thinking: message.reasoning, signature: '' }] : []
}

export function toAnthropicMessage(result: ChatResult): AnthropicMessage {
  const choice = result.choices[0]!
  const message = choice.message
  const content: AnthropicContentBlock[] = [...thinkingBlocksOf(message)]
  const text = contentText(message.content) || message.refusal
  if (text) content.push({ type: 'text', text })
  for (const call of message.tool_calls ?? []) {
    content.push({ type: 'tool_use', id: call.id, name: call.function.name, input: toolInput(call.function.arguments) })
  }
  return {
    id: result.id,
    type: 'message',
    role: 'assistant',
    model: result.model,
    content,
    ...toAnthropicStop(choice.finish_reason, Boolean(message.refusal) && !message.content, result.provider_metadata),
    usage: toAnthropicUsage(result.tokens, result.provider_metadata),
    cost: result.cost,
    route: result.route,
  }
}
