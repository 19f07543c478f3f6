import { createOtherProvidersProbe, createProbe, type OtherProvidersSettings, type ProbeSettings } from '../probe-app.js'

declare function addEventListener(type: 'fetch', listener: (event: { request: Request; respondWith(response: Promise<Response>): void }) => void): void

// Vercel's edge runtime hands the project's environment variables to the isolate as process.env.
const environment = (globalThis as unknown as { process: { env: ProbeSettings & OtherProvidersSettings & { PROBE?: string } } }).process.env
// PROBE=other-providers: the router with google(), mistral() and groq() instead.
const probe = environment.PROBE === 'other-providers' ? createOtherProvidersProbe(environment) : createProbe(environment)

addEventListener('fetch', (event) => event.respondWith(probe(event.request)))
