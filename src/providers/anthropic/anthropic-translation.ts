// The code the Anthropic adapter runs on each call, imported on its first call (with the SDK)
// rather than with the package: see `loadCode` in define-provider.ts.
export { errorFromAnthropic } from './anthropic-errors.js'
export { toAnthropicRequest } from './anthropic-request.js'
export { fromAnthropicResponse } from './anthropic-response.js'
export { anthropicStreamEvents } from './anthropic-stream.js'
export { guardStreamTransport } from './anthropic-stream-transport.js'
export { anthropicCalls } from './anthropic-calls.js'
