/**
 * A reasoning item's `encrypted_content` is the one place the Responses API gives a stateless
 * client for opaque reasoning data. Switchyard puts the answer's `provider_data` there (Anthropic's
 * thinking signatures, Gemini's thought signatures), so sending the item back on the next turn
 * returns the data to the provider that needs it. Content that is not ours (OpenAI's own encrypted
 * reasoning) cannot be read by any provider the router calls, and is ignored.
 */
const prefix = 'switchyard.v1.'

function toBase64(text: string): string {
  let binary = ''
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte)
  return btoa(binary)
}

function fromBase64(base64: string): string {
  const binary = atob(base64)
  return new TextDecoder().decode(Uint8Array.from(binary, (character) => character.charCodeAt(0)))
}

export function reasoningContentFromProviderData(providerData: Record<string, unknown> | undefined): string | null {
  return providerData && Object.keys(providerData).length > 0 ? `${prefix}${toBase64(JSON.stringify(providerData))}` : null
}

export function providerDataFromReasoning(encrypted: unknown): Record<string, unknown> | undefined {
  if (typeof encrypted !== 'string' || !encrypted.startsWith(prefix)) return undefined
  try {
    const parsed: unknown = JSON.parse(fromBase64(encrypted.slice(prefix.length)))
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}
