import { describe, expect, it } from 'vitest'
import { redactedErrorCopy, redactSecrets } from '../../src/provider-kit/redact.js'
import { retryAfterFromHeaders } from '../../src/provider-kit/retry-after.js'

describe('redactSecrets', () => {
  it('masks the known keys and anything shaped like a provider key', () => {
    const text = 'mine: custom-secret-value; openai: sk-proj-AbCdEfGh12345678; groq: gsk_AbCdEfGh12345678; google: AIzaSyAbCdEfGhIjKlMnOpQrStUv; header: Bearer abc.def.ghi-123'
    const redacted = redactSecrets(text, ['custom-secret-value'])
    for (const secret of ['custom-secret-value', 'sk-proj-AbCdEfGh12345678', 'gsk_AbCdEfGh12345678', 'AIzaSyAbCdEfGhIjKlMnOpQrStUv', 'abc.def.ghi-123']) {
      expect(redacted).not.toContain(secret)
    }
    expect(redacted).toContain('mine: [redacted]')
  })

  it('masks a key a provider echoes back in its own masked form, and a key= URL parameter', () => {
    const text = 'Incorrect API key provided: sk-SECRE********3456. Also sk-proj-********************abcd and gsk_****wxyz; url https://host/v1?alt=sse&key=AIzaShortKey1'
    const redacted = redactSecrets(text)
    for (const fragment of ['SECRE', '3456', 'abcd', 'wxyz', 'AIzaShortKey1']) expect(redacted).not.toContain(fragment)
    expect(redacted).toBe('Incorrect API key provided: [redacted]. Also [redacted] and [redacted]; url https://host/v1?alt=sse&key=[redacted]')
    // Ordinary emphasis is not a key.
    expect(redactSecrets('a **bold** claim')).toBe('a **bold** claim')
  })

  it('leaves short known values alone, so ordinary words are not masked', () => {
    expect(redactSecrets('the key is abc', ['abc'])).toBe('the key is abc')
  })

  it('copies an error with its message, stack and kept fields masked', () => {
    const source = new Error('rejected key custom-secret-value')
    const copy = redactedErrorCopy(source, 'APIError', { status: 401, body: 'echo custom-secret-value', error: { message: 'custom-secret-value' }, absent: undefined }, ['custom-secret-value']) as Error &
      Record<string, unknown>
    expect(copy.name).toBe('APIError')
    expect(copy.message).toBe('rejected key [redacted]')
    expect(copy.stack).not.toContain('custom-secret-value')
    expect(copy.status).toBe(401)
    expect(copy.body).toBe('echo [redacted]')
    expect(copy.error).toEqual({ message: '[redacted]' })
    expect('absent' in copy).toBe(false)
  })
})

describe('retryAfterFromHeaders', () => {
  const now = Date.parse('2026-01-01T00:00:00Z')
  it.each([
    ['retry-after in seconds', { 'retry-after': '2' }, 2000],
    ['retry-after-ms, preferred over retry-after', { 'retry-after-ms': '1500', 'retry-after': '2' }, 1500],
    ['an HTTP date', { 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }, 30_000],
    ['a date in the past', { 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' }, 0],
    ['nothing usable', { 'retry-after': 'soon' }, undefined],
    ['no header', {}, undefined],
  ] as const)('%s', (_name, headers, expected) => {
    expect(retryAfterFromHeaders(headers as Record<string, string>, now)).toBe(expected)
    expect(retryAfterFromHeaders(new Headers(headers as Record<string, string>), now)).toBe(expected)
  })
})
