// The smallest useful adapter: text chat and streaming for an OpenAI-like host over `fetch`.
// See examples/fetch-provider.ts for tool calls, malformed answers and a runnable demo.
import { defineProvider, errorFromResponse, readServerSentEvents, usageFromOpenAIShape, type ModelRequest, type ProviderCall, type ProviderSettings } from '../src/index.js'

export function minimal(settings: ProviderSettings<typeof fetch> & { baseURL: string }) {
  const post = async (request: ModelRequest, call: ProviderCall<typeof fetch>, stream: boolean) => {
    const response = await call.client(`${settings.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${call.apiKey}` },
      body: JSON.stringify({ model: request.model, messages: request.messages, stream, ...(stream ? { stream_options: { include_usage: true } } : {}) }),
      signal: call.signal,
    })
    if (!response.ok) throw await errorFromResponse(response, { provider: 'minimal', model: request.model, secrets: [call.apiKey] })
    return response
  }
  return defineProvider<typeof fetch>({
    id: 'minimal',
    settings,
    apiKeyEnv: 'MINIMAL_API_KEY',
    createClient: () => globalThis.fetch,
    async chat(request, call) {
      const body = await (await post(request, call, false)).json()
      return { id: body.id, model: body.model, message: { role: 'assistant', content: body.choices[0].message.content }, finishReason: 'stop', usage: usageFromOpenAIShape(body.usage) }
    },
    async *stream(request, call) {
      yield { type: 'response-start', id: '', model: request.model }
      let usage = {}
      for await (const event of readServerSentEvents((await post(request, call, true)).body!)) {
        if (event.data === '[DONE]') break
        const chunk = JSON.parse(event.data)
        if (chunk.usage) usage = chunk.usage
        if (chunk.choices?.[0]?.delta?.content) yield { type: 'text-delta', text: chunk.choices[0].delta.content }
      }
      yield { type: 'finish', finishReason: 'stop', usage: usageFromOpenAIShape(usage) }
    },
  })
}
