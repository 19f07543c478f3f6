import type { AssistantMessage, ChatMessage, TextPart, UserContentPart } from '../spec/message.js'

/**
 * Messages in the GenAI conventions' JSON shape (`gen_ai.input.messages`, `gen_ai.output.messages`,
 * `gen_ai.system_instructions`): a role and typed parts. Only recorded with `captureContent`.
 */
type Part =
  | { type: 'text'; content: string }
  | { type: 'reasoning'; content: string }
  | { type: 'tool_call'; id: string; name: string; arguments: unknown }
  | { type: 'tool_call_response'; id: string; response: string }
  | { type: 'uri'; modality: 'image'; uri: string }
  | { type: 'blob'; modality: 'image'; mime_type: string }

interface ConventionMessage {
  role: string
  parts: Part[]
  finish_reason?: string
}

function textOf(content: string | TextPart[] | null | undefined): string {
  if (content === null || content === undefined) return ''
  return typeof content === 'string' ? content : content.map((part) => part.text).join('')
}

function userParts(content: string | UserContentPart[]): Part[] {
  if (typeof content === 'string') return [{ type: 'text', content }]
  return content.map((part): Part => {
    if (part.type === 'text') return { type: 'text', content: part.text }
    const url = part.image_url.url
    // Inline image data can be megabytes: its media type says what it was, the bytes stay out.
    if (url.startsWith('data:')) return { type: 'blob', modality: 'image', mime_type: url.slice(5, url.indexOf(';')) || 'image' }
    return { type: 'uri', modality: 'image', uri: url }
  })
}

function parsedArguments(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function assistantParts(message: AssistantMessage): Part[] {
  const parts: Part[] = []
  if (message.reasoning) parts.push({ type: 'reasoning', content: message.reasoning })
  const text = textOf(message.content)
  if (text !== '') parts.push({ type: 'text', content: text })
  if (message.refusal) parts.push({ type: 'text', content: message.refusal })
  for (const call of message.tool_calls ?? []) {
    parts.push({ type: 'tool_call', id: call.id, name: call.function.name, arguments: parsedArguments(call.function.arguments) })
  }
  return parts
}

/** The system instructions and the rest of the conversation, each as convention JSON. */
export function inputContent(messages: readonly ChatMessage[]): { system?: string; messages: string } {
  const system: Part[] = []
  const conversation: ConventionMessage[] = []
  for (const message of messages) {
    if (message.role === 'system' || message.role === 'developer') system.push({ type: 'text', content: textOf(message.content) })
    else if (message.role === 'user') conversation.push({ role: 'user', parts: userParts(message.content) })
    else if (message.role === 'assistant') conversation.push({ role: 'assistant', parts: assistantParts(message) })
    else if (message.role === 'tool') conversation.push({ role: 'tool', parts: [{ type: 'tool_call_response', id: message.tool_call_id, response: textOf(message.content) }] })
  }
  return { ...(system.length > 0 ? { system: JSON.stringify(system) } : {}), messages: JSON.stringify(conversation) }
}

export function outputContent(message: AssistantMessage, finishReason: string): string {
  return JSON.stringify([{ role: 'assistant', parts: assistantParts(message), finish_reason: finishReason }])
}
