// A complete third-party provider adapter, written against the published contract and provider
// kit only: an OpenAI-like host (Chat Completions over HTTP) reached with plain `fetch`, no SDK.
//   ACME_BASE_URL=https://api.openai.com/v1 ACME_API_KEY=sk-... ACME_MODEL=gpt-4o-mini npx tsx examples/fetch-provider.ts
// (any host that speaks Chat Completions works: OpenAI, Ollama at http://localhost:11434/v1, vLLM, ...)
//
// What the kit does for it: the key from the settings or ACME_API_KEY (checked at createRouter()),
// every failure turned into a typed error (429 → RateLimitError with the host's retry-after, 5xx
// and broken connections retryable, 401 → AuthenticationError, the key masked everywhere), SSE
// parsing, usage in the canonical shape. What is left here: translating requests and answers.
import {
  createRouter,
  defineProvider,
  errorFromResponse,
  incompleteStreamError,
  isRecord,
  malformedResponseError,
  readServerSentEvents,
  usageFromOpenAIShape,
  type ChatMessage,
  type FinishReason,
  type ModelRequest,
  type ModelResponse,
  type OpenAIShapedUsage,
  type ProviderCall,
  type ProviderSettings,
  type StreamEvent,
} from '../src/index.js'

export interface AcmeSettings extends ProviderSettings<typeof fetch> {
  /** Provider id in model ids. Default `acme`. */
  id?: string
}

interface WireToolCall {
  index?: number
  id?: string
  function?: { name?: string; arguments?: string }
}

// The wire answer, as far as this adapter reads it.
interface WireChoice {
  message?: { content?: string | null; tool_calls?: WireToolCall[] }
  delta?: { content?: string | null; tool_calls?: WireToolCall[] }
  finish_reason?: string | null
}

function finishReason(reason: string | null | undefined, hasToolCalls: boolean): FinishReason {
  if (reason === 'length' || reason === 'content_filter') return reason
  return hasToolCalls || reason === 'tool_calls' ? 'tool_calls' : 'stop'
}

/** Canonical messages are already Chat Completions shaped; only our own extensions are dropped. */
function wireMessages(messages: ChatMessage[]): unknown[] {
  return messages.map((message) => {
    const { provider_data: _providerData, reasoning: _reasoning, ...wire } = message as ChatMessage & { provider_data?: unknown; reasoning?: unknown }
    return wire
  })
}

function wireBody(request: ModelRequest, stream: boolean): string {
  return JSON.stringify({
    model: request.model,
    messages: wireMessages(request.messages),
    ...(request.tools?.length ? { tools: request.tools } : {}),
    ...(request.tool_choice !== undefined ? { tool_choice: request.tool_choice } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.max_tokens !== undefined || request.max_completion_tokens !== undefined
      ? { max_tokens: request.max_completion_tokens ?? request.max_tokens }
      : {}),
    ...(request.stop !== undefined ? { stop: request.stop } : {}),
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  })
}

