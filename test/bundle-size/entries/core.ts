// The core: createRouter from switchyard/core with no feature (routing, fallback, validation, cost; router.fetch's dispatcher comes with the first API-surface feature).
export { createRouter } from 'switchyard/core'
