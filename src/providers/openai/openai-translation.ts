// The code the OpenAI Chat Completions adapter runs on each call, imported on its first call
// (with the SDK) rather than with the package: see `loadCode` in define-provider.ts.
export { toOpenAIRequest } from './openai-request.js'
export { fromOpenAIResponse, openAIStreamEvents } from './openai-response.js'
