import { UnsupportedFeatureError } from '../../errors/errors.js'
import type { AssistantMessage, CacheControl, ChatMessage, TextPart, UserContentPart } from '../../spec/message.js'
import type { FunctionTool, JsonSchema, ModelRequest, ToolChoice } from '../../spec/request.js'
import { isPlainObject, mergeOneLevel } from '../../provider-kit/merge-one-level.js'
import { supportsNativeStructuredOutput, supportsThinking } from './anthropic-models.js'
import { thinkingBlocksFromMessage } from '../../internal/anthropic-thinking.js'
import { addProviderOptions } from '../../provider-kit/provider-options.js'

/** Anthropic requires `max_tokens`; this is sent when the request does not set one. */
const defaultMaxTokens = 4096

/** Name of the forced tool that emulates JSON output on models without native structured output. */
export const jsonToolName = 'json'

/** Thinking budgets (tokens) for `reasoning_effort`. */
const thinkingBudgets = { minimal: 1024, low: 2048, medium: 8192, high: 16384 } as const
const minimumThinkingBudget = 1024

const imageMediaTypes = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp'])

type WireBlock = Record<string, unknown>
interface WireMessage {
  role: 'user' | 'assistant'
  content: WireBlock[]
}

export interface AnthropicRequest {
  /** The Messages API body, without `stream`. */
  body: Record<string, unknown>
  /**
   * Set when JSON output is emulated with a forced tool: that tool's input is the answer, and the
   * response translation returns it as the text content.
   */
  jsonToolName?: string
}

/** One request's translation: knows the model, so every rejection names provider, model and feature. */
class Translation {
  constructor(
    readonly model: string,
    readonly provider: string,
  ) {}

  unsupported(feature: string, message: string): UnsupportedFeatureError {
    return new UnsupportedFeatureError(`${this.provider}/${this.model}: ${message}`, { provider: this.provider, model: this.model, feature })
  }
}

function withCacheControl(block: WireBlock, cacheControl: CacheControl | undefined): WireBlock {
  return cacheControl ? { ...block, cache_control: { ...cacheControl } } : block
}

function textBlocks(content: string | TextPart[]): WireBlock[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }]
  return content.map((part) => withCacheControl({ type: 'text', text: part.text }, part.cache_control))
}

function imageBlock(url: string, cacheControl: CacheControl | undefined, translation: Translation): WireBlock {
  const dataUrl = /^data:([^;,]+);base64,(.*)$/s.exec(url)
  if (dataUrl) {
    const mediaType = dataUrl[1]!.toLowerCase()
    if (!imageMediaTypes.has(mediaType)) {
      throw translation.unsupported('image_url', `image type "${mediaType}" is not supported; send JPEG, PNG, GIF or WebP.`)
    }
    return withCacheControl({ type: 'image', source: { type: 'base64', media_type: mediaType, data: dataUrl[2] } }, cacheControl)
  }
  if (/^https?:\/\//i.test(url)) return withCacheControl({ type: 'image', source: { type: 'url', url } }, cacheControl)
  throw translation.unsupported('image_url', 'an image must be an https: URL or a data:<type>;base64,<data> URL.')
}

function userBlocks(content: string | UserContentPart[], translation: Translation): WireBlock[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }]
  // `image_url.detail` is an OpenAI resolution hint with no Anthropic counterpart; Claude sizes images itself.
  return content.map((part) =>
    part.type === 'text'
      ? withCacheControl({ type: 'text', text: part.text }, part.cache_control)
      : imageBlock(part.image_url.url, part.cache_control, translation),
  )
}

function toolInput(argumentsText: string, name: string, translation: Translation): unknown {
  if (argumentsText.trim() === '') return {}
  try {
    const input: unknown = JSON.parse(argumentsText)
    if (typeof input === 'object' && input !== null && !Array.isArray(input)) return input
  } catch {
    // Reported below with the tool's name.
  }
  throw translation.unsupported('tool_calls', `the arguments of the earlier call to tool "${name}" are not a JSON object, which Anthropic requires.`)
}

function assistantBlocks(message: AssistantMessage, translation: Translation): WireBlock[] {
  const blocks: WireBlock[] = [...thinkingBlocksFromMessage(message)]
  const text = message.content ?? message.refusal ?? null
  // Anthropic rejects empty text blocks, which OpenAI-shaped history has beside tool calls.
  if (text !== null) blocks.push(...textBlocks(text).filter((block) => block.text !== ''))
  for (const call of message.tool_calls ?? []) {
    blocks.push({ type: 'tool_use', id: call.id, name: call.function.name, input: toolInput(call.function.arguments, call.function.name, translation) })
  }
  return blocks
}

