import { readFileSync } from 'node:fs'
import Ajv2020 from 'ajv/dist/2020.js'

/** OpenAPI's `nullable: true` as JSON Schema: the type also admits null. */
function withoutNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutNullable)
  if (typeof node !== 'object' || node === null) return node
  const { nullable, ...rest } = node as Record<string, unknown>
  const converted = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, withoutNullable(value)]))
  if (nullable === true && typeof converted.type === 'string') converted.type = [converted.type, 'null']
  if (nullable === true && Array.isArray(converted.enum)) converted.enum = [...converted.enum, null]
  if (nullable === true && typeof converted.$ref === 'string') {
    const { $ref, ...others } = converted
    return { ...others, anyOf: [{ $ref }, { type: 'null' }] }
  }
  return converted
}

const schemaDocument = withoutNullable(JSON.parse(readFileSync(new URL('../fixtures/openai-chat-completions.schemas.json', import.meta.url), 'utf8'))) as object
// The official document uses OpenAPI keywords (nullable, x-*) that strict mode would reject.
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true })
ajv.addSchema({ ...schemaDocument, $id: 'openai' })

export type OpenAISchemaName = 'CreateChatCompletionResponse' | 'CreateChatCompletionStreamResponse' | 'CreateEmbeddingResponse'

/** Validates against the official OpenAI schema; `cost` and `route` (our additions) are set aside first. */
export function openAISchemaErrors(name: OpenAISchemaName, value: unknown): string[] {
  const validate = ajv.getSchema(`openai#/components/schemas/${name}`)
  if (!validate) throw new Error(`No schema ${name}`)
  const { cost: _cost, route: _route, ...rest } = JSON.parse(JSON.stringify(value)) as Record<string, unknown>
  return validate(rest) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`)
}

/** Exactly the usage fields OpenAI defines: no canonical camelCase counters leak into the OpenAI shape. */
export const openAIUsageKeys = ['completion_tokens', 'completion_tokens_details', 'prompt_tokens', 'prompt_tokens_details', 'total_tokens']
