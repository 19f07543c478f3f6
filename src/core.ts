// The `switchyard/core` entry: everything `switchyard` exports, but its `createRouter` installs
// only the features listed in its `features` option, so a bundle carries only their code.
export * from './index.js'
export { createRouter, CoreRouter, type CoreRouterConfig, type RouterFeature } from './core-router.js'
export { cacheFeature, sharedStateFeature } from './state/state-features.js'
export { spendControlFeature } from './spend/spend-control-feature.js'
export { reportFeature, reportPageFeature } from './report/report-feature.js'
export { telemetryFeature } from './telemetry/telemetry-feature.js'
export { openaiEndpoint, responsesEndpoint, anthropicEndpoint } from './facades/endpoint-features.js'
