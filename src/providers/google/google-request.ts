import { InvalidRequestError, UnsupportedFeatureError } from '../../errors/errors.js'
import type { AssistantMessage, ChatMessage, TextPart, ToolMessage, UserContentPart } from '../../spec/message.js'
import type { FunctionTool, ModelRequest, ToolChoice } from '../../spec/request.js'
import { readGoogleProviderData } from './google-provider-data.js'
import type { GoogleWireConfig, GoogleWireContent, GoogleWireFunctionDeclaration, GoogleWirePart, GoogleWireRequest } from './google-wire-types.js'
import { addProviderOptions } from '../../provider-kit/provider-options.js'

export interface GoogleRequestOptions {
  /** Provider id, to pick its `provider_options` and to name it in errors. */
  provider: string
}

/**
 * Google's documented stand-in for a function call that has no thought signature (one made by
 * another provider, or written by hand): Gemini 3 rejects such a call in history without it.
 */
const skipSignatureValidation = 'skip_thought_signature_validator'

// Gemini 2.5 thinking budgets in tokens; 512 is the smallest every 2.5 model accepts (Flash-Lite's floor).
const thinkingBudgets = { minimal: 512, low: 1024, medium: 8192, high: 24576 } as const

const imageTypesByExtension: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  heif: 'image/heif',
}

/** Gemini generation 3 and later: thinking levels instead of budgets, signatures enforced. */
function isGemini3OrLater(model: string): boolean {
  const generation = /gemini-(\d+)/.exec(model)?.[1]
  return generation !== undefined && Number(generation) >= 3
}

function textOf(content: string | TextPart[] | null): string {
  if (content === null) return ''
  return typeof content === 'string' ? content : content.map((part) => part.text).join('')
}

class GoogleRequestBuilder {
  private readonly toolNames = new Map<string, string>()
  private readonly nativeIds = new Set<string>()

  constructor(
    private readonly request: ModelRequest,
    private readonly options: GoogleRequestOptions,
  ) {}

  private unsupported(feature: string, message: string): UnsupportedFeatureError {
    const { provider } = this.options
    const { model } = this.request
    return new UnsupportedFeatureError(`${provider}/${model}: ${message}`, { provider, model, feature })
  }

  private invalid(message: string): InvalidRequestError {
    const { provider } = this.options
    const { model } = this.request
    return new InvalidRequestError(`${provider}/${model}: ${message}`, { provider, model })
  }

  private imagePart(url: string): GoogleWirePart {
    if (url.startsWith('data:')) {
      const match = /^data:([^;,]+)((?:;[^;,]*)*),(.*)$/s.exec(url)
      if (!match || !match[2]!.split(';').includes('base64')) {
        throw this.unsupported('image_url', 'an image data: URL must be base64-encoded (data:<media type>;base64,<data>).')
      }
      return { inlineData: { mimeType: match[1]!, data: match[3]! } }
    }
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch {
      throw this.invalid(`image_url "${url.slice(0, 80)}" is neither a data: URL nor an absolute URL.`)
    }
    if (!['https:', 'http:', 'gs:'].includes(parsed.protocol)) {
      throw this.unsupported('image_url', `Gemini cannot fetch ${parsed.protocol} image URLs; send an https: URL or a base64 data: URL.`)
    }
    const extension = /\.([a-z0-9]+)$/i.exec(parsed.pathname)?.[1]?.toLowerCase()
    const mimeType = extension ? imageTypesByExtension[extension] : undefined
    return { fileData: { fileUri: url, ...(mimeType ? { mimeType } : {}) } }
  }

  private userParts(content: string | UserContentPart[]): GoogleWirePart[] {
    if (typeof content === 'string') return [{ text: content }]
    return content.map((part) => (part.type === 'text' ? { text: part.text } : this.imagePart(part.image_url.url)))
  }

  private modelParts(message: AssistantMessage): GoogleWirePart[] {
    const data = readGoogleProviderData(message)
    const parts: GoogleWirePart[] = []
    const text = textOf(message.content)
    if (text !== '') parts.push({ text, ...(data.textSignature ? { thoughtSignature: data.textSignature } : {}) })
    const calls = message.tool_calls ?? []
    const anySigned = calls.some((call) => data.toolCallSignatures?.[call.id] !== undefined)
    calls.forEach((call, index) => {
      this.toolNames.set(call.id, call.function.name)
      const native = data.nativeToolCallIds?.includes(call.id) ?? false
      if (native) this.nativeIds.add(call.id)
      const signature =
        data.toolCallSignatures?.[call.id] ??
        (!anySigned && index === 0 && isGemini3OrLater(this.request.model) ? skipSignatureValidation : undefined)
      parts.push({
        functionCall: { ...(native ? { id: call.id } : {}), name: call.function.name, args: this.parseArguments(call.id, call.function.arguments) },
        ...(signature ? { thoughtSignature: signature } : {}),
      })
    })
    return parts
  }

