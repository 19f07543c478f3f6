import { groq } from '../../../src/index.js'
import { openAIErrorBody, openAIFormatWire } from './openai-format-wire.js'

const apiKey = 'gsk_testParityGroq0123456789abcdefABCDEF'

/** Groq at api.groq.com/openai/v1 (OpenAI Chat Completions format), answered from `recorded/groq`. */
export const groqWire = openAIFormatWire({
  provider: 'groq',
  model: 'llama-3.3-70b-versatile',
  apiKey,
  baseURL: 'https://api.groq.com/openai/v1',
  create: () => groq({ apiKey }),
  recordings: { text: 'groq-text', toolCall: 'groq-tool-call' },
  streamedToolCalls: 'incremental',
  streamedUsage: 'finish-chunk',
  reasoning: { field: 'reasoning' },
  errors: {
    invalid: { status: 400, body: openAIErrorBody("'messages.0' : for 'role:user' the following must be satisfied[('messages.0.content' : value must be a string)]", 'invalid_request_error') },
    auth: { status: 401, body: openAIErrorBody(`Invalid API Key: ${apiKey}`, 'invalid_request_error', 'invalid_api_key') },
    'rate-limit': {
      status: 429,
      body: openAIErrorBody('Rate limit reached for model `llama-3.3-70b-versatile` on tokens per minute (TPM): Limit 12000, Used 11800, Requested 900. Please try again in 7s.', 'tokens', 'rate_limit_exceeded'),
      headers: { 'retry-after': '7' },
      retryAfterMs: 7000,
      retryAfterSource: 'retry-after header, in seconds',
    },
    server: { status: 500, body: openAIErrorBody('Internal Server Error', 'internal_server_error') },
    overloaded: { status: 503, body: openAIErrorBody('Service Unavailable', 'service_unavailable') },
    'context-length': {
      status: 400,
      body: openAIErrorBody('Please reduce the length of the messages or completion.', 'invalid_request_error', 'context_length_exceeded'),
    },
    // Hand-written: Groq documents no content-policy status; this is the OpenAI-format body a host would send.
    'content-filter': { status: 400, body: openAIErrorBody('The request was rejected by the content policy (moderation).', 'invalid_request_error', 'content_filter') },
  },
  promptCaching: { kind: 'automatic', how: 'automatic prompt caching on supported models; cached tokens come back in `usage.prompt_tokens_details.cached_tokens`' },
  support: { jsonSchema: { kind: 'native' }, image: { kind: 'native' }, embeddings: { kind: 'rejected', feature: 'embeddings' } },
})
