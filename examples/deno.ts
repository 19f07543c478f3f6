/**
 * An OpenAI- and Anthropic-compatible endpoint on Deno, with fallback and the exact cost of each
 * answer in its `x-switchyard-cost-usd` header:
 *
 *   deno run --allow-net --allow-env examples/deno.ts        (in your project: import from 'npm:switchyard')
 *
 * Keys from OPENAI_API_KEY and ANTHROPIC_API_KEY; PORT (default 8000) and HOSTNAME (default
 * 127.0.0.1) say where to listen; OPENAI_BASE_URL / ANTHROPIC_BASE_URL are optional.
 */
import { anthropic, createRouter, fallback, openai } from 'switchyard'

declare const Deno: {
  env: { get(name: string): string | undefined }
  serve(options: { hostname: string; port: number; onListen(address: { hostname: string; port: number }): void }, handler: (request: Request) => Promise<Response>): unknown
}

const router = createRouter({
  providers: [
    openai({ apiKey: Deno.env.get('OPENAI_API_KEY'), baseURL: Deno.env.get('OPENAI_BASE_URL') }),
    anthropic({ apiKey: Deno.env.get('ANTHROPIC_API_KEY'), baseURL: Deno.env.get('ANTHROPIC_BASE_URL') }),
  ],
  routes: { default: fallback(['openai/gpt-4.1-nano', 'anthropic/claude-sonnet-4-5']) },
})

Deno.serve(
  {
    hostname: Deno.env.get('HOSTNAME') ?? '127.0.0.1',
    port: Number(Deno.env.get('PORT') ?? 8000),
    onListen: ({ hostname, port }) => console.log(`switchyard: listening on ${port} (http://${hostname}:${port}/v1)`),
  },
  (request) => router.fetch(request),
)
