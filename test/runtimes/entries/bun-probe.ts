import { createOtherProvidersProbe, createProbe } from '../probe-app.js'

declare const Bun: {
  env: Record<string, string | undefined>
  serve(options: { hostname: string; port: number; fetch(request: Request): Promise<Response> }): { port: number }
}

const read = (name: string): string => Bun.env[name] ?? ''
// PROBE=other-providers: the router with google(), mistral() and groq() instead.
const probe =
  read('PROBE') === 'other-providers'
    ? createOtherProvidersProbe({ GEMINI_API_KEY: read('GEMINI_API_KEY'), MISTRAL_API_KEY: read('MISTRAL_API_KEY'), GROQ_API_KEY: read('GROQ_API_KEY'), UPSTREAM_URL: read('UPSTREAM_URL') })
    : createProbe({ OPENAI_API_KEY: read('OPENAI_API_KEY'), ANTHROPIC_API_KEY: read('ANTHROPIC_API_KEY'), OPENAI_BASE_URL: read('OPENAI_BASE_URL'), ANTHROPIC_BASE_URL: read('ANTHROPIC_BASE_URL') })

const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: probe })
console.log(`listening on ${server.port}`)
