import { HttpResponse } from 'msw'
import type { SetupServer } from 'msw/node'
import { serveAndCapture, type CapturedRequest, type Responder } from './capture.js'

export type { CapturedRequest }

export const openAIBaseURL = 'https://api.openai.com/v1'
/** Shaped like a real key, so the redaction of both the known key and key-like text is exercised. */
export const testApiKey = 'sk-test-switchyard-0123456789abcdef'

/**
 * Serves `POST {baseURL}/chat/completions` with `respond` and records every request the real SDK
 * sent, body parsed, so tests can assert on the exact wire format.
 */
export function serveChatCompletions(server: SetupServer, respond: Responder, baseURL = openAIBaseURL): CapturedRequest[] {
  return serveAndCapture(server, `${baseURL}/chat/completions`, respond)
}

/**
 * A chat-completions endpoint that never answers: only an abort or a timeout can end a call to it.
 * `arrived` resolves once the request has reached the server.
 */
export function serveHangingChatCompletions(server: SetupServer, baseURL = openAIBaseURL): { captured: CapturedRequest[]; arrived: Promise<void> } {
  let markArrived!: () => void
  const arrived = new Promise<void>((resolve) => (markArrived = resolve))
  const captured = serveChatCompletions(
    server,
    () => {
      markArrived()
      return new Promise<Response>(() => {})
    },
    baseURL,
  )
  return { captured, arrived }
}

/** A minimal, valid OpenAI chat completion. */
export function completion(message: Record<string, unknown>, options: { finishReason?: string; usage?: Record<string, unknown>; model?: string } = {}) {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 1_770_000_000,
    model: options.model ?? 'gpt-4o-2024-08-06',
    choices: [{ index: 0, message: { role: 'assistant', refusal: null, ...message }, logprobs: null, finish_reason: options.finishReason ?? 'stop' }],
    usage: options.usage ?? { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
  }
}

export function completionResponse(message: Record<string, unknown>, options?: Parameters<typeof completion>[1]): Response {
  return HttpResponse.json(completion(message, options))
}

/** An OpenAI-shaped chat completion chunk. */
export function chunk(delta: Record<string, unknown>, finishReason: string | null = null, usage: Record<string, unknown> | null = null) {
  return {
    id: 'chatcmpl-stream',
    object: 'chat.completion.chunk',
    created: 1_770_000_000,
    model: 'gpt-4o-2024-08-06',
    choices: finishReason === 'usage-only' ? [] : [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    usage,
  }
}

/** An OpenAI error body with the given status and headers. */
export function errorResponse(status: number, message: string, headers: Record<string, string> = {}, type = 'invalid_request_error', code: string | null = null): Response {
  return HttpResponse.json({ error: { message, type, param: null, code } }, { status, headers })
}
