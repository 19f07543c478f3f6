import { describe, expect, it } from 'vitest'
import { createRouter, openai, ProviderError } from '../../../src/index.js'
import { holidayMessages } from '../../helpers/chat-fixtures.js'
import { useMswServer } from '../../helpers/msw.js'
import { serveChatCompletions, testApiKey } from '../../helpers/openai-handlers.js'
import { recordedJson } from '../../helpers/recordings.js'

/**
 * The adapter reads a non-streamed answer's body from the SDK's raw response itself, as the SDK
 * would: JSON by the response's media type (parameters and `+json` types included), anything else
 * as text, a 204 as no body. Each is served through the real `openai` SDK.
 */
const server = useMswServer()
const recordedText = recordedJson('openai', 'openai-text')

function answer(body: string | null, status: number, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers })
}

describe('openai adapter: the body of a non-streamed answer', () => {
  it.each([
    ['application/json', 'application/json'],
    ['application/json with a charset', 'application/json; charset=utf-8'],
    ['a +json media type', 'application/vnd.example+json'],
  ])('reads %s as the completion', async (_name, contentType) => {
    serveChatCompletions(server, () => answer(JSON.stringify(recordedText), 200, { 'content-type': contentType }))
    const router = createRouter({ providers: [openai({ apiKey: testApiKey })] })
    const result = await router.chat({ model: 'openai/gpt-4.1-nano', messages: holidayMessages })
    expect(result.choices[0]!.message.content).toBe(recordedText.choices[0].message.content)
    expect(result.tokens.outputTokens).toBe(recordedText.usage.completion_tokens)
  })

  it.each([
    ['a JSON completion served as text/plain', () => answer(JSON.stringify(recordedText), 200, { 'content-type': 'text/plain' }), 'the body is text, not a JSON completion'],
    ['a 204 without a body', () => answer(null, 204), 'the body is not a JSON object'],
    ['a JSON body of length 0', () => answer('', 200, { 'content-type': 'application/json', 'content-length': '0' }), 'the body is not a JSON object'],
    ['a truncated JSON body', () => answer('{"id": ', 200, { 'content-type': 'application/json' }), 'JSON'],
  ])('refuses %s as a malformed answer', async (_name, respond, reason) => {
    const calls = serveChatCompletions(server, respond)
    const router = createRouter({ providers: [openai({ apiKey: testApiKey })] })
    const error = await router.chat({ model: 'openai/gpt-4.1-nano', messages: holidayMessages }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ProviderError)
    expect((error as Error).message).toContain(reason)
    expect(calls.length).toBeGreaterThanOrEqual(1)
  })
})
