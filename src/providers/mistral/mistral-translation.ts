// The code the Mistral adapter runs on each call, imported on its first call (with the SDK)
// rather than with the package: see `loadCode` in define-provider.ts.
export { errorFromMistral } from './mistral-error.js'
export { camelCaseKeys, toMistralRequest } from './mistral-request.js'
export { fromMistralResponse, mistralStreamEvents } from './mistral-response.js'
