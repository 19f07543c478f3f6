// The code the Gemini adapter runs on each call, imported on its first call (with the SDK)
// rather than with the package: see `loadCode` in define-provider.ts.
export { fromGoogleEmbedResponse, toGoogleEmbedRequest } from './google-embeddings.js'
export { errorFromGoogle } from './google-errors.js'
export { toGoogleRequest } from './google-request.js'
export { fromGoogleResponse, googleStreamEvents } from './google-response.js'
export { googleCalls } from './google-calls.js'