/** System prompt blocks and the conversation, with consecutive same-role turns merged. */
function translateMessages(messages: readonly ChatMessage[], translation: Translation): { system: WireBlock[]; turns: WireMessage[] } {
  const system: WireBlock[] = []
  const turns: WireMessage[] = []
  const append = (role: WireMessage['role'], content: WireBlock[]) => {
    const last = turns.at(-1)
    // Tool results arrive as separate messages but Anthropic wants them in one user turn.
    if (last?.role === role) last.content.push(...content)
    else turns.push({ role, content })
  }
  for (const message of messages) {
    switch (message.role) {
      case 'system':
      case 'developer':
        if (turns.length > 0) {
          throw translation.unsupported(
            'system_message_position',
            'a system message after the conversation has started cannot be sent; Anthropic takes one system prompt before the first turn. Move it to the start.',
          )
        }
        system.push(...textBlocks(message.content))
        break
      case 'user':
        append('user', userBlocks(message.content, translation))
        break
      case 'assistant':
        append('assistant', assistantBlocks(message, translation))
        break
      case 'tool':
        append('user', [
          {
            type: 'tool_result',
            tool_use_id: message.tool_call_id,
            content: typeof message.content === 'string' ? message.content : textBlocks(message.content),
          },
        ])
        break
    }
  }
  return { system, turns }
}

function inputSchema(parameters: JsonSchema | undefined): JsonSchema {
  // A tool without arguments still needs an object schema.
  if (!parameters || Object.keys(parameters).length === 0) return { type: 'object', properties: {} }
  return parameters.type === undefined ? { type: 'object', ...parameters } : parameters
}

function toWireTool(tool: FunctionTool): WireBlock {
  const { name, description, parameters, strict } = tool.function
  return withCacheControl(
    {
      name,
      ...(description !== undefined ? { description } : {}),
      input_schema: inputSchema(parameters),
      ...(strict !== undefined ? { strict } : {}),
    },
    tool.cache_control,
  )
}

function toWireToolChoice(choice: ToolChoice | undefined, parallel: boolean | undefined): WireBlock | undefined {
  const disableParallel = parallel === false ? { disable_parallel_tool_use: true } : {}
  if (choice === undefined) return parallel === false ? { type: 'auto', ...disableParallel } : undefined
  if (choice === 'none') return { type: 'none' }
  if (choice === 'auto') return { type: 'auto', ...disableParallel }
  if (choice === 'required') return { type: 'any', ...disableParallel }
  return { type: 'tool', name: choice.function.name, ...disableParallel }
}

function thinkingFor(request: ModelRequest, maxTokens: number | undefined, translation: Translation): WireBlock | undefined {
  if (request.reasoning_effort === undefined) return undefined
  if (!supportsThinking(request.model)) {
    throw translation.unsupported('reasoning_effort', 'this model has no extended thinking; drop reasoning_effort or pick a Claude 3.7+ model.')
  }
  let budget: number = thinkingBudgets[request.reasoning_effort]
  if (maxTokens !== undefined) {
    // The budget counts against max_tokens: leave at least half of it for the answer.
    budget = Math.max(minimumThinkingBudget, Math.min(budget, Math.floor(maxTokens / 2)))
    if (budget >= maxTokens) {
      throw translation.unsupported('reasoning_effort', `thinking needs max_tokens above ${minimumThinkingBudget}; raise max_tokens or drop reasoning_effort.`)
    }
  }
  return { type: 'enabled', budget_tokens: budget }
}

function unsupportedParameters(request: ModelRequest, translation: Translation): void {
  for (const field of ['seed', 'presence_penalty', 'frequency_penalty'] as const) {
    if (request[field] !== undefined) {
      throw translation.unsupported(field, `Anthropic has no "${field}" parameter; remove it from the request for this model.`)
    }
  }
  // OpenAI's temperature goes up to 2, Anthropic's to 1; rescaling would change what the caller asked for.
  if (request.temperature !== undefined && request.temperature > 1) {
    throw translation.unsupported('temperature', `temperature ${request.temperature} is above Anthropic's maximum of 1.`)
  }
}

