import { ChatOpenAI } from '@langchain/openai'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { anthropic, createRouter, openai } from '../../../src/index.js'
import { useMswServer } from '../../helpers/msw.js'
import { recordedChunks, recordedJson, sseResponse } from '../../helpers/recordings.js'

/*
 * LangChain's ChatOpenAI with `useResponsesApi: true` talks to router.fetch in-process (it hands
 * `configuration.fetch` to the openai SDK); the router's real adapters talk to msw, which replays
 * recorded provider traffic.
 */
const server = useMswServer()

function serve(url: string, respond: () => Response) {
  const bodies: any[] = []
  server.use(
    http.post(url, async ({ request }) => {
      bodies.push(await request.json())
      return respond()
    }),
  )
  return bodies
}

/** The paths LangChain asked router.fetch for, so each test can show it took the Responses API. */
let requestedPaths: string[] = []

function chatModel(model: string) {
  const router = createRouter({ providers: [openai({ apiKey: 'sk-test' }), anthropic({ apiKey: 'anthropic-test-key' })] })
  requestedPaths = []
  const recordingFetch = (input: RequestInfo | URL, init?: RequestInit) => {
    requestedPaths.push(new URL(input instanceof Request ? input.url : String(input)).pathname)
    return router.fetch(input, init)
  }
  return new ChatOpenAI({ model, apiKey: 'unused', useResponsesApi: true, maxRetries: 0, configuration: { baseURL: 'http://switchyard.local/v1', fetch: recordingFetch } })
}

const weatherTool = {
  type: 'function' as const,
  function: { name: 'weather', description: 'Weather at a location', parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] } },
}

describe("LangChain's ChatOpenAI with useResponsesApi: true against router.fetch", () => {
  it('invoke, backed by an Anthropic model: the recorded answer and usage', async () => {
    const recorded = recordedJson('anthropic', 'anthropic-text')
    const bodies = serve('https://api.anthropic.com/v1/messages', () => HttpResponse.json(recorded))
    const message = await chatModel('anthropic/claude-sonnet-4-5').invoke([
      ['system', 'Be friendly.'],
      ['human', 'How are you?'],
    ])
    expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: recorded.content[0].text })])
    expect(message.usage_metadata).toMatchObject({ input_tokens: recorded.usage.input_tokens, output_tokens: recorded.usage.output_tokens })
    expect(bodies[0].system).toEqual([{ type: 'text', text: 'Be friendly.' }])
    expect(requestedPaths).toEqual(['/v1/responses'])
  })

  it('stream, backed by an Anthropic model: every recorded token', async () => {
    const recorded = recordedChunks('anthropic', 'anthropic-text')
    serve('https://api.anthropic.com/v1/messages', () => sseResponse(recorded, { namedEvents: true }))
    let text = ''
    for await (const chunk of await chatModel('anthropic/claude-sonnet-4-5').stream('How are you?')) {
      text += typeof chunk.content === 'string' ? chunk.content : chunk.content.map((part) => ('text' in part ? part.text : '')).join('')
    }
    const expected = recorded.filter((event: any) => event.type === 'content_block_delta' && event.delta.type === 'text_delta').map((event: any) => event.delta.text).join('')
    expect(text).toBe(expected)
    expect(requestedPaths).toEqual(['/v1/responses'])
  })

  it('bindTools + invoke, backed by an OpenAI model: the recorded tool call', async () => {
    const recorded = recordedJson('mistral', 'mistral-tool-call')
    const bodies = serve('https://api.openai.com/v1/chat/completions', () => HttpResponse.json(recorded))
    const message = await chatModel('openai/gpt-4o').bindTools([weatherTool]).invoke('Weather in San Francisco?')
    const recordedCall = recorded.choices[0].message.tool_calls[0]
    expect(message.tool_calls).toEqual([expect.objectContaining({ id: recordedCall.id, name: 'weather', args: JSON.parse(recordedCall.function.arguments) })])
    expect(bodies[0].tools).toEqual([weatherTool])
    expect(requestedPaths).toEqual(['/v1/responses'])
  })

  it('stream, backed by an OpenAI model: the recorded tokens', async () => {
    const recorded = recordedChunks('openai', 'openai-text')
    serve('https://api.openai.com/v1/chat/completions', () => sseResponse(recorded, { done: true }))
    let text = ''
    for await (const chunk of await chatModel('openai/gpt-4.1-nano').stream('Invent a holiday.')) {
      text += typeof chunk.content === 'string' ? chunk.content : chunk.content.map((part) => ('text' in part ? part.text : '')).join('')
    }
    expect(text).toBe(recorded.map((chunk: any) => chunk.choices[0]?.delta?.content ?? '').join(''))
    expect(requestedPaths).toEqual(['/v1/responses'])
  })
})
