import { describe, expect, it } from 'vitest'
import { createRouter, fallback, mockProvider, ProviderError } from '../../src/index.js'
import { useMswServer } from '../helpers/msw.js'
import { jsonAnswer, type ProviderWire } from '../helpers/provider-wire/provider-wire.js'
import { anthropicWire } from '../helpers/provider-wire/anthropic-wire.js'
import { googleWire } from '../helpers/provider-wire/google-wire.js'
import { groqWire } from '../helpers/provider-wire/groq-wire.js'
import { mistralWire } from '../helpers/provider-wire/mistral-wire.js'
import { openAIWire } from '../helpers/provider-wire/openai-wire.js'

/**
 * A 200 that carries no answer is a failure, not an empty answer: each adapter throws a retryable
 * ProviderError, so the router retries the model and then falls back to the next one. Each case
 * is the provider's recorded answer with the part every answer has removed (or an SSE body sent to
 * a non-streamed call), served through the real SDK.
 */
const server = useMswServer()

type Breakage = [name: string, respond: (wire: ProviderWire) => Response]

function withoutField(field: string, nested?: string): (wire: ProviderWire) => Response {
  return (wire) => {
    const json = structuredClone(wire.text().json) as Record<string, any>
    if (nested) delete json[field]![0][nested]
    else delete json[field]
    return jsonAnswer(json)
  }
}

const sseToNonStreamed: Breakage = ['an SSE body answering a non-streamed call', (wire) => wire.streamResponse(wire.text().chunks)]
const emptyObject: Breakage = ['an empty JSON object', () => jsonAnswer({})]

const breakages: Array<[ProviderWire, Breakage[]]> = [
  [openAIWire, [sseToNonStreamed, emptyObject, ['no `choices`', withoutField('choices')], ['no `choices[0].message`', withoutField('choices', 'message')]]],
  [groqWire, [sseToNonStreamed, emptyObject, ['no `choices`', withoutField('choices')]]],
  [mistralWire, [sseToNonStreamed, emptyObject, ['no `choices`', withoutField('choices')]]],
  [anthropicWire, [sseToNonStreamed, emptyObject, ['no `content`', withoutField('content')], ['no `stop_reason`', withoutField('stop_reason')]]],
  [googleWire, [sseToNonStreamed, emptyObject, ['no `candidates`', withoutField('candidates')]]],
]

describe.each(breakages.map(([wire, cases]) => [wire.provider, wire, cases] as const))('%s: a malformed success', (_provider, wire, cases) => {
  it.each(cases)('%s is a retryable ProviderError: retried once, then the next candidate answers', async (_name, respond) => {
    const calls = wire.serveChat(server, () => respond(wire))
    const backup = mockProvider({ id: 'backup', models: { m: 'from the backup' } })
    const router = createRouter({
      providers: [wire.create(), backup],
      routes: { main: fallback([`${wire.provider}/${wire.model}`, 'backup/m'], { retries: 1 }) },
    })
    const result = await router.chat({ model: 'main', messages: [{ role: 'user', content: 'Hello, how are you?' }] })
    expect(result.choices[0]!.message.content).toBe('from the backup')
    // Tried, retried (retryable), then handed over.
    expect(calls).toHaveLength(2)
    const [first, second, last] = result.route.attempts
    for (const attempt of [first!, second!]) {
      expect(attempt.provider).toBe(wire.provider)
      expect(attempt.error).toBeInstanceOf(ProviderError)
      expect(attempt.error).toMatchObject({ code: 'provider_error', retryable: true, provider: wire.provider })
    }
    expect(last!.provider).toBe('backup')
  })
})