export function acme(settings: AcmeSettings = {}) {
  const id = settings.id ?? 'acme'
  const baseURL = (settings.baseURL ?? 'https://api.acme.example/v1').replace(/\/+$/, '')

  /** POSTs to /chat/completions; a failed status becomes the typed error right here. */
  async function post(request: ModelRequest, call: ProviderCall<typeof fetch>, stream: boolean): Promise<Response> {
    const response = await call.client(`${baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${call.apiKey}`, ...settings.headers },
      body: wireBody(request, stream),
      signal: call.signal,
    })
    if (!response.ok) throw await errorFromResponse(response, { provider: id, model: request.model, secrets: [call.apiKey], signal: call.signal })
    return response
  }

  return defineProvider<typeof fetch>({
    id,
    settings,
    factoryName: 'acme',
    apiKeyEnv: 'ACME_API_KEY',
    // The user may pass their own fetch (a proxy agent, a test double) as `client`.
    createClient: () => globalThis.fetch,

    async chat(request, call): Promise<ModelResponse> {
      const response = await post(request, call, false)
      const body: unknown = await response.json().catch(() => undefined)
      // A 200 without an answer in it is broken, not empty: retryable, so fallback moves on.
      const choice = isRecord(body) && Array.isArray(body.choices) ? (body.choices[0] as WireChoice | undefined) : undefined
      if (!isRecord(body) || !choice?.message) throw malformedResponseError(id, request.model, 'no choices[0].message')
      const toolCalls = (choice.message.tool_calls ?? []).map((toolCall, index) => ({
        id: toolCall.id ?? `call_${index}`,
        type: 'function' as const,
        function: { name: toolCall.function?.name ?? '', arguments: toolCall.function?.arguments || '{}' },
      }))
      return {
        id: typeof body.id === 'string' ? body.id : '',
        model: typeof body.model === 'string' ? body.model : request.model,
        message: { role: 'assistant', content: choice.message.content ?? null, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) },
        finishReason: finishReason(choice.finish_reason, toolCalls.length > 0),
        usage: usageFromOpenAIShape((body.usage ?? {}) as OpenAIShapedUsage),
      }
    },

    async *stream(request, call): AsyncGenerator<StreamEvent> {
      const response = await post(request, call, true)
      if (!response.body) throw malformedResponseError(id, request.model, 'no response body')
      let started = false
      let reason: string | null = null
      let usage: OpenAIShapedUsage = {}
      const calls = new Map<number, { id: string; name: string; arguments: string }>()
      for await (const event of readServerSentEvents(response.body)) {
        if (event.data === '[DONE]') break
        const chunk = JSON.parse(event.data) as { id?: string; model?: string; choices?: WireChoice[]; usage?: OpenAIShapedUsage }
        if (!started) {
          started = true
          yield { type: 'response-start', id: chunk.id ?? '', model: chunk.model ?? request.model }
        }
        if (chunk.usage) usage = chunk.usage
        const choice = chunk.choices?.[0]
        if (!choice) continue
        if (choice.delta?.content) yield { type: 'text-delta', text: choice.delta.content }
        for (const delta of choice.delta?.tool_calls ?? []) {
          const index = delta.index ?? calls.size
          let state = calls.get(index)
          if (!state) {
            state = { id: delta.id ?? `call_${index}`, name: delta.function?.name ?? '', arguments: '' }
            calls.set(index, state)
            yield { type: 'tool-call-start', index, id: state.id, name: state.name }
          }
          if (delta.function?.arguments) {
            state.arguments += delta.function.arguments
            yield { type: 'tool-call-delta', index, argumentsDelta: delta.function.arguments }
          }
        }
        if (choice.finish_reason) reason = choice.finish_reason
      }
      // A stream that closed without a finish reason was cut short: retryable, not a short answer.
      if (reason === null) throw incompleteStreamError(id, request.model, 'a finish reason')
      for (const [index, state] of calls) yield { type: 'tool-call-end', index, id: state.id, name: state.name, arguments: state.arguments || '{}' }
      yield { type: 'finish', finishReason: finishReason(reason, calls.size > 0), usage: usageFromOpenAIShape(usage) }
    },
  })
}

// Run directly: one call and one stream against the host in ACME_BASE_URL.
if (import.meta.url === `file://${process.argv[1]}`) {
  const baseURL = process.env.ACME_BASE_URL
  const model = process.env.ACME_MODEL
  if (!baseURL || !model) {
    console.log('Set ACME_BASE_URL, ACME_MODEL and (unless the host needs none) ACME_API_KEY to try this adapter against a real host.')
  } else {
    const router = createRouter({ providers: [acme({ baseURL, apiKey: process.env.ACME_API_KEY ?? 'none' })] })
    const result = await router.chat({ model: `acme/${model}`, messages: [{ role: 'user', content: 'Say hello in five words.' }] })
    console.log('chat  :', result.choices[0]!.message.content, `(${result.usage.total_tokens} tokens)`)
    process.stdout.write('stream: ')
    for await (const chunk of router.stream({ model: `acme/${model}`, messages: [{ role: 'user', content: 'Count to five.' }] })) {
      process.stdout.write(chunk.choices[0]?.delta.content ?? '')
    }
    process.stdout.write('\n')
  }
}
