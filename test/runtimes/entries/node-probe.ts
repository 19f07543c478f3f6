// The probe as a Node bundle: the suite imports it and calls the handler in-process.
export { createProbe } from '../probe-app.js'
