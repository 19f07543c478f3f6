// The code the Bedrock adapter runs on each call, imported on its first call (with the SDK)
// rather than with the package: see `loadCode` in define-provider.ts.
export { errorFromBedrock } from './bedrock-errors.js'
export { toBedrockRequest } from './bedrock-request.js'
export { bedrockStreamEvents, fromBedrockResponse } from './bedrock-response.js'
