import { describe, expect, it } from 'vitest'
import { chatRequestFromOpenAI } from '../../src/facades/openai-dialect.js'

describe('chatRequestFromOpenAI', () => {
  it('turns refusal content parts of an earlier assistant turn into the refusal field', () => {
    const request = chatRequestFromOpenAI({ model: 'main', messages: [{ role: 'assistant', content: [{ type: 'refusal', refusal: 'I cannot.' }] } as never, { role: 'user', content: 'ok' }] })
    expect(request.messages[0]).toEqual({ role: 'assistant', content: null, refusal: 'I cannot.' })
  })

  it('drops wire-only fields (stream, stream_options) from the canonical request', () => {
    const request = chatRequestFromOpenAI({ model: 'main', messages: [{ role: 'user', content: 'x' }], stream: true, stream_options: { include_usage: true }, n: 1 })
    expect(request).toEqual({ model: 'main', messages: [{ role: 'user', content: 'x' }] })
  })

  it("forwards OpenAI-only fields under provider_options.openai, the caller's own entries winning", () => {
    const request = chatRequestFromOpenAI({ model: 'main', messages: [{ role: 'user', content: 'x' }], store: true, service_tier: 'flex', provider_options: { openai: { store: false }, groq: { x: 1 } } })
    expect(request.provider_options).toEqual({ openai: { store: false, service_tier: 'flex' }, groq: { x: 1 } })
  })

  it('rejects wire fields whose wrong type would change the answer or be mangled', () => {
    const message = [{ role: 'user' as const, content: 'x' }]
    const cases: Array<[unknown, RegExp]> = [
      // Read as truthy, "yes" would turn a JSON answer into an event stream the client cannot parse.
      [{ model: 'main', messages: message, stream: 'yes' }, /`stream` must be true or false/],
      [{ model: 'main', messages: message, stream: true, stream_options: 'usage' }, /`stream_options` must be an object/],
      // Spread into the forwarded fields, a string would become { 0: "x" } on the wire.
      [{ model: 'main', messages: message, store: true, provider_options: { openai: 'x' } }, /`provider_options\.openai` must be an object/],
      [{ model: 'main', messages: message, provider_options: { openai: 'x' } }, /`provider_options\.openai` must be an object/],
      [{ model: 'main', messages: message, store: true, provider_options: 'x' }, /`provider_options` must be an object keyed by provider id/],
    ]
    for (const [params, reason] of cases) {
      expect(() => chatRequestFromOpenAI(params as never)).toThrow(reason)
    }
  })
})
