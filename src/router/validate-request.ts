import { validateCallCacheOptions } from '../state/cache-option-checks.js'
import { InvalidRequestError } from '../errors/errors.js'
import type { ChatParameters } from '../spec/request.js'
import type { RouterChatRequest, RouterEmbedRequest } from './router-client.js'

const toolNamePattern = /^[a-zA-Z0-9_-]{1,64}$/

function fail(message: string): never {
  throw new InvalidRequestError(`Invalid request: ${message}`, { retryable: false, status: 400 })
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** `optional`: the call names its strategy in the options, so `model` may be left out. */
function checkModel(model: unknown, optional: boolean): void {
  if (model === undefined && optional) return
  if (typeof model === 'string') {
    if (model.trim() === '') fail('`model` is empty; give a route name, a "provider/model" id or an array of ids.')
    return
  }
  if (Array.isArray(model)) {
    if (model.length === 0) fail('`model` is an empty array; list at least one "provider/model" id.')
    model.forEach((id, index) => {
      if (typeof id !== 'string' || id.trim() === '') fail(`model[${index}] must be a "provider/model" id string.`)
    })
    return
  }
  fail('`model` is required: a route name, a "provider/model" id or an array of ids.')
}

// Takes the value, not the request and a field name: a keyed look-up by a variable name is slow on
// request objects of many shapes, and this runs seven times on every call.
function checkNumber(value: unknown, field: string, min: number, max: number, integer = false): void {
  if (value === undefined || value === null) return
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    fail(`\`${field}\` must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max} (got ${JSON.stringify(value)}).`)
  }
}

function checkCacheControl(marker: unknown, where: string): void {
  const valid = isObject(marker) && marker.type === 'ephemeral' && (marker.ttl === undefined || marker.ttl === '5m' || marker.ttl === '1h')
  if (!valid) fail(`${where}.cache_control must be { type: "ephemeral" } with an optional ttl of "5m" or "1h".`)
}

function checkContent(content: unknown, messageIndex: number, allowImages: boolean): void {
  if (typeof content === 'string') return
  const where = `messages[${messageIndex}]`
  if (!Array.isArray(content)) fail(`${where}.content must be a string or an array of content parts.`)
  // An indexed loop, as in checkMessages: this runs on every call, and no closure is needed.
  for (let index = 0; index < content.length; index++) {
    const part: unknown = content[index]
    if (!isObject(part)) fail(`${where}.content[${index}] must be an object with a \`type\`.`)
    if (part.cache_control !== undefined) checkCacheControl(part.cache_control, `${where}.content[${index}]`)
    if (part.type === 'text') {
      if (typeof part.text !== 'string') fail(`${where}.content[${index}].text must be a string.`)
    } else if (part.type === 'image_url' && allowImages) {
      const url = isObject(part.image_url) ? part.image_url.url : undefined
      if (typeof url !== 'string' || !/^(https?:|data:)/.test(url)) {
        fail(`${where}.content[${index}].image_url.url must be an http(s) URL or a data: URL.`)
      }
    } else {
      fail(`${where}.content[${index}].type ${JSON.stringify(part.type)} is not supported here; use "text"${allowImages ? ' or "image_url"' : ''}.`)
    }
  }
}

function checkMessages(messages: unknown): void {
  if (!Array.isArray(messages) || messages.length === 0) fail('`messages` must be a non-empty array.')
  for (let index = 0; index < messages.length; index++) {
    const message: unknown = messages[index]
    if (!isObject(message)) fail(`messages[${index}] must be an object with a \`role\`.`)
    switch (message.role) {
      case 'system':
      case 'developer':
        checkContent(message.content, index, false)
        break
      case 'user':
        checkContent(message.content, index, true)
        break
      case 'assistant': {
        const where = `messages[${index}]`
        const hasToolCalls = Array.isArray(message.tool_calls) && message.tool_calls.length > 0
        if (message.content !== null && message.content !== undefined) checkContent(message.content, index, false)
        else if (!hasToolCalls) fail(`${where} (assistant) needs \`content\` or \`tool_calls\`.`)
        if (message.tool_calls !== undefined) {
          if (!Array.isArray(message.tool_calls)) fail(`${where}.tool_calls must be an array.`)
          message.tool_calls.forEach((call: unknown, callIndex: number) => {
            const at = `${where}.tool_calls[${callIndex}]`
            if (!isObject(call) || typeof call.id !== 'string' || !isObject(call.function)) {
              fail(`${at} must be { id, type: "function", function: { name, arguments } }.`)
            }
            if (typeof call.function.name !== 'string') fail(`${at}.function.name must be a string.`)
            if (typeof call.function.arguments !== 'string') fail(`${at}.function.arguments must be a JSON string.`)
          })
        }
        break
      }
      case 'tool':
        if (typeof message.tool_call_id !== 'string' || message.tool_call_id === '') {
          fail(`messages[${index}] (tool) needs the \`tool_call_id\` of the call it answers.`)
        }
        checkContent(message.content, index, false)
        break
      default:
        fail(`messages[${index}].role must be "system", "developer", "user", "assistant" or "tool" (got ${JSON.stringify(message.role)}).`)
    }
  }
}

