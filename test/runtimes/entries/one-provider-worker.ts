import { env } from 'cloudflare:workers'
import { createRouter, fallback, openai, openaiEndpoint } from 'switchyard/core'

declare global {
  namespace Cloudflare {
    interface Env {
      OPENAI_API_KEY: string
      OPENAI_BASE_URL?: string
    }
  }
}

// The Worker the bundle-size check measures: one provider, one strategy, served by router.fetch
// (the OpenAI surface only), from `switchyard/core`, which installs only the features listed.
const router = createRouter({
  providers: [openai({ apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL })],
  routes: { default: fallback(['openai/gpt-4.1-nano', 'openai/gpt-4.1-mini']) },
  features: [openaiEndpoint],
})

export default { fetch: router.fetch }
