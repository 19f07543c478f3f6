/**
 * A Vercel Edge Function that is an OpenAI- and Anthropic-compatible endpoint, with fallback and
 * the exact cost of each answer in its `x-switchyard-cost-usd` header.
 *
 * As `api/v1/[...path].ts` in a Vercel project (or, in Next.js, `app/v1/[...path]/route.ts` with
 * `export const runtime = 'edge'` and `export const POST = handler, GET = handler`). Set
 * OPENAI_API_KEY and ANTHROPIC_API_KEY in the project's environment variables: the edge runtime
 * hands them to the function as `process.env`, where `openai()` and `anthropic()` read them.
 * OPENAI_BASE_URL / ANTHROPIC_BASE_URL, when set, are read by the official SDKs themselves.
 *
 * The router lives as long as the isolate that runs the function: health, statistics and
 * cooldowns are per isolate, and a cold start begins with none.
 */
import { anthropic, createRouter, fallback, openai } from 'switchyard'

export const config = { runtime: 'edge' }

const router = createRouter({
  providers: [openai(), anthropic()],
  routes: { default: fallback(['openai/gpt-4.1-nano', 'anthropic/claude-sonnet-4-5']) },
})

export default function handler(request: Request): Promise<Response> {
  return router.fetch(request)
}
