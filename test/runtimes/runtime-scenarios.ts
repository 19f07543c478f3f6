import Anthropic from '@anthropic-ai/sdk'
import { calcPrice } from '@pydantic/genai-prices'
import OpenAI from 'openai'
import { expect } from 'vitest'
import { recordedChunks, recordedJson } from '../helpers/recordings.js'
import type { RecordedUpstream } from './recorded-upstream.js'

/** The keys a runtime's router is configured with; the upstream checks they arrive. */
export const openAIKey = 'sk-runtime-suite-openai-0123456789'
export const anthropicKey = 'sk-ant-runtime-suite-0123456789'

/** The provider settings a runtime hands its router (env bindings, process.env, Deno.env, Bun.env). */
export function providerSettings(upstream: RecordedUpstream): Record<string, string> {
  return {
    OPENAI_API_KEY: openAIKey,
    ANTHROPIC_API_KEY: anthropicKey,
    OPENAI_BASE_URL: `${upstream.url}/openai/v1`,
    ANTHROPIC_BASE_URL: `${upstream.url}/anthropic`,
  }
}

// Expected answers, straight from the recordings.
const openAIText: string = recordedJson('openai', 'openai-text').choices[0].message.content
const openAIStreamText = recordedChunks('openai', 'openai-text').map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')
const anthropicText: string = recordedJson('anthropic', 'anthropic-text').content[0].text
const anthropicStreamText = recordedChunks('anthropic', 'anthropic-text')
  .filter((event) => event.type === 'content_block_delta')
  .map((event) => event.delta.text)
  .join('')

/** The catalog's own price for the recorded usage: what the router must report. */
function catalogCost(provider: string, model: string, usage: { input_tokens: number; output_tokens: number }): number {
  const price = calcPrice(usage, model, { providerId: provider })
  if (!price) throw new Error(`the catalog has no price for ${provider}/${model}`)
  return price.total_price
}

const openAIUsage = recordedJson('openai', 'openai-text').usage
const openAIStreamUsage = recordedChunks('openai', 'openai-text').at(-1).usage
const anthropicUsage = recordedJson('anthropic', 'anthropic-text').usage
const anthropicStreamEvents = recordedChunks('anthropic', 'anthropic-text')
export const expectedCost = {
  openAIChat: catalogCost('openai', 'gpt-4.1-nano', { input_tokens: openAIUsage.prompt_tokens, output_tokens: openAIUsage.completion_tokens }),
  openAIStream: catalogCost('openai', 'gpt-4.1-nano', { input_tokens: openAIStreamUsage.prompt_tokens, output_tokens: openAIStreamUsage.completion_tokens }),
  anthropicChat: catalogCost('anthropic', 'claude-sonnet-4-5', { input_tokens: anthropicUsage.input_tokens, output_tokens: anthropicUsage.output_tokens }),
  anthropicStream: catalogCost('anthropic', 'claude-sonnet-4-5', {
    input_tokens: anthropicStreamEvents[0].message.usage.input_tokens,
    output_tokens: anthropicStreamEvents.find((event) => event.type === 'message_delta').usage.output_tokens,
  }),
}

const messages = [{ role: 'user' as const, content: 'Invent a new holiday and describe its traditions.' }]