/**
 * Sets up JSON output: natively (`output_config.format`) where the model supports it, otherwise
 * with a forced tool whose input is the answer. Returns the forced tool's name when emulating.
 * `effective` is the body as it will be sent (provider options included), to check conflicts.
 */
function applyResponseFormat(
  request: ModelRequest,
  body: Record<string, unknown>,
  effective: Record<string, unknown>,
  translation: Translation,
): string | undefined {
  const format = request.response_format
  if (!format || format.type === 'text') return undefined
  const schema = format.type === 'json_schema' ? format.json_schema.schema : undefined
  if (schema && supportsNativeStructuredOutput(request.model)) {
    body.output_config = { format: { type: 'json_schema', schema } }
    return undefined
  }
  if (request.tools?.length) {
    throw translation.unsupported('response_format', 'JSON output is emulated with a forced tool on this model, so it cannot be combined with tools.')
  }
  const thinking = effective.thinking as { type?: string } | undefined
  if (thinking !== undefined && thinking.type !== 'disabled') {
    throw translation.unsupported('response_format', 'JSON output is emulated with a forced tool on this model, which Anthropic does not allow together with thinking.')
  }
  if (schema?.type !== undefined && schema.type !== 'object') {
    throw translation.unsupported('response_format', 'the JSON schema must describe an object: the emulation returns a tool input, which is always an object.')
  }
  const description = format.type === 'json_schema' ? format.json_schema.description : undefined
  body.tools = [{ name: jsonToolName, description: description ?? 'Respond with the answer as this JSON object.', input_schema: inputSchema(schema ?? { type: 'object' }) }]
  body.tool_choice = { type: 'tool', name: jsonToolName }
  return jsonToolName
}

function thinkingBudgetOf(thinking: unknown): number {
  const budget = isPlainObject(thinking) ? thinking.budget_tokens : undefined
  return typeof budget === 'number' ? budget : 0
}

/**
 * The canonical request as an Anthropic Messages API body. Throws `UnsupportedFeatureError` for
 * what cannot be sent. `provider` is the provider id (`anthropic`, or a host of Claude such as
 * `anthropic-vertex`): errors name it, and `provider_options[provider]` is merged in.
 */
export function toAnthropicRequest(request: ModelRequest, provider = 'anthropic'): AnthropicRequest {
  const translation = new Translation(request.model, provider)
  unsupportedParameters(request, translation)
  const { system, turns } = translateMessages(request.messages, translation)
  const requestedMaxTokens = request.max_completion_tokens ?? request.max_tokens
  const body: Record<string, unknown> = { model: request.model, messages: turns }
  if (system.length > 0) body.system = system
  if (request.tools?.length) body.tools = request.tools.map(toWireTool)
  // Without tools, `none` and the parallel-calls flag mean nothing; a required or named choice is
  // still sent, so Anthropic reports the mistake.
  const toolChoice = request.tools?.length
    ? toWireToolChoice(request.tool_choice, request.parallel_tool_calls)
    : request.tool_choice !== undefined && request.tool_choice !== 'none'
      ? toWireToolChoice(request.tool_choice, undefined)
      : undefined
  if (toolChoice) body.tool_choice = toolChoice
  if (request.stop !== undefined) body.stop_sequences = typeof request.stop === 'string' ? [request.stop] : request.stop
  if (request.temperature !== undefined) body.temperature = request.temperature
  if (request.top_p !== undefined) body.top_p = request.top_p
  if (request.user !== undefined) body.metadata = { user_id: request.user }
  const thinking = thinkingFor(request, requestedMaxTokens, translation)
  if (thinking) body.thinking = thinking

  // `provider_options.<provider>` goes in last and may only add: object fields (`output_config`, `metadata`) gain keys.
  const providerOptions = request.provider_options?.[provider]
  const emulatedTool = applyResponseFormat(request, body, mergeOneLevel(body, providerOptions ?? {}), translation)
  const merged = addProviderOptions(body, providerOptions, `provider_options.${provider}`)
  // Thinking tokens count against max_tokens, so the default leaves the usual room for the answer.
  if (merged.max_tokens === undefined) merged.max_tokens = requestedMaxTokens ?? defaultMaxTokens + thinkingBudgetOf(merged.thinking)
  return { body: merged, ...(emulatedTool ? { jsonToolName: emulatedTool } : {}) }
}
