import { createProbe } from '../probe-app.js'

declare const Deno: {
  env: { get(name: string): string | undefined }
  serve(options: { hostname: string; port: number; onListen(address: { port: number }): void }, handler: (request: Request) => Promise<Response>): unknown
}

const read = (name: string): string => Deno.env.get(name) ?? ''
const probe = createProbe({ OPENAI_API_KEY: read('OPENAI_API_KEY'), ANTHROPIC_API_KEY: read('ANTHROPIC_API_KEY'), OPENAI_BASE_URL: read('OPENAI_BASE_URL'), ANTHROPIC_BASE_URL: read('ANTHROPIC_BASE_URL') })

Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log(`listening on ${port}`) }, probe)
