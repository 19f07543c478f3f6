// createRouter from switchyard: every feature (cache, spend control, shared state, report, telemetry) and every facade.
export { createRouter } from 'switchyard'
