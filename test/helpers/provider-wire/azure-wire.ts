import { azureOpenai } from '../../../src/index.js'
import { openAIErrorBody, openAIFormatWire, sentParameter } from './openai-format-wire.js'

const apiKey = '0123456789abcdef0123456789abcdef'
const endpoint = 'https://switchyard-test.openai.azure.com'
/** The model id is mapped to a deployment of another name, so the URL proves the mapping. */
export const azureDeployment = 'nano-deployment'

/** Azure OpenAI's documented error body: OpenAI's shape, with Azure's content-filter detail in `innererror`. */
function azureContentFilterBody() {
  const filtered = { filtered: true, severity: 'high' }
  const safe = { filtered: false, severity: 'safe' }
  return {
    error: {
      message:
        "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766",
      type: null,
      param: 'prompt',
      code: 'content_filter',
      status: 400,
      innererror: { code: 'ResponsibleAIPolicyViolation', content_filter_result: { hate: safe, jailbreak: { filtered: false, detected: false }, self_harm: safe, sexual: safe, violence: filtered } },
    },
  }
}

/**
 * Azure OpenAI Chat Completions through the `openai` SDK's `AzureOpenAI` client, at
 * `{endpoint}/openai/deployments/{deployment}/chat/completions?api-version=...`. Azure answers in
 * OpenAI's Chat Completions format, so the recorded OpenAI answers are served, each stream opened
 * by the prompt content-filter chunk Azure sends first (no id, no model, no choices).
 */
export const azureWire = openAIFormatWire({
  provider: 'azure',
  recordingsFolder: 'openai',
  model: 'gpt-4.1-nano',
  apiKey,
  baseURL: `${endpoint}/openai`,
  chatURL: `${endpoint}/openai/deployments/${azureDeployment}/chat/completions`,
  embeddingsURL: `${endpoint}/openai/deployments/text-embedding-3-small/embeddings`,
  create: () => azureOpenai({ apiKey, endpoint, apiVersion: '2024-10-21', deployments: { 'gpt-4.1-nano': azureDeployment } }),
  leadingChunks: [
    {
      choices: [],
      created: 0,
      id: '',
      model: '',
      object: '',
      prompt_filter_results: [
        { prompt_index: 0, content_filter_results: { hate: { filtered: false, severity: 'safe' }, self_harm: { filtered: false, severity: 'safe' }, sexual: { filtered: false, severity: 'safe' }, violence: { filtered: false, severity: 'safe' } } },
      ],
    },
  ],
  recordings: { text: 'openai-text' },
  streamedToolCalls: 'incremental',
  streamedUsage: 'separate-chunk',
  reasoning: 'tokens-only',
  errors: {
    invalid: { status: 400, body: openAIErrorBody("Invalid value for 'temperature': must be at most 2.", 'invalid_request_error', 'invalid_value') },
    auth: {
      status: 401,
      body: { error: { code: '401', message: 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.' } },
    },
    'rate-limit': {
      status: 429,
      body: {
        error: {
          code: '429',
          message:
            'Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 6 seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.',
        },
      },
      headers: { 'retry-after': '6', 'x-ratelimit-remaining-tokens': '0' },
      retryAfterMs: 6000,
      retryAfterSource: 'retry-after header, in seconds',
    },
    server: { status: 500, body: { error: { code: 'InternalServerError', message: 'The server had an error processing your request.' } } },
    overloaded: { status: 503, body: { error: { code: 'ServiceUnavailable', message: 'The service is temporarily unable to process your request. Please try again later.' } } },
    'context-length': {
      status: 400,
      body: openAIErrorBody("This model's maximum context length is 1047576 tokens. However, your messages resulted in 1100000 tokens.", 'invalid_request_error', 'context_length_exceeded'),
    },
    'content-filter': { status: 400, body: azureContentFilterBody() },
  },
  promptCaching: { kind: 'automatic', how: 'automatic prefix caching of long prompts, as on OpenAI; cached tokens come back in `usage.prompt_tokens_details.cached_tokens`' },
  parameters: { max_tokens: sentParameter((body) => body.max_completion_tokens) },
  support: { jsonSchema: { kind: 'native' }, image: { kind: 'native' }, embeddings: { kind: 'native' } },
  embeddingModel: 'text-embedding-3-small',
})
