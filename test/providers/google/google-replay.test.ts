import { HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { createRouter, google, RateLimitError } from '../../../src/index.js'
import { attemptError } from '../../helpers/call-errors.js'
import { useMswServer } from '../../helpers/msw.js'
import { collectWithResult } from '../../helpers/streams.js'
import { recordedChunks, recordedJson, sseResponse } from '../../helpers/recordings.js'
import { serveGemini, testGoogleKey } from './google-handlers.js'

const server = useMswServer()
const model = 'gemini-3-pro-preview'
const messages = [{ role: 'user' as const, content: 'How many r are in strawberry?' }]
const weatherTool = {
  type: 'function' as const,
  function: { name: 'weather', parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] } },
}

// gemini-3-pro-preview in the catalog, up to 200k input tokens: input 2, output 12 USD per million tokens.
const proInput = 2
const proOutput = 12

function router() {
  return createRouter({ providers: [google({ apiKey: testGoogleKey })], routes: { pro: `google/${model}` } })
}

describe('google adapter replaying recorded Gemini traffic', () => {
  it('returns the recorded text answer with thought tokens: text, usage, finish reason, signature and cost', async () => {
    const recorded = recordedJson('google', 'google-text')
    const captured = serveGemini(server, model, 'generateContent', () => HttpResponse.json(recorded))
    const result = await router().chat({ model: 'pro', messages })

    expect(captured).toHaveLength(1)
    expect(captured[0]!.headers.get('x-goog-api-key')).toBe(testGoogleKey)
    expect(result.id).toBe('Un6LacrVMcjUxs0PmJfWoQc')
    expect(result.model).toBe(`google/${model}`)
    const message = result.choices[0]!.message
    expect(message.content).toBe("There are **3** r's in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.")
    expect(message.tool_calls).toBeUndefined()
    expect(message.provider_data).toEqual({ google: { textSignature: recorded.candidates[0].content.parts[0].thoughtSignature } })
    expect(result.choices[0]!.finish_reason).toBe('stop')
    // candidatesTokenCount 28 + thoughtsTokenCount 244 = 272 output tokens, 244 of them reasoning.
    expect(result.tokens).toMatchObject({
      inputTokens: 9,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 272,
      reasoningTokens: 244,
    })
    expect(result.usage).toMatchObject({
      prompt_tokens: 9,
      completion_tokens: 272,
      total_tokens: 281,
    })
    expect(result.usage.total_tokens).toBe(recorded.usageMetadata.totalTokenCount)
    // 9 × 2 / 1e6 = 0.000018 input; 272 × 12 / 1e6 = 0.003264 output.
    expect(result.cost.input).toBeCloseTo((9 * proInput) / 1e6, 12)
    expect(result.cost.output).toBeCloseTo((272 * proOutput) / 1e6, 12)
    expect(result.cost.total).toBeCloseTo(0.003282, 12)
  })

  it('streams the recorded text chunks (sent to :streamGenerateContent?alt=sse) with usage from the last chunk', async () => {
    const recorded = recordedChunks('google', 'google-text')
    const captured = serveGemini(server, model, 'streamGenerateContent', () => sseResponse(recorded))
    const { chunks, result } = await collectWithResult(router().stream({ model: 'pro', messages }))

    expect(new URL(captured[0]!.url).searchParams.get('alt')).toBe('sse')
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')
    expect(text).toBe('There are **3** "r"s in strawberry.\n\nst**r**awbe**rr**y')
    expect(result.choices[0]!.message.content).toBe(text)
    const finishReasons = chunks.map((chunk) => chunk.choices[0]?.finish_reason).filter(Boolean)
    expect(finishReasons).toEqual(['stop'])
    const last = chunks.at(-1)!
    // The last chunk: candidatesTokenCount 23 + thoughtsTokenCount 185.
    expect(last.tokens).toMatchObject({ inputTokens: 9, cacheReadTokens: 0, outputTokens: 208, reasoningTokens: 185 })
    expect(last.usage).toMatchObject({ total_tokens: 217 })
    expect(last.cost!.total).toBeCloseTo((9 * proInput + 208 * proOutput) / 1e6, 12)
    // The signature arrives on an empty text part in the final chunk.
    expect(result.choices[0]!.message.provider_data).toEqual({ google: { textSignature: recorded[2].candidates[0].content.parts[0].thoughtSignature } })
  })

  it('returns the recorded function call: generated stable id, name, parsed arguments, signature, tool_calls finish', async () => {
    const recorded = recordedJson('google', 'google-tool-call')
    serveGemini(server, model, 'generateContent', () => HttpResponse.json(recorded))
    const result = await router().chat({ model: 'pro', messages: [{ role: 'user', content: 'Weather in San Francisco?' }], tools: [weatherTool] })

    const message = result.choices[0]!.message
    expect(message.content).toBeNull()
    expect(message.tool_calls).toHaveLength(1)
    const call = message.tool_calls![0]!
    // Gemini sent no id: ours derives from the response id and the call's position.
    expect(call.id).toBe('call_m36LaZGyCLz1xs0PtNSB-QU_0')
    expect(call.function.name).toBe('weather')
    expect(JSON.parse(call.function.arguments)).toEqual({ location: 'San Francisco' })
    expect(message.provider_data).toEqual({
      google: { toolCallSignatures: { [call.id]: recorded.candidates[0].content.parts[0].thoughtSignature } },
    })
    expect(result.choices[0]!.finish_reason).toBe('tool_calls')
    expect(result.tokens).toMatchObject({ inputTokens: 29, outputTokens: 15 + 893, reasoningTokens: 893 })
    expect(result.usage).toMatchObject({ total_tokens: 937 })
    expect(result.cost.total).toBeCloseTo((29 * proInput + 908 * proOutput) / 1e6, 12)
  })

  it('streams the recorded function call as one tool call with its whole arguments', async () => {
    const recorded = recordedChunks('google', 'google-tool-call')
    serveGemini(server, model, 'streamGenerateContent', () => sseResponse(recorded))
    const { chunks, result } = await collectWithResult(router().stream({ model: 'pro', messages: [{ role: 'user', content: 'Weather in San Francisco?' }], tools: [weatherTool] }))

    const toolDeltas = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? [])
    expect(toolDeltas[0]).toMatchObject({ index: 0, id: 'call_b36LacjwM668nsEP2tbsgQQ_0', type: 'function', function: { name: 'weather' } })
    expect(JSON.parse(toolDeltas.map((delta) => delta.function?.arguments ?? '').join(''))).toEqual({ location: 'San Francisco' })
    const call = result.choices[0]!.message.tool_calls![0]!
    expect(call).toMatchObject({ id: 'call_b36LacjwM668nsEP2tbsgQQ_0', function: { name: 'weather' } })
    expect(JSON.parse(call.function.arguments)).toEqual({ location: 'San Francisco' })
    expect(result.choices[0]!.message.provider_data).toEqual({
      google: { toolCallSignatures: { [call.id]: recorded[0].candidates[0].content.parts[0].thoughtSignature } },
    })
    expect(chunks.map((chunk) => chunk.choices[0]?.finish_reason).filter(Boolean)).toEqual(['tool_calls'])
    expect(result.choices[0]!.finish_reason).toBe('tool_calls')
    expect(chunks.at(-1)!.tokens).toMatchObject({ inputTokens: 29, outputTokens: 60, reasoningTokens: 45 })
    expect(chunks.at(-1)!.usage).toMatchObject({ total_tokens: 89 })
  })

  it('maps the recorded 429 with RetryInfo to a RateLimitError carrying retryAfterMs', async () => {
    const recorded = recordedJson('google', 'google-429-retry-info')
    const captured = serveGemini(server, model, 'generateContent', () => HttpResponse.json(recorded, { status: 429 }))
    const attempt = await attemptError(router().chat({ model: 'pro', messages }))

    // The SDK's own retries are off: one request only.
    expect(captured).toHaveLength(1)
    expect(attempt).toBeInstanceOf(RateLimitError)
    expect(attempt).toMatchObject({ status: 429, retryable: true, retryAfterMs: 34_400, provider: 'google', model })
    expect(attempt.message).toContain('You exceeded your current quota')
  })
})
