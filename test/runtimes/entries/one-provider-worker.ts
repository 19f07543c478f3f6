import { env } from 'cloudflare:workers'
import { createRouter, fallback, openai } from 'switchyard'

declare global {
  namespace Cloudflare {
    interface Env {
      OPENAI_API_KEY: string
    }
  }
}

// The Worker the bundle-size check measures: one provider, one strategy, served by router.fetch.
const router = createRouter({
  providers: [openai({ apiKey: env.OPENAI_API_KEY })],
  routes: { default: fallback(['openai/gpt-4.1-mini', 'openai/gpt-4.1-nano']) },
})

export default { fetch: router.fetch }
