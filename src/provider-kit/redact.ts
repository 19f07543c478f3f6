// Patterns of provider API keys, masked wherever provider text is copied into our errors.
const keyPatterns = [
  // A key the provider echoes back in its own masked form (`sk-SECRE********3456`): the visible
  // ends still identify the key, so the whole token goes. First, before a pattern takes a part of it.
  /[A-Za-z0-9_-]{2,}\*{4,}[A-Za-z0-9_-]*|[A-Za-z0-9_-]*\*{4,}[A-Za-z0-9_-]{2,}/g,
  /\b(sk|pk|rk)-[A-Za-z0-9_-]{8,}/g,
  /\bsk-ant-[A-Za-z0-9_-]{8,}/g,
  /\bgsk_[A-Za-z0-9]{8,}/g,
  /\bxai-[A-Za-z0-9]{8,}/g,
  /\bAIza[0-9A-Za-z_-]{20,}/g,
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
]

// A key sent as a query parameter (`?key=...`, Google) and echoed in a URL.
const keyParameter = /([?&](?:key|api_key|apikey)=)[^&\s"'\\]+/gi

/** Removes API keys (the known ones and anything shaped like one) from text bound for a user. */
export function redactSecrets(text: string, knownSecrets: readonly (string | undefined)[] = []): string {
  let redacted = text
  for (const secret of knownSecrets) {
    if (secret && secret.length >= 6) redacted = redacted.split(secret).join('[redacted]')
  }
  for (const pattern of keyPatterns) redacted = redacted.replace(pattern, '[redacted]')
  return redacted.replace(keyParameter, '$1[redacted]')
}

/**
 * A copy of an SDK error with every secret it quotes masked, to keep as `cause`: loggers print
 * causes, and providers echo rejected keys in their messages and bodies. `fields` are the details
 * worth keeping for debugging (status, body, request id); their text is masked too.
 */
export function redactedErrorCopy(
  source: Error,
  name: string,
  fields: Record<string, unknown>,
  knownSecrets: readonly (string | undefined)[],
): Error {
  const copy = new Error(redactSecrets(source.message, knownSecrets)) as Error & Record<string, unknown>
  copy.name = name
  copy.stack = redactSecrets(source.stack ?? '', knownSecrets)
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) continue
    if (typeof value === 'string') copy[field] = redactSecrets(value, knownSecrets)
    else if (typeof value === 'object' && value !== null) copy[field] = JSON.parse(redactSecrets(JSON.stringify(value), knownSecrets))
    else copy[field] = value
  }
  return copy
}