/** Deeper than any real JSON Schema or provider option; deeper input only fails at every provider. */
const maxNestingDepth = 64

/** Rejects free-form JSON (a schema, provider options) nested deeper than `maxNestingDepth`. Iterative: deep input must not overflow the stack. */
function checkNestingDepth(value: unknown, where: string): void {
  if (typeof value !== 'object' || value === null) return
  const pending: Array<[unknown, number]> = [[value, 1]]
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!
    if (depth > maxNestingDepth) fail(`${where} is nested more than ${maxNestingDepth} levels deep.`)
    for (const child of Array.isArray(node) ? node : Object.values(node as object)) {
      if (typeof child === 'object' && child !== null) pending.push([child, depth + 1])
    }
  }
}

function checkTools(request: Record<string, unknown>): void {
  const tools = request.tools ?? []
  if (!Array.isArray(tools)) fail('`tools` must be an array.')
  const choice = request.tool_choice
  // Most requests have neither: no name set or closure is made for them.
  if (tools.length === 0 && choice === undefined) return
  const names = new Set<string>()
  tools.forEach((tool, index) => {
    const where = `tools[${index}]`
    if (!isObject(tool) || tool.type !== 'function' || !isObject(tool.function)) {
      fail(`${where} must be { type: "function", function: { name, parameters } }.`)
    }
    const name = tool.function.name
    if (typeof name !== 'string' || !toolNamePattern.test(name)) {
      fail(`${where}.function.name must be 1-64 letters, digits, "_" or "-" (got ${JSON.stringify(name)}).`)
    }
    if (names.has(name)) fail(`${where}: two tools are named "${name}".`)
    names.add(name)
    const parameters = tool.function.parameters
    if (parameters !== undefined && !isObject(parameters)) fail(`${where}.function.parameters must be a JSON Schema object.`)
    checkNestingDepth(parameters, `${where}.function.parameters`)
    if (tool.cache_control !== undefined) checkCacheControl(tool.cache_control, where)
  })
  if (choice === undefined) return
  if (typeof choice === 'string') {
    if (!['auto', 'none', 'required'].includes(choice)) fail('`tool_choice` must be "auto", "none", "required" or { type: "function", function: { name } }.')
    if (choice === 'required' && tools.length === 0) fail('`tool_choice` is "required" but no `tools` are given.')
    return
  }
  const name = isObject(choice) && isObject(choice.function) ? choice.function.name : undefined
  if (typeof name !== 'string') fail('`tool_choice` must be "auto", "none", "required" or { type: "function", function: { name } }.')
  if (!names.has(name)) fail(`\`tool_choice\` names the tool "${name}", which is not in \`tools\`.`)
}

function checkResponseFormat(format: unknown): void {
  if (format === undefined) return
  if (!isObject(format)) fail('`response_format` must be an object.')
  if (format.type === 'text' || format.type === 'json_object') return
  if (format.type !== 'json_schema') fail('`response_format.type` must be "text", "json_object" or "json_schema".')
  const schema = format.json_schema
  if (!isObject(schema) || typeof schema.name !== 'string' || schema.name === '') {
    fail('`response_format.json_schema` needs a `name` and a `schema`.')
  }
  if (schema.schema !== undefined && !isObject(schema.schema)) fail('`response_format.json_schema.schema` must be a JSON Schema object.')
  checkNestingDepth(schema.schema, '`response_format.json_schema.schema`')
}

