/**
 * A Cloudflare Worker that is an OpenAI- and Anthropic-compatible endpoint: fallback across two
 * providers, exact cost on every answer (the `x-switchyard-cost-usd` header), in a dozen lines.
 *
 *   wrangler.toml:  main = "examples/cloudflare-worker.ts"   compatibility_date = "2026-04-01"
 *   wrangler secret put OPENAI_API_KEY && wrangler secret put ANTHROPIC_API_KEY && wrangler deploy
 *
 * Then point any client at the Worker: `new OpenAI({ baseURL: 'https://<worker>/v1', apiKey: 'unused' })`
 * or `new Anthropic({ baseURL: 'https://<worker>', apiKey: 'unused' })`. Protect the route (Cloudflare
 * Access, or a check of your own in front of `router.fetch`) before you deploy it: it spends your keys.
 *
 * The keys come from the Worker's env bindings, read at the top level through `cloudflare:workers`.
 * The router lives as long as the isolate: its health, statistics and cooldowns are per isolate.
 * OPENAI_BASE_URL / ANTHROPIC_BASE_URL are optional (a gateway, or the test suite's local upstream).
 *
 * It imports from `switchyard/core`, whose `createRouter` installs only the `features` listed, so
 * the bundle carries the two API surfaces it serves and nothing of the response cache, spend
 * control, telemetry or the report (`createRouter` from `switchyard` installs them all).
 */
import { env } from 'cloudflare:workers'
import { anthropic, anthropicEndpoint, createRouter, fallback, openai, openaiEndpoint } from 'switchyard/core'

declare global {
  namespace Cloudflare {
    interface Env {
      OPENAI_API_KEY: string
      ANTHROPIC_API_KEY: string
      OPENAI_BASE_URL?: string
      ANTHROPIC_BASE_URL?: string
    }
  }
}

const router = createRouter({
  providers: [
    openai({ apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL }),
    anthropic({ apiKey: env.ANTHROPIC_API_KEY, baseURL: env.ANTHROPIC_BASE_URL }),
  ],
  routes: { default: fallback(['openai/gpt-4.1-nano', 'anthropic/claude-sonnet-4-5']) },
  // router.fetch serves the OpenAI SDK (/v1/chat/completions) and the Anthropic SDK (/v1/messages).
  features: [openaiEndpoint, anthropicEndpoint],
})

export default { fetch: router.fetch }
