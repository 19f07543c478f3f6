import { UnsupportedFeatureError } from '../../errors/errors.js'
import type { AssistantMessage, CacheControl, ChatMessage, TextPart, UserContentPart } from '../../spec/message.js'
import type { FunctionTool, ModelRequest, ToolChoice } from '../../spec/request.js'
import { addProviderOptions } from '../../provider-kit/provider-options.js'
import type { StoredReasoningBlock } from './bedrock-wire-types.js'
import { isClaudeModel } from './bedrock-models.js'

type Block = Record<string, unknown>
interface Turn {
  role: 'user' | 'assistant'
  content: Block[]
}

/** Thinking budgets (tokens) for `reasoning_effort` on Claude models, as for `anthropic()`. */
const thinkingBudgets = { minimal: 1024, low: 2048, medium: 8192, high: 16384 } as const
const minimumThinkingBudget = 1024
/** The output limit sent with thinking when the request sets none: the budget plus this much for the answer. */
const answerTokensBesideThinking = 4096
const imageFormats: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/jpg': 'jpeg', 'image/gif': 'gif', 'image/webp': 'webp' }

class Translation {
  constructor(
    readonly provider: string,
    readonly model: string,
  ) {}

  unsupported(feature: string, message: string): UnsupportedFeatureError {
    return new UnsupportedFeatureError(`${this.provider}/${this.model}: ${message}`, { provider: this.provider, model: this.model, feature })
  }
}

/** A cache point after the marked block: Bedrock caches the prompt up to it. */
function cachePoint(cacheControl: CacheControl): Block {
  return { cachePoint: { type: 'default', ...(cacheControl.ttl ? { ttl: cacheControl.ttl } : {}) } }
}

function textBlocks(content: string | TextPart[]): Block[] {
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }]
  return content.flatMap((part) => [...(part.text === '' ? [] : [{ text: part.text }]), ...(part.cache_control ? [cachePoint(part.cache_control)] : [])])
}

function base64Bytes(data: string): Uint8Array {
  const binary = atob(data)
  const bytes = new Uint8Array(binary.length)
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index)
  return bytes
}

function userBlocks(content: string | UserContentPart[], translation: Translation): Block[] {
  if (typeof content === 'string') return textBlocks(content)
  return content.flatMap((part) => {
    if (part.type === 'text') return textBlocks([part])
    const dataUrl = /^data:([^;,]+);base64,(.*)$/s.exec(part.image_url.url)
    if (!dataUrl) {
      throw translation.unsupported('image_url', 'Bedrock takes images as bytes or from S3, not by URL: send a data:<type>;base64,<data> URL.')
    }
    const format = imageFormats[dataUrl[1]!.toLowerCase()]
    if (!format) throw translation.unsupported('image_url', `image type "${dataUrl[1]}" is not supported; send PNG, JPEG, GIF or WebP.`)
    const image: Block = { image: { format, source: { bytes: base64Bytes(dataUrl[2]!) } } }
    return part.cache_control ? [image, cachePoint(part.cache_control)] : [image]
  })
}

function toolInput(argumentsText: string, name: string, translation: Translation): unknown {
  if (argumentsText.trim() === '') return {}
  try {
    const input: unknown = JSON.parse(argumentsText)
    if (typeof input === 'object' && input !== null && !Array.isArray(input)) return input
  } catch {
    // Reported below with the tool's name.
  }
  throw translation.unsupported('tool_calls', `the arguments of the earlier call to tool "${name}" are not a JSON object, which Bedrock requires.`)
}

function storedReasoning(message: AssistantMessage): StoredReasoningBlock[] {
  const data = message.provider_data?.bedrock as { reasoning_blocks?: unknown } | undefined
  return Array.isArray(data?.reasoning_blocks) ? (data.reasoning_blocks as StoredReasoningBlock[]) : []
}

function assistantBlocks(message: AssistantMessage, translation: Translation): Block[] {
  // Signed reasoning goes back as it came (Claude checks the signature); unsigned reasoning from
  // another provider cannot, and is left out.
  const blocks: Block[] = storedReasoning(message).map((block) =>
    'redactedContent' in block
      ? { reasoningContent: { redactedContent: base64Bytes(block.redactedContent) } }
      : { reasoningContent: { reasoningText: { text: block.text, ...(block.signature ? { signature: block.signature } : {}) } } },
  )
  const text = message.content ?? message.refusal ?? null
  if (text !== null) blocks.push(...textBlocks(text))
  for (const call of message.tool_calls ?? []) {
    blocks.push({ toolUse: { toolUseId: call.id, name: call.function.name, input: toolInput(call.function.arguments, call.function.name, translation) } })
  }
  return blocks
}