/** Rejects a malformed chat request with an `InvalidRequestError` before any provider is called. */
export function validateChatRequest(request: unknown, modelOptional = false): asserts request is ChatParameters & Partial<RouterChatRequest> {
  if (!isObject(request)) fail('the request must be an object with `model` and `messages`.')
  checkModel(request.model, modelOptional)
  checkMessages(request.messages)
  checkTools(request)
  checkResponseFormat(request.response_format)
  checkNumber(request.temperature, 'temperature', 0, 2)
  checkNumber(request.top_p, 'top_p', 0, 1)
  checkNumber(request.max_tokens, 'max_tokens', 1, Number.MAX_SAFE_INTEGER, true)
  checkNumber(request.max_completion_tokens, 'max_completion_tokens', 1, Number.MAX_SAFE_INTEGER, true)
  checkNumber(request.presence_penalty, 'presence_penalty', -2, 2)
  checkNumber(request.frequency_penalty, 'frequency_penalty', -2, 2)
  checkNumber(request.seed, 'seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, true)
  const stop = request.stop
  if (stop !== undefined && stop !== null && typeof stop !== 'string' && !(Array.isArray(stop) && stop.every((item) => typeof item === 'string'))) {
    fail('`stop` must be a string or an array of strings.')
  }
  checkProviderOptions(request.provider_options)
}

/**
 * Fields that decide which model answers, how many answers are billed, how long they may be, or
 * what is sent: a provider option must never set them, whether or not the router set them itself
 * for this request (each provider's spelling included).
 */
const routerOwnedFields = new Set([
  'model', 'messages', 'contents', 'inputs', 'input', 'stream', 'stream_options', 'streamOptions',
  'n', 'candidateCount', 'candidate_count', 'best_of',
  'max_tokens', 'max_completion_tokens', 'maxTokens', 'maxCompletionTokens', 'maxOutputTokens', 'max_output_tokens',
])

function checkProviderOptions(options: unknown): void {
  if (options === undefined) return
  if (!isObject(options)) fail('`provider_options` must be an object keyed by provider id.')
  for (const [provider, fields] of Object.entries(options)) {
    if (!isObject(fields)) fail(`\`provider_options.${provider}\` must be an object of that provider's request fields.`)
    checkNestingDepth(fields, `\`provider_options.${provider}\``)
    for (const field of Object.keys(fields)) {
      if (routerOwnedFields.has(field)) fail(`\`provider_options.${provider}.${field}\` is set by the router, not by provider options; use the request's own field (\`model\`, \`max_tokens\`, ...).`)
    }
  }
}

export function validateEmbedRequest(request: unknown, modelOptional = false): asserts request is Partial<RouterEmbedRequest> & Pick<RouterEmbedRequest, 'input'> {
  if (!isObject(request)) fail('the request must be an object with `model` and `input`.')
  checkModel(request.model, modelOptional)
  const input = request.input
  const valid = typeof input === 'string' || (Array.isArray(input) && input.length > 0 && input.every((item) => typeof item === 'string'))
  if (!valid) fail('`input` must be a string or a non-empty array of strings.')
  checkNumber(request.dimensions, 'dimensions', 1, 1_000_000, true)
  checkProviderOptions(request.provider_options)
}

/** Rejects malformed call options (`tags`, `user`) before any provider is called. */
export function validateCallOptions(options: unknown): void {
  if (options === undefined) return
  if (!isObject(options)) fail('the call options must be an object: { signal, strategy, tags, user, maxCostUsd }.')
  const { tags, user } = options
  if (tags !== undefined) {
    if (!isObject(tags)) fail('`tags` must be an object of string values, e.g. { team: "search" }.')
    for (const [name, value] of Object.entries(tags)) {
      if (typeof value !== 'string') fail(`\`tags.${name}\` must be a string (got ${JSON.stringify(value)}).`)
    }
  }
  if (user !== undefined && (typeof user !== 'string' || user === '')) fail('`user` must be a non-empty string.')
  validateCallCacheOptions(options.cache)
  const { maxCostUsd } = options
  if (maxCostUsd !== undefined && (typeof maxCostUsd !== 'number' || !Number.isFinite(maxCostUsd) || maxCostUsd <= 0)) {
    fail(`\`maxCostUsd\` must be a number of USD above 0 (got ${JSON.stringify(maxCostUsd)}).`)
  }
  if (options.waitUntil !== undefined && typeof options.waitUntil !== 'function') fail('`waitUntil` must be a function, e.g. (work) => ctx.waitUntil(work).')
}
