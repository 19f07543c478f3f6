import type { SetupServer } from 'msw/node'
import { serveAndCapture, type CapturedRequest, type Responder } from '../../helpers/capture.js'
import { sseResponse } from '../../helpers/recordings.js'

export const messagesUrl = 'https://api.anthropic.com/v1/messages'

/** Shaped like no known key format, so only the adapter's own-key redaction can hide it. */
export const testApiKey = 'anthropic-test-secret-0123456789'

/** Answers every Messages API call with `respond()` and records each request: its JSON body, headers and abort signal. */
export function serveMessages(server: SetupServer, respond: Responder): CapturedRequest[] {
  return serveAndCapture(server, messagesUrl, respond)
}

/** An Anthropic stream: each payload as a named SSE event, as the API sends it. */
export function anthropicSse(payloads: unknown[], breakAfter?: number): Response {
  return sseResponse(payloads, { namedEvents: true, ...(breakAfter !== undefined ? { breakAfter } : {}) })
}

export function errorBody(type: string, message: string) {
  return { type: 'error', error: { type, message } }
}

/** A minimal Messages API response with the given content, stop reason and usage. */
export function messageResponse(content: unknown[], stopReason: string, usage: Record<string, number> = {}) {
  return {
    id: 'msg_test',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-5-20250929',
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, ...usage },
  }
}

/** A whole stream: message_start (with `usage`), the blocks' events, message_delta (with `outputTokens`), message_stop. */
export function streamEvents(options: {
  usage?: Record<string, number>
  outputTokens?: number
  blocks: unknown[][]
  stopReason: string
}): unknown[] {
  return [
    {
      type: 'message_start',
      message: {
        id: 'msg_stream',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5-20250929',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 10, output_tokens: 1, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, ...options.usage },
      },
    },
    ...options.blocks.flat(),
    { type: 'message_delta', delta: { stop_reason: options.stopReason, stop_sequence: null }, usage: { output_tokens: options.outputTokens ?? 5 } },
    { type: 'message_stop' },
  ]
}