async function postJson(url: string, body: unknown): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const text = await response.text()
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${text}`)
  return JSON.parse(text)
}

/** `router.chat()` inside the runtime, over the default fallback route and a direct model id. */
export async function checkChat(baseURL: string, upstream: RecordedUpstream): Promise<void> {
  upstream.requests.length = 0
  const viaRoute = await postJson(`${baseURL}/probe/chat`, { model: 'default', messages })
  expect(viaRoute.text).toBe(openAIText)
  expect(viaRoute.route).toMatchObject({ name: 'default', provider: 'openai', strategy: 'fallback' })
  expect(viaRoute.usage).toMatchObject({ prompt_tokens: openAIUsage.prompt_tokens, completion_tokens: openAIUsage.completion_tokens })
  expect(viaRoute.cost.total).toBeCloseTo(expectedCost.openAIChat, 12)
  expect(upstream.requests).toHaveLength(1)
  expect(upstream.requests[0]).toMatchObject({ provider: 'openai', credentials: `Bearer ${openAIKey}` })

  const direct = await postJson(`${baseURL}/probe/chat`, { model: 'anthropic/claude-sonnet-4-5', messages, max_tokens: 200 })
  expect(direct.text).toBe(anthropicText)
  expect(direct.route).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4-5' })
  expect(direct.cost.total).toBeCloseTo(expectedCost.anthropicChat, 12)
  expect(upstream.requests[1]?.provider).toBe('anthropic')
  expect(upstream.requests[1]?.credentials).toContain(anthropicKey)
}

/** `router.stream()` inside the runtime, for both providers. */
export async function checkStream(baseURL: string): Promise<void> {
  const viaRoute = await postJson(`${baseURL}/probe/stream`, { model: 'default', messages })
  expect(viaRoute.text).toBe(openAIStreamText)
  expect(viaRoute.chunks).toBeGreaterThan(10)
  expect(viaRoute.route).toMatchObject({ provider: 'openai', strategy: 'fallback' })
  expect(viaRoute.cost.total).toBeCloseTo(expectedCost.openAIStream, 12)

  const direct = await postJson(`${baseURL}/probe/stream`, { model: 'anthropic/claude-sonnet-4-5', messages, max_tokens: 200 })
  expect(direct.text).toBe(anthropicStreamText)
  expect(direct.route).toMatchObject({ provider: 'anthropic' })
  expect(direct.cost.total).toBeCloseTo(expectedCost.anthropicStream, 12)
}

/**
 * `router.fetch` inside the runtime, driven by the official OpenAI and Anthropic clients from
 * outside it: both dialects, streamed and not, the cost in the response header.
 */
export async function checkFetch(baseURL: string): Promise<void> {
  const openAIClient = new OpenAI({ apiKey: 'unused', baseURL: `${baseURL}/v1`, maxRetries: 0 })
  const { data: completion, response } = await openAIClient.chat.completions.create({ model: 'default', messages }).withResponse()
  expect(completion.choices[0]?.message.content).toBe(openAIText)
  expect(Number(response.headers.get('x-switchyard-cost-usd'))).toBeCloseTo(expectedCost.openAIChat, 12)

  let streamed = ''
  let streamedUsage: OpenAI.CompletionUsage | undefined
  const stream = await openAIClient.chat.completions.create({ model: 'default', messages, stream: true, stream_options: { include_usage: true } })
  for await (const chunk of stream) {
    streamed += chunk.choices[0]?.delta.content ?? ''
    if (chunk.usage) streamedUsage = chunk.usage
  }
  expect(streamed).toBe(openAIStreamText)
  expect(streamedUsage).toMatchObject({ prompt_tokens: openAIStreamUsage.prompt_tokens, completion_tokens: openAIStreamUsage.completion_tokens })

  // An Anthropic-shaped request served by the default route (OpenAI first) and by Anthropic itself.
  const anthropicClient = new Anthropic({ apiKey: 'unused', baseURL, maxRetries: 0 })
  const { data: translated, response: translatedResponse } = await anthropicClient.messages.create({ model: 'default', max_tokens: 400, messages }).withResponse()
  expect(translated.content[0]).toMatchObject({ type: 'text', text: openAIText })
  expect(Number(translatedResponse.headers.get('x-switchyard-cost-usd'))).toBeCloseTo(expectedCost.openAIChat, 12)

  const message = await anthropicClient.messages.stream({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 200, messages }).finalMessage()
  expect(message.content[0]).toMatchObject({ type: 'text', text: anthropicStreamText })
  expect(message.usage.output_tokens).toBe(expectedOutputTokens())
}

function expectedOutputTokens(): number {
  return anthropicStreamEvents.find((event) => event.type === 'message_delta').usage.output_tokens
}

/**
 * The fallback route when OpenAI is overloaded: Anthropic answers, the failed attempt is on the
 * route, the cost is Anthropic's. Then the isolate's own state: the router remembers the failure
 * (OpenAI cools down) for the next request in the same isolate.
 */
export async function checkFallback(baseURL: string, upstream: RecordedUpstream): Promise<void> {
  upstream.failing.add('openai')
  try {
    const result = await postJson(`${baseURL}/probe/chat`, { model: 'default', messages, max_tokens: 200 })
    expect(result.text).toBe(anthropicText)
    expect(result.route.provider).toBe('anthropic')
    expect(result.route.attempts.map((attempt: { provider: string; outcome: string }) => [attempt.provider, attempt.outcome])).toEqual([
      ['openai', 'error'],
      ['anthropic', 'success'],
    ])
    expect(result.route.attempts[0].error).toMatchObject({ status: 503 })
    expect(result.cost.total).toBeCloseTo(expectedCost.anthropicChat, 12)
  } finally {
    upstream.failing.delete('openai')
  }
}

/** An example's endpoint answers the official OpenAI client with the recorded answer, its cost, and the configured key. */
export async function checkExampleEndpoint(baseURL: string, upstream: RecordedUpstream): Promise<void> {
  upstream.requests.length = 0
  const client = new OpenAI({ apiKey: 'unused', baseURL: `${baseURL}/v1`, maxRetries: 0 })
  const { data, response } = await client.chat.completions.create({ model: 'default', messages }).withResponse()
  expect(data.choices[0]?.message.content).toBe(openAIText)
  expect(Number(response.headers.get('x-switchyard-cost-usd'))).toBeCloseTo(expectedCost.openAIChat, 12)
  expect(upstream.requests).toHaveLength(1)
  expect(upstream.requests[0]).toMatchObject({ provider: 'openai', credentials: `Bearer ${openAIKey}` })

  const anthropicClient = new Anthropic({ apiKey: 'unused', baseURL, maxRetries: 0 })
  const message = await anthropicClient.messages.create({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 200, messages })
  expect(message.content[0]).toMatchObject({ type: 'text', text: anthropicText })
  expect(upstream.requests[1]?.credentials).toContain(anthropicKey)
}

/** The keys of google(), mistral() and groq() in the runtimes; the upstream checks they arrive. */
export const otherProviderKeys = { GEMINI_API_KEY: 'AIza-runtime-suite-google-0123456789', MISTRAL_API_KEY: 'runtime-suite-mistral-0123456789', GROQ_API_KEY: 'gsk_runtime_suite_groq_0123456789' }

/** What a router with google(), mistral() and groq() must answer: text and cost from the recordings and the catalog. */
function otherProviderExpectations() {
  const googleParts = (response: any) => (response.candidates?.[0]?.content?.parts ?? []).filter((part: any) => typeof part.text === 'string' && !part.thought).map((part: any) => part.text)
  // Gemini bills thoughts as output, outside candidatesTokenCount.
  const googleUsage = (metadata: any) => ({ input_tokens: metadata.promptTokenCount, output_tokens: metadata.candidatesTokenCount + (metadata.thoughtsTokenCount ?? 0) })
  const googleChunks = recordedChunks('google', 'google-text')
  // Priced as the model that answered (the recording's `modelVersion`), whatever id was asked for.
  const googleJson = recordedJson('google', 'google-text')
  const chatCompletions = (provider: 'mistral' | 'groq', model: string) => {
    const json = recordedJson(provider, `${provider}-text`)
    const chunks = recordedChunks(provider, `${provider}-text`)
    const streamUsage = chunks.map((chunk) => chunk.usage ?? chunk.x_groq?.usage).filter(Boolean).at(-1)
    return {
      model: `${provider}/${model}`,
      chat: { text: json.choices[0].message.content, cost: catalogCost(provider, model, { input_tokens: json.usage.prompt_tokens, output_tokens: json.usage.completion_tokens }) },
      stream: {
        text: chunks.map((chunk) => chunk.choices?.[0]?.delta?.content ?? '').join(''),
        cost: catalogCost(provider, model, { input_tokens: streamUsage.prompt_tokens, output_tokens: streamUsage.completion_tokens }),
      },
    }
  }
  return {
    google: {
      model: 'google/gemini-2.5-flash',
      chat: { text: googleParts(googleJson).join(''), cost: catalogCost('google', googleJson.modelVersion, googleUsage(googleJson.usageMetadata)) },
      stream: {
        text: googleChunks.flatMap(googleParts).join(''),
        cost: catalogCost('google', googleChunks.at(-1).modelVersion, googleUsage(googleChunks.map((chunk) => chunk.usageMetadata).filter(Boolean).at(-1))),
      },
    },
    mistral: chatCompletions('mistral', 'mistral-small-latest'),
    groq: chatCompletions('groq', 'llama-3.3-70b-versatile'),
  }
}

/** `router.chat()` and `router.stream()` through google(), mistral() and groq() inside the runtime. */
export async function checkOtherProviders(baseURL: string, upstream: RecordedUpstream): Promise<void> {
  const keys = { google: otherProviderKeys.GEMINI_API_KEY, mistral: otherProviderKeys.MISTRAL_API_KEY, groq: otherProviderKeys.GROQ_API_KEY }
  for (const [provider, expected] of Object.entries(otherProviderExpectations()) as Array<[keyof typeof keys, ReturnType<typeof otherProviderExpectations>['google']]>) {
    upstream.requests.length = 0
    const chat = await postJson(`${baseURL}/probe/chat`, { model: expected.model, messages })
    expect(chat.text, provider).toBe(expected.chat.text)
    expect(chat.route, provider).toMatchObject({ provider })
    expect(chat.cost.total, provider).toBeCloseTo(expected.chat.cost, 12)
    const stream = await postJson(`${baseURL}/probe/stream`, { model: expected.model, messages })
    expect(stream.text, provider).toBe(expected.stream.text)
    expect(stream.cost.total, provider).toBeCloseTo(expected.stream.cost, 12)
    expect(upstream.requests.map((request) => request.provider)).toEqual([provider, provider])
    for (const request of upstream.requests) expect(request.credentials, provider).toContain(keys[provider])
  }
}
