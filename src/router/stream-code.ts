import { lazyPart } from '../internal/lazy-part.js'

/**
 * `router.stream()`'s call and its live stream attempt, imported at the first stream: most
 * processes (a serverless function answering with `router.chat`) never compile them.
 */
export const streamCode = /* @__PURE__ */ lazyPart('router.stream', () => import('./stream-call.js'))
