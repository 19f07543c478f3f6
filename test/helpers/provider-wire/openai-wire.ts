import { openai } from '../../../src/index.js'
import { openAIErrorBody, openAIFormatWire, sentParameter } from './openai-format-wire.js'

const apiKey = 'sk-test-parity-openai-0123456789abcdef'

/** OpenAI Chat Completions at api.openai.com, answered from `recorded/openai`. */
export const openAIWire = openAIFormatWire({
  provider: 'openai',
  model: 'gpt-4.1-nano',
  apiKey,
  baseURL: 'https://api.openai.com/v1',
  create: () => openai({ apiKey }),
  recordings: { text: 'openai-text' },
  streamedToolCalls: 'incremental',
  streamedUsage: 'separate-chunk',
  reasoning: 'tokens-only',
  errors: {
    invalid: { status: 400, body: openAIErrorBody("Invalid value for 'temperature': must be at most 2.", 'invalid_request_error', 'invalid_value') },
    auth: { status: 401, body: openAIErrorBody(`Incorrect API key provided: ${apiKey}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', 'invalid_api_key') },
    'rate-limit': {
      status: 429,
      body: openAIErrorBody('Rate limit reached for gpt-4.1-nano on tokens per min (TPM): Limit 200000, Used 199500, Requested 900.', 'tokens', 'rate_limit_exceeded'),
      headers: { 'retry-after-ms': '1250', 'retry-after': '2' },
      retryAfterMs: 1250,
      retryAfterSource: 'retry-after-ms header, preferred over retry-after',
    },
    server: { status: 500, body: openAIErrorBody('The server had an error while processing your request. Sorry about that!', 'server_error') },
    overloaded: { status: 503, body: openAIErrorBody('The engine is currently overloaded, please try again later.', 'server_error') },
    'context-length': {
      status: 400,
      body: openAIErrorBody("This model's maximum context length is 1047576 tokens. However, your messages resulted in 1100000 tokens.", 'invalid_request_error', 'context_length_exceeded'),
    },
    'content-filter': {
      status: 400,
      body: openAIErrorBody("The response was filtered due to the prompt triggering Azure OpenAI's content management policy.", null, 'content_filter'),
    },
  },
  promptCaching: { kind: 'automatic', how: 'automatic prefix caching of long prompts; cached tokens come back in `usage.prompt_tokens_details.cached_tokens`' },
  // OpenAI takes the output limit as max_completion_tokens (max_tokens is deprecated there).
  parameters: { max_tokens: sentParameter((body) => body.max_completion_tokens) },
  support: { jsonSchema: { kind: 'native' }, image: { kind: 'native' }, embeddings: { kind: 'native' } },
  embeddingModel: 'text-embedding-3-small',
})
