const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const validId = /^[A-Za-z0-9]{9}$/

// 32-bit FNV-1a; two seeds give 64 bits, plenty for the ids of one conversation.
function fnv1a(text: string, seed: number): number {
  let hash = seed
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash
}

/**
 * Mistral rejects any tool call id that is not exactly nine letters or digits, so ids made by
 * another provider (`call_…`, `toolu_…`) after a fallback would fail the whole conversation. Such an
 * id is replaced by a stable nine-character digest: the same on the assistant's call and on the
 * tool result that answers it, so they still pair up.
 */
export function toMistralToolCallId(id: string): string {
  if (validId.test(id)) return id
  let value = BigInt(fnv1a(id, 0x811c9dc5)) * 0x1_0000_0000n + BigInt(fnv1a(id, 0x050c5d1f))
  let result = ''
  for (let position = 0; position < 9; position++) {
    result += alphabet[Number(value % 62n)]
    value /= 62n
  }
  return result
}
