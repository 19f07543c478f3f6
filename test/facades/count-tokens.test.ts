import Anthropic from '@anthropic-ai/sdk'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { anthropic, createRouter, fallback, google, mockProvider, openai } from '../../src/index.js'
import { useMswServer } from '../helpers/msw.js'
import { recordedJson } from '../helpers/recordings.js'

type AnthropicAPIError = InstanceType<typeof Anthropic.APIError>

/*
 * The official Anthropic client talks to router.fetch in-process; the router's Anthropic and
 * Google adapters reach their providers' counting endpoints through msw. OpenAI models are counted
 * locally with their tokenizer: msw fails the test if anything reaches the network for them.
 */
const server = useMswServer()

function setup() {
  const router = createRouter({
    providers: [anthropic({ apiKey: 'anthropic-test-key' }), google({ apiKey: 'gemini-test-key' }), openai({ apiKey: 'sk-test' }), mockProvider({ id: 'mock', models: { chat: 'hi' } })],
    routes: { main: fallback(['openai/gpt-4.1-nano', 'anthropic/claude-sonnet-4-5']), mocked: fallback(['mock/chat']) },
  })
  return { router, client: new Anthropic({ apiKey: 'unused', baseURL: 'http://switchyard.local', fetch: router.fetch, maxRetries: 0 }) }
}

function serveCount(url: string | RegExp, answer: Record<string, number>) {
  const bodies: any[] = []
  server.use(
    http.post(url, async ({ request }) => {
      bodies.push(await request.json())
      return HttpResponse.json(answer)
    }),
  )
  return bodies
}

const weatherTool = { name: 'weather', description: 'Weather at a location', input_schema: { type: 'object' as const, properties: { location: { type: 'string' } }, required: ['location'] } }

describe('messages.countTokens through router.fetch (POST /v1/messages/count_tokens)', () => {
  it('an Anthropic model is counted by Anthropic\'s own endpoint, with the request as it would be sent', async () => {
    const { client } = setup()
    const bodies = serveCount('https://api.anthropic.com/v1/messages/count_tokens', { input_tokens: 412 })
    const counted = await client.messages.countTokens({
      model: 'anthropic/claude-sonnet-4-5',
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [weatherTool],
    })
    expect(counted.input_tokens).toBe(412)
    expect(bodies).toHaveLength(1)
    expect(bodies[0]).toMatchObject({ model: 'claude-sonnet-4-5', system: [{ type: 'text', text: 'Be brief.' }], messages: [{ role: 'user' }], tools: [{ name: 'weather', input_schema: weatherTool.input_schema }] })
    // Counting has no output: no max_tokens or sampling settings reach the endpoint.
    expect(bodies[0]).not.toHaveProperty('max_tokens')
  })

  it('a Gemini model is counted by Gemini\'s countTokens endpoint', async () => {
    const { client } = setup()
    const bodies = serveCount(/generativelanguage\.googleapis\.com\/v1beta\/models\/gemini-2\.5-flash:countTokens/, { totalTokens: 9 })
    const counted = await client.messages.countTokens({ model: 'google/gemini-2.5-flash', messages: [{ role: 'user', content: 'Hello there, Gemini' }] })
    expect(counted.input_tokens).toBe(9)
    expect(bodies[0]).toMatchObject({ contents: [{ role: 'user', parts: [{ text: 'Hello there, Gemini' }] }] })
  })

  it('a Gemini model with a system prompt is a 400: the Gemini Developer API counts contents only', async () => {
    const { client } = setup()
    const error = (await client.messages.countTokens({ model: 'google/gemini-2.5-flash', system: 'Be brief.', messages: [{ role: 'user', content: 'Hi' }] }).catch((caught: unknown) => caught)) as AnthropicAPIError
    expect(error).toBeInstanceOf(Anthropic.BadRequestError)
    expect(error.message).toContain('counts contents only')
  })

  it('an OpenAI model is counted by its own tokenizer: the count OpenAI billed for the recorded prompt', async () => {
    const { client } = setup()
    // The recorded gpt-4.1-nano call sent this one user message and OpenAI reported its prompt tokens.
    const recorded = recordedJson('openai', 'openai-text')
    const counted = await client.messages.countTokens({ model: 'openai/gpt-4.1-nano', messages: [{ role: 'user', content: 'Invent a new holiday and describe its traditions.' }] })
    expect(counted.input_tokens).toBe(recorded.usage.prompt_tokens)
  })

  it('a route counts with its first model and says which one in a header', async () => {
    const { router } = setup()
    const response = await router.fetch('http://switchyard.local/v1/messages/count_tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'main', messages: [{ role: 'user', content: 'Invent a new holiday and describe its traditions.' }] }),
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('x-switchyard-model')).toBe('openai/gpt-4.1-nano')
    expect(await response.json()).toEqual({ input_tokens: recordedJson('openai', 'openai-text').usage.prompt_tokens })
  })

  it.each([
    ['openai/gpt-4.1-nano with tools: their tokenization is not published', { model: 'openai/gpt-4.1-nano', tools: [weatherTool] }, 'tool definitions'],
    ['an OpenAI model the tokenizer does not know', { model: 'openai/ft:gpt-4o-mini:acme::abc123' }, 'no tokenizer for this model'],
    ['a provider with no counting endpoint or tokenizer', { model: 'mocked' }, 'Token counting is not available for mock/chat'],
  ])('%s is a 400 saying counting is not available, not an estimate', async (_case, extra, message) => {
    const { client } = setup()
    const error = (await client.messages.countTokens({ messages: [{ role: 'user', content: 'Hi' }], ...extra } as Anthropic.MessageCountTokensParams).catch((caught: unknown) => caught)) as AnthropicAPIError
    expect(error).toBeInstanceOf(Anthropic.BadRequestError)
    expect((error.error as { error: { type: string } }).error.type).toBe('invalid_request_error')
    expect(error.message).toContain(message)
  })

  it('router.anthropic.messages.countTokens works in-process and names the counting model', async () => {
    const { router } = setup()
    serveCount('https://api.anthropic.com/v1/messages/count_tokens', { input_tokens: 27 })
    await expect(router.anthropic.messages.countTokens({ model: 'anthropic/claude-haiku-4-5', messages: [{ role: 'user', content: 'Hi' }] })).resolves.toEqual({
      input_tokens: 27,
      model: 'anthropic/claude-haiku-4-5',
    })
    await expect(router.countTokens({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'Hello' }] })).resolves.toMatchObject({ model: 'openai/gpt-4o' })
  })
})
