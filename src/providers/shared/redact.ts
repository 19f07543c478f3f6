// Patterns of provider API keys, masked wherever provider text is copied into our errors.
const keyPatterns = [
  /\b(sk|pk|rk)-[A-Za-z0-9_-]{8,}/g,
  /\bsk-ant-[A-Za-z0-9_-]{8,}/g,
  /\bgsk_[A-Za-z0-9]{8,}/g,
  /\bxai-[A-Za-z0-9]{8,}/g,
  /\bAIza[0-9A-Za-z_-]{20,}/g,
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
]

/** Removes API keys (the known ones and anything shaped like one) from text bound for a user. */
export function redactSecrets(text: string, knownSecrets: readonly (string | undefined)[] = []): string {
  let redacted = text
  for (const secret of knownSecrets) {
    if (secret && secret.length >= 6) redacted = redacted.split(secret).join('[redacted]')
  }
  for (const pattern of keyPatterns) redacted = redacted.replace(pattern, '[redacted]')
  return redacted
}
