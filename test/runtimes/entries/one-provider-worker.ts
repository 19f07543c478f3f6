import { env } from 'cloudflare:workers'
import { createRouter, fallback, openai } from 'switchyard'

declare global {
  namespace Cloudflare {
    interface Env {
      OPENAI_API_KEY: string
      OPENAI_BASE_URL?: string
    }
  }
}

// The Worker the bundle-size check measures: one provider, one strategy, served by router.fetch.
const router = createRouter({
  providers: [openai({ apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL })],
  routes: { default: fallback(['openai/gpt-4.1-nano', 'openai/gpt-4.1-mini']) },
})

export default { fetch: router.fetch }
