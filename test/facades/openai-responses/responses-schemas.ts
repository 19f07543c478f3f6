import { readFileSync } from 'node:fs'
import Ajv2020 from 'ajv/dist/2020.js'

const schemaDocument = JSON.parse(readFileSync(new URL('../../fixtures/openai-responses.schemas.json', import.meta.url), 'utf8')) as object
// The official document uses OpenAPI keywords (discriminator, x-*) that strict mode would reject.
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true })
ajv.addSchema({ ...schemaDocument, $id: 'openai-responses' })

export type ResponsesSchemaName = 'Response' | 'ResponseStreamEvent' | 'CreateResponse' | 'ErrorResponse'

/** Validates against the official Responses API schema; `cost`, `route` and `provider_metadata` (our additions) are set aside first. */
export function responsesSchemaErrors(name: ResponsesSchemaName, value: unknown): string[] {
  const validate = ajv.getSchema(`openai-responses#/components/schemas/${name}`)
  if (!validate) throw new Error(`No schema ${name}`)
  const copy = JSON.parse(JSON.stringify(value)) as Record<string, unknown>
  const strip = (object: Record<string, unknown>) => {
    delete object.cost
    delete object.route
    delete object.provider_metadata
  }
  strip(copy)
  if (typeof copy.response === 'object' && copy.response !== null) strip(copy.response as Record<string, unknown>)
  return validate(copy) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`)
}
