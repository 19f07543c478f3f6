import type { ChatParameters } from '../spec/request.js'

/**
 * A fingerprint of the prompt prefix a provider caches: tools, then messages, up to the last
 * block carrying a `cache_control` marker. `undefined` when the request has no marker. Requests
 * sharing a marked prefix share a fingerprint, so a key pool can send them to the same key,
 * whose prompt cache already holds that prefix. FNV-1a over the JSON (not a secret, not stored).
 */
export function cachePrefixFingerprint(request: ChatParameters): string | undefined {
  const pieces: unknown[] = []
  let marked = 0
  for (const tool of request.tools ?? []) {
    pieces.push(tool)
    if (tool.cache_control) marked = pieces.length
  }
  for (const message of request.messages) {
    if (Array.isArray(message.content)) {
      const parts: unknown[] = []
      for (const part of message.content) {
        parts.push(part)
        if (part.cache_control) {
          pieces.push({ role: message.role, parts: [...parts] })
          marked = pieces.length
        }
      }
      pieces.push({ role: message.role, content: message.content })
    } else {
      pieces.push({ role: message.role, content: message.content })
    }
  }
  if (marked === 0) return undefined
  return fnv1a(JSON.stringify(pieces.slice(0, marked)))
}

function fnv1a(text: string): string {
  // Two 32-bit lanes with different offsets: 64 bits keeps collisions between prefixes negligible.
  let first = 0x811c9dc5
  let second = 0x01000193 ^ 0x5bd1e995
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index)
    first = Math.imul(first ^ code, 0x01000193)
    second = Math.imul(second ^ code, 0x01000193) ^ (second >>> 15)
  }
  return (first >>> 0).toString(16).padStart(8, '0') + (second >>> 0).toString(16).padStart(8, '0')
}
