import type { TextPart } from '../spec/message.js'

/**
 * An answer's content as one string, as both dialects' results carry it: adapters return text
 * parts only when a provider answered in parts. (Unlike core's `messageText`, no tool calls.)
 */
export function contentText(content: string | TextPart[] | null | undefined): string | null {
  return Array.isArray(content) ? content.map((part) => part.text).join('') : content ?? null
}
