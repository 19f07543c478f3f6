import { createOtherProvidersProbe, createProbe } from '../probe-app.js'

declare const Deno: {
  env: { get(name: string): string | undefined }
  serve(options: { hostname: string; port: number; onListen(address: { port: number }): void }, handler: (request: Request) => Promise<Response>): unknown
}

const read = (name: string): string => Deno.env.get(name) ?? ''
// PROBE=other-providers: the router with google(), mistral() and groq() instead.
const probe =
  read('PROBE') === 'other-providers'
    ? createOtherProvidersProbe({ GEMINI_API_KEY: read('GEMINI_API_KEY'), MISTRAL_API_KEY: read('MISTRAL_API_KEY'), GROQ_API_KEY: read('GROQ_API_KEY'), UPSTREAM_URL: read('UPSTREAM_URL') })
    : createProbe({ OPENAI_API_KEY: read('OPENAI_API_KEY'), ANTHROPIC_API_KEY: read('ANTHROPIC_API_KEY'), OPENAI_BASE_URL: read('OPENAI_BASE_URL'), ANTHROPIC_BASE_URL: read('ANTHROPIC_BASE_URL') })

Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log(`listening on ${port}`) }, probe)
