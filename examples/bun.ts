/**
 * An OpenAI- and Anthropic-compatible endpoint on Bun, with fallback and the exact cost of each
 * answer in its `x-switchyard-cost-usd` header: `bun run examples/bun.ts`.
 *
 * Keys from OPENAI_API_KEY and ANTHROPIC_API_KEY (read by `openai()` and `anthropic()` from the
 * environment); PORT (default 8000) and HOSTNAME (default 127.0.0.1) say where to listen.
 */
import { anthropic, createRouter, fallback, openai } from 'switchyard'

declare const Bun: {
  env: Record<string, string | undefined>
  serve(options: { hostname: string; port: number; fetch(request: Request): Promise<Response> }): { hostname: string; port: number }
}

const router = createRouter({
  providers: [openai(), anthropic()],
  routes: { default: fallback(['openai/gpt-4.1-nano', 'anthropic/claude-sonnet-4-5']) },
})

const server = Bun.serve({ hostname: Bun.env.HOSTNAME ?? '127.0.0.1', port: Number(Bun.env.PORT ?? 8000), fetch: (request) => router.fetch(request) })
console.log(`switchyard: listening on ${server.port} (http://${server.hostname}:${server.port}/v1)`)
