// The core: createRouter from switchyard/core with no feature (routing, fallback, validation, cost, router.fetch's dispatcher).
export { createRouter } from 'switchyard/core'
