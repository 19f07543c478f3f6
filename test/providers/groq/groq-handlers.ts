import { HttpResponse } from 'msw'

export const groqBaseURL = 'https://api.groq.com/openai/v1'
/** Shaped like a real Groq key, so both the known-key and the key-pattern redaction are exercised. */
export const groqTestKey = 'gsk_test0123456789abcdefghijklmnop'

/** A Groq chat completion, with the fields Groq adds to the OpenAI format. */
export function groqCompletion(message: Record<string, unknown>, options: { finishReason?: string; usage?: Record<string, unknown>; model?: string } = {}) {
  return {
    id: 'chatcmpl-groq-test',
    object: 'chat.completion',
    created: 1_770_000_000,
    model: options.model ?? 'llama-3.3-70b-versatile',
    choices: [{ index: 0, message: { role: 'assistant', ...message }, logprobs: null, finish_reason: options.finishReason ?? 'stop' }],
    usage: options.usage ?? { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    system_fingerprint: 'fp_test',
    x_groq: { id: 'req_test', seed: 42 },
    service_tier: 'on_demand',
  }
}

export function groqCompletionResponse(message: Record<string, unknown>, options?: Parameters<typeof groqCompletion>[1]): Response {
  return HttpResponse.json(groqCompletion(message, options))
}

/** A Groq chunk; `extra` adds top-level fields such as `x_groq` or `usage`. */
export function groqChunk(delta: Record<string, unknown>, finishReason: string | null = null, extra: Record<string, unknown> = {}) {
  return {
    id: 'chatcmpl-groq-stream',
    object: 'chat.completion.chunk',
    created: 1_770_000_000,
    model: 'openai/gpt-oss-120b',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...extra,
  }
}

/** A Groq error body: OpenAI's shape. */
export function groqErrorResponse(status: number, message: string, type = 'invalid_request_error', code: string | null = null, headers: Record<string, string> = {}): Response {
  return HttpResponse.json({ error: { message, type, code } }, { status, headers })
}
