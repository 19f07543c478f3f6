import type { OpenAIChatCompletionChunk } from './openai-types.js'

const chunkKeys = ['id', 'object', 'created', 'model', 'choices']
const chunkKeysWithUsage = ['id', 'object', 'created', 'model', 'choices', 'usage']
const choiceKeys = ['index', 'delta', 'finish_reason', 'logprobs']

/** Whether `object`'s own enumerable keys are `keys`, in that order (JSON.stringify's order). */
function hasKeys(object: object, keys: readonly string[]): boolean {
  let count = 0
  for (const key in object) {
    if (key !== keys[count]) return false
    count += 1
  }
  return count === keys.length
}

/**
 * Writes one stream's OpenAI chunks as JSON, the same text `JSON.stringify` gives. Nearly every
 * chunk of a stream is a one-choice chunk whose delta holds only strings (a content delta, the
 * role, a finish): those are written from the stream's frame (its `id`, `created` and `model`,
 * written once) plus what changed, which takes a fraction of `JSON.stringify`'s time on a chunk
 * of a stream. Every other chunk (tool calls, usage, cost and route) is stringified.
 */
export function openAIChunkWriter(): (chunk: OpenAIChatCompletionChunk) => string {
  let frameId: string | undefined
  let frameCreated: number | undefined
  let frameModel: string | undefined
  let frame = ''

  return (chunk) => {
    const { id, created, model, choices } = chunk
    const choice = choices.length === 1 ? choices[0]! : undefined
    if (
      choice === undefined ||
      typeof id !== 'string' ||
      typeof model !== 'string' ||
      typeof created !== 'number' ||
      !Number.isFinite(created) ||
      chunk.object !== 'chat.completion.chunk' ||
      !(chunk.usage === null ? hasKeys(chunk, chunkKeysWithUsage) : hasKeys(chunk, chunkKeys)) ||
      !hasKeys(choice, choiceKeys) ||
      typeof choice.index !== 'number' ||
      !Number.isFinite(choice.index) ||
      choice.logprobs !== null ||
      (choice.finish_reason !== null && typeof choice.finish_reason !== 'string')
    ) {
      return JSON.stringify(chunk)
    }
    const fields = choice.delta as unknown as Record<string, unknown>
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return JSON.stringify(chunk)
    let delta = ''
    for (const key in fields) {
      const value = fields[key]
      if (typeof value !== 'string') return JSON.stringify(chunk)
      delta += `${delta === '' ? '' : ','}${JSON.stringify(key)}:${JSON.stringify(value)}`
    }
    if (id !== frameId || created !== frameCreated || model !== frameModel) {
      frameId = id
      frameCreated = created
      frameModel = model
      frame = `{"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${JSON.stringify(created)},"model":${JSON.stringify(model)},"choices":[{"index":`
    }
    const finishReason = choice.finish_reason === null ? 'null' : JSON.stringify(choice.finish_reason)
    return `${frame}${JSON.stringify(choice.index)},"delta":{${delta}},"finish_reason":${finishReason},"logprobs":null}]${chunk.usage === null ? ',"usage":null}' : '}'}`
  }
}
