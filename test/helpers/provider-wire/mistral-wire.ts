import { mistral } from '../../../src/index.js'
import { openAIFormatWire, sentParameter } from './openai-format-wire.js'

const apiKey = 'test-parity-mistral-0123456789abcdef'

/** Mistral's error body: `{ object: "error", message, type, param, code }`. */
function mistralErrorBody(message: string, type: string, code: string | null = null) {
  return { object: 'error', message, type, param: null, code }
}

/** Mistral at api.mistral.ai/v1, answered from `recorded/mistral`. */
export const mistralWire = openAIFormatWire({
  provider: 'mistral',
  model: 'mistral-small-latest',
  apiKey,
  baseURL: 'https://api.mistral.ai/v1',
  create: () => mistral({ apiKey }),
  recordings: { text: 'mistral-text', toolCall: 'mistral-tool-call' },
  // As recorded: each streamed tool call arrives whole, without an `index`.
  streamedToolCalls: 'whole',
  streamedUsage: 'finish-chunk',
  reasoning: 'thinking-chunks',
  // Mistral rejects tool-call ids that are not exactly 9 letters or digits.
  toolCallIdFormat: /^[a-zA-Z0-9]{9}$/,
  errors: {
    invalid: { status: 400, body: mistralErrorBody('Invalid model: mistral-small-xyz', 'invalid_model', '1500') },
    auth: { status: 401, body: { message: 'Unauthorized', request_id: 'parity-request-id' } },
    'rate-limit': {
      status: 429,
      body: mistralErrorBody('Requests rate limit exceeded', 'rate_limited', '1300'),
      headers: { 'retry-after': '3' },
      retryAfterMs: 3000,
      retryAfterSource: 'retry-after header, in seconds',
    },
    server: { status: 500, body: mistralErrorBody('Internal server error', 'internal_server_error', '1000') },
    overloaded: { status: 503, body: mistralErrorBody('Service unavailable', 'service_unavailable', '1000') },
    'context-length': {
      status: 400,
      body: mistralErrorBody('Prompt contains 140000 tokens and 0 draft tokens, too large for model with 131072 maximum context length', 'invalid_request_prompt', '3051'),
    },
    // Hand-written: Mistral documents no content-policy status; its moderation is opt-in (`safe_prompt`).
    'content-filter': { status: 400, body: mistralErrorBody('The request was blocked by the moderation policy.', 'invalid_request_message', '3230') },
  },
  promptCaching: { kind: 'automatic', how: 'no inline cache markers in the API; cached tokens, when reported, come back in `usage.prompt_tokens_details.cached_tokens`' },
  parameters: {
    seed: sentParameter((body) => body.random_seed),
    // Mistral's name for "must call a tool".
    tool_choice: sentParameter((body) => (body.tool_choice === 'any' ? 'required' : body.tool_choice)),
    user: { kind: 'ignored', why: 'the Mistral API has no end-user field', absent: (body) => JSON.stringify(body).indexOf('user-1234') === -1 },
  },
  support: { jsonSchema: { kind: 'native' }, image: { kind: 'native' }, embeddings: { kind: 'native' } },
  embeddingModel: 'mistral-embed',
  embeddingResponseExtras: { id: 'embd-parity', usage: { completion_tokens: 0 } },
})