function translateMessages(messages: readonly ChatMessage[], translation: Translation): { system: Block[]; turns: Turn[] } {
  const system: Block[] = []
  const turns: Turn[] = []
  const append = (role: Turn['role'], content: Block[]) => {
    const last = turns.at(-1)
    // Converse wants user and assistant turns to alternate; tool results share one user turn.
    if (last?.role === role) last.content.push(...content)
    else turns.push({ role, content })
  }
  for (const message of messages) {
    switch (message.role) {
      case 'system':
      case 'developer':
        if (turns.length > 0) {
          throw translation.unsupported('system_message_position', 'a system message after the conversation has started cannot be sent; Converse takes one system prompt before the first turn. Move it to the start.')
        }
        system.push(...textBlocks(message.content))
        break
      case 'user':
        append('user', userBlocks(message.content, translation))
        break
      case 'assistant':
        append('assistant', assistantBlocks(message, translation))
        break
      case 'tool': {
        const text = typeof message.content === 'string' ? message.content : message.content.map((part) => part.text).join('')
        append('user', [{ toolResult: { toolUseId: message.tool_call_id, content: [{ text }] } }])
        break
      }
    }
  }
  return { system, turns }
}

function toolSpecs(tools: readonly FunctionTool[]): Block[] {
  return tools.flatMap((tool) => {
    const spec: Block = {
      toolSpec: {
        name: tool.function.name,
        ...(tool.function.description ? { description: tool.function.description } : {}),
        // Converse wants an input schema on every tool: a tool without arguments gets an empty object schema.
        inputSchema: { json: tool.function.parameters ?? { type: 'object', properties: {} } },
      },
    }
    return tool.cache_control ? [spec, cachePoint(tool.cache_control)] : [spec]
  })
}

function toolChoiceOf(choice: ToolChoice | undefined, translation: Translation): Block | undefined {
  if (choice === undefined || choice === 'auto') return choice === 'auto' ? { auto: {} } : undefined
  if (choice === 'required') return { any: {} }
  if (choice === 'none') throw translation.unsupported('tool_choice', 'tool_choice "none" has no Converse equivalent; send the request without tools instead.')
  return { tool: { name: choice.function.name } }
}

/**
 * The `ConverseCommand` input for a canonical request (for `ConverseStreamCommand` too: the two
 * take the same input). Parameters the Converse API has no field for are rejected, never dropped.
 */
export function toBedrockRequest(request: ModelRequest, provider: string): Record<string, unknown> {
  const translation = new Translation(provider, request.model)
  for (const [field, feature] of [
    ['seed', 'seed'],
    ['presence_penalty', 'presence_penalty'],
    ['frequency_penalty', 'frequency_penalty'],
  ] as const) {
    if (request[field] !== undefined) throw translation.unsupported(feature, `\`${field}\` has no Converse equivalent.`)
  }
  if (request.response_format?.type === 'json_object') {
    throw translation.unsupported('json_object', 'Converse has no free-form JSON mode; use response_format json_schema (structured output) instead.')
  }
  const { system, turns } = translateMessages(request.messages, translation)
  const input: Record<string, unknown> = { modelId: request.model, messages: turns }
  if (system.length > 0) input.system = system

  const inference: Record<string, unknown> = {}
  const maxTokens = request.max_completion_tokens ?? request.max_tokens
  if (maxTokens !== undefined) inference.maxTokens = maxTokens
  if (request.temperature !== undefined) inference.temperature = request.temperature
  if (request.top_p !== undefined) inference.topP = request.top_p
  if (request.stop !== undefined) inference.stopSequences = typeof request.stop === 'string' ? [request.stop] : request.stop
  if (Object.keys(inference).length > 0) input.inferenceConfig = inference

  if (request.tools && request.tools.length > 0) {
    const toolChoice = toolChoiceOf(request.tool_choice, translation)
    input.toolConfig = { tools: toolSpecs(request.tools), ...(toolChoice ? { toolChoice } : {}) }
  } else if (request.tool_choice !== undefined && request.tool_choice !== 'auto' && request.tool_choice !== 'none') {
    throw translation.unsupported('tool_choice', 'tool_choice names a tool, but the request has no tools.')
  }

  if (request.response_format?.type === 'json_schema') {
    const { name, description, schema } = request.response_format.json_schema
    input.outputConfig = {
      textFormat: {
        type: 'json_schema',
        // Converse takes the schema as JSON text.
        structure: { jsonSchema: { schema: JSON.stringify(schema ?? { type: 'object' }), name, ...(description ? { description } : {}) } },
      },
    }
  }

  if (request.reasoning_effort !== undefined) {
    if (!isClaudeModel(request.model)) {
      throw translation.unsupported('reasoning_effort', `reasoning_effort is translated for Claude models only; for ${request.model} pass the model's own reasoning fields in provider_options.bedrock.additionalModelRequestFields.`)
    }
    const limit = inference.maxTokens as number | undefined
    let budget: number = thinkingBudgets[request.reasoning_effort]
    if (limit !== undefined) {
      // The budget counts against the output limit: leave at least half of it for the answer.
      budget = Math.max(minimumThinkingBudget, Math.min(budget, Math.floor(limit / 2)))
      if (budget >= limit) throw translation.unsupported('reasoning_effort', `thinking needs max_tokens above ${minimumThinkingBudget}; raise max_tokens or drop reasoning_effort.`)
    } else {
      // Claude wants an output limit above the thinking budget.
      input.inferenceConfig = { ...inference, maxTokens: budget + answerTokensBesideThinking }
    }
    input.additionalModelRequestFields = { thinking: { type: 'enabled', budget_tokens: budget } }
  }
  return addProviderOptions(input, request.provider_options?.[provider], `provider_options.${provider}`)
}