  private parseArguments(id: string, text: string): Record<string, unknown> {
    if (text.trim() === '') return {}
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      throw this.invalid(`tool call "${id}" has arguments that are not JSON: ${text.slice(0, 80)}`)
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw this.invalid(`tool call "${id}" must have a JSON object as arguments.`)
    }
    return parsed as Record<string, unknown>
  }

  private toolResultPart(message: ToolMessage): GoogleWirePart {
    const name = this.toolNames.get(message.tool_call_id)
    if (name === undefined) {
      throw this.invalid(
        `the tool message for tool_call_id "${message.tool_call_id}" has no earlier assistant tool call with that id; Gemini needs the function name.`,
      )
    }
    const text = textOf(message.content)
    // Gemini wants an object; JSON objects go as they are, anything else under "output" as Google documents.
    let response: Record<string, unknown> = { output: text }
    try {
      const parsed: unknown = JSON.parse(text)
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) response = parsed as Record<string, unknown>
    } catch {
      // Plain text result: keep it under "output".
    }
    const id = this.nativeIds.has(message.tool_call_id) ? { id: message.tool_call_id } : {}
    return { functionResponse: { ...id, name, response } }
  }

  contents(): { contents: GoogleWireContent[]; system: string[] } {
    const contents: GoogleWireContent[] = []
    const system: string[] = []
    const append = (role: GoogleWireContent['role'], parts: GoogleWirePart[]) => {
      if (parts.length === 0) return
      // Gemini expects turns to alternate; parallel tool results must share one turn.
      const last = contents.at(-1)
      if (last?.role === role) last.parts.push(...parts)
      else contents.push({ role, parts })
    }
    for (const message of this.request.messages as ChatMessage[]) {
      switch (message.role) {
        case 'system':
        case 'developer':
          system.push(textOf(message.content))
          break
        case 'user':
          append('user', this.userParts(message.content))
          break
        case 'assistant':
          append('model', this.modelParts(message))
          break
        case 'tool':
          append('user', [this.toolResultPart(message)])
          break
      }
    }
    return { contents, system }
  }
}

function functionDeclaration(tool: FunctionTool): GoogleWireFunctionDeclaration {
  const { name, description, parameters } = tool.function
  const properties = parameters?.properties
  // A tool without arguments is declared without a schema: Gemini rejects an object schema with no properties.
  const hasArguments = parameters !== undefined && !(typeof properties === 'object' && properties !== null && Object.keys(properties).length === 0)
  return {
    name,
    ...(description !== undefined ? { description } : {}),
    ...(hasArguments ? { parametersJsonSchema: parameters } : {}),
  }
}

function toolConfig(choice: ToolChoice): GoogleWireConfig['toolConfig'] {
  if (choice === 'auto') return { functionCallingConfig: { mode: 'AUTO' } }
  if (choice === 'none') return { functionCallingConfig: { mode: 'NONE' } }
  if (choice === 'required') return { functionCallingConfig: { mode: 'ANY' } }
  return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.function.name] } }
}

function thinkingConfig(model: string, effort: NonNullable<ModelRequest['reasoning_effort']>): GoogleWireConfig['thinkingConfig'] {
  if (isGemini3OrLater(model)) {
    // Gemini 3 Pro knows only LOW and HIGH; Flash models also MINIMAL and MEDIUM.
    const level = /flash/.test(model) ? effort.toUpperCase() : effort === 'minimal' || effort === 'low' ? 'LOW' : 'HIGH'
    return { thinkingLevel: level, includeThoughts: true }
  }
  return { thinkingBudget: thinkingBudgets[effort], includeThoughts: true }
}

/**
 * The canonical request as `@google/genai` `generateContent` parameters. `cache_control` markers are
 * ignored by design: Gemini caches repeated prefixes implicitly and reports the hits as cached tokens.
 */
export function toGoogleRequest(request: ModelRequest, options: GoogleRequestOptions): GoogleWireRequest {
  const { contents, system } = new GoogleRequestBuilder(request, options).contents()
  const config: GoogleWireConfig = {}
  if (system.length > 0) config.systemInstruction = { parts: system.map((text) => ({ text })) }
  if (request.tools?.length) config.tools = [{ functionDeclarations: request.tools.map(functionDeclaration) }]
  if (request.tool_choice !== undefined) config.toolConfig = toolConfig(request.tool_choice)
  const format = request.response_format
  if (format?.type === 'json_object') config.responseMimeType = 'application/json'
  if (format?.type === 'json_schema') {
    config.responseMimeType = 'application/json'
    if (format.json_schema.schema) config.responseJsonSchema = format.json_schema.schema
  }
  if (request.stop !== undefined) config.stopSequences = typeof request.stop === 'string' ? [request.stop] : request.stop
  if (request.temperature !== undefined) config.temperature = request.temperature
  if (request.top_p !== undefined) config.topP = request.top_p
  const maxTokens = request.max_completion_tokens ?? request.max_tokens
  if (maxTokens !== undefined) config.maxOutputTokens = maxTokens
  if (request.seed !== undefined) config.seed = request.seed
  if (request.presence_penalty !== undefined) config.presencePenalty = request.presence_penalty
  if (request.frequency_penalty !== undefined) config.frequencyPenalty = request.frequency_penalty
  if (request.reasoning_effort !== undefined) config.thinkingConfig = thinkingConfig(request.model, request.reasoning_effort)
  return { model: request.model, contents, config: addProviderOptions(config, request.provider_options?.[options.provider], `provider_options.${options.provider}`) }
}
