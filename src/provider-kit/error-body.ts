import { shapeOf } from './failure-shape.js'

/** What an error body says, in whichever of the common layouts it came. */
export interface ErrorBodyReading {
  /** The provider's own message. */
  message?: string
  /** The provider's error type(s) or code(s), space-separated (`rate_limit_error`, `RESOURCE_EXHAUSTED`). */
  providerCode?: string
  /** The body as parsed JSON, for provider-specific details (Google's `details`, ...). */
  parsed?: Record<string, unknown>
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  const start = text.indexOf('{')
  if (start < 0) return undefined
  try {
    const parsed: unknown = JSON.parse(text.slice(start))
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

function describeValidationDetail(detail: unknown): string | undefined {
  if (typeof detail === 'string') return detail
  if (!Array.isArray(detail)) return undefined
  return detail
    .map((item: { loc?: unknown[]; msg?: string }) => (Array.isArray(item?.loc) ? `${item.loc.join('.')}: ${item.msg ?? ''}` : (item?.msg ?? JSON.stringify(item))))
    .join('; ')
}

const asText = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined)

/**
 * Reads an error body: `{ error: { message, type, code, status } }` (OpenAI, Anthropic, Google,
 * Groq), `{ message, type, code }` (Mistral, many hosts), `{ detail: [...] }` (validation errors),
 * as an object or as JSON text. Text that is not JSON is the message itself.
 */
export function readErrorBody(body: unknown): ErrorBodyReading {
  if (body === undefined || body === null || body === '') return {}
  let parsed: Record<string, unknown> | undefined
  if (typeof body === 'string') {
    parsed = parseJsonObject(body)
    if (!parsed) return { message: body.slice(0, 500) }
  } else if (typeof body === 'object' && !Array.isArray(body)) {
    parsed = body as Record<string, unknown>
  } else {
    return { message: String(body) }
  }
  const inner = typeof parsed.error === 'object' && parsed.error !== null ? (parsed.error as Record<string, unknown>) : undefined
  // A 422 puts its field errors in `detail`, at the top or inside `message`.
  const nestedDetail = typeof parsed.message === 'object' && parsed.message !== null ? describeValidationDetail((parsed.message as { detail?: unknown }).detail) : undefined
  const message =
    asText(inner?.message) ??
    asText(parsed.message) ??
    nestedDetail ??
    describeValidationDetail(parsed.detail) ??
    asText(typeof parsed.error === 'string' ? parsed.error : undefined) ??
    (parsed.message !== undefined ? JSON.stringify(parsed.message) : undefined)
  // Both the type and the code: Groq says `context_length_exceeded` only in the nested code.
  const codes = [inner?.type, inner?.code, inner?.status, parsed.code, parsed.type].filter((code): code is string => typeof code === 'string' && code !== '')
  return { message, providerCode: codes.length > 0 ? [...new Set(codes)].join(' ') : undefined, parsed }
}

/**
 * The body a thrown value carries: the parsed `error` of Stainless SDKs, the `body` text of
 * Speakeasy SDKs and hand-written clients, or JSON inside the message (`@google/genai`).
 */
export function errorBodyOf(value: unknown): ErrorBodyReading {
  const shape = shapeOf(value)
  if (typeof shape.error === 'object' && shape.error !== null) return readErrorBody(shape.error)
  if (shape.body !== undefined && shape.body !== null && shape.body !== '') return readErrorBody(shape.body)
  if (typeof shape.message === 'string' && parseJsonObject(shape.message)) return readErrorBody(shape.message)
  return {}
}
