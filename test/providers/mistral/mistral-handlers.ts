import { HttpResponse } from 'msw'
import type { SetupServer } from 'msw/node'
import { serveAndCapture, type CapturedRequest, type Responder } from '../../helpers/capture.js'

export const mistralBaseURL = 'https://api.mistral.ai/v1'
/** A made-up key: the redaction tests look for it in every error. */
export const mistralTestKey = 'mistral-test-key-0123456789abcdef'

/** Serves `POST {mistralBaseURL}/{path}` and records every request the real SDK sent, body parsed. */
export function serveMistral(server: SetupServer, path: 'chat/completions' | 'embeddings', respond: Responder, baseURL = mistralBaseURL): CapturedRequest[] {
  return serveAndCapture(server, `${baseURL}/${path}`, respond)
}

/** A minimal, valid Mistral chat completion, in the API's snake_case wire format. */
export function mistralCompletion(message: Record<string, unknown>, options: { finishReason?: string; usage?: Record<string, unknown> } = {}) {
  return {
    id: 'cmpl-test',
    object: 'chat.completion',
    created: 1_770_000_000,
    model: 'mistral-small-latest',
    choices: [{ index: 0, message: { role: 'assistant', tool_calls: null, ...message }, finish_reason: options.finishReason ?? 'stop' }],
    usage: options.usage ?? { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
  }
}

export function mistralCompletionResponse(message: Record<string, unknown>, options?: Parameters<typeof mistralCompletion>[1]): Response {
  return HttpResponse.json(mistralCompletion(message, options))
}

/** A Mistral chat completion chunk. */
export function mistralChunk(delta: Record<string, unknown>, finishReason: string | null = null, usage?: Record<string, unknown>) {
  return {
    id: 'cmpl-stream',
    object: 'chat.completion.chunk',
    created: 1_770_000_000,
    model: 'mistral-small-latest',
    choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
    ...(usage ? { usage } : {}),
  }
}
