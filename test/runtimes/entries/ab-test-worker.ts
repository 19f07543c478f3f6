import { abTest, anthropic, createRouter, openai, openaiEndpoint, type CoreRouter } from 'switchyard/core'

interface Env {
  OPENAI_API_KEY: string
  ANTHROPIC_API_KEY: string
  OPENAI_BASE_URL: string
  ANTHROPIC_BASE_URL: string
}

let router: CoreRouter | undefined

/**
 * An A/B experiment in a Worker: every call is served by `nano` and also run in the shadow on
 * `sonnet`, then judged by `nano`, all after the response. `router.fetch(request, env, ctx)` hands
 * that work to `ctx.waitUntil`; `/without-wait-until/…` calls it without the platform's context.
 */
export default {
  fetch(request: Request, env: Env, ctx: { waitUntil(work: Promise<unknown>): void }): Promise<Response> | Response {
    router ??= createRouter({
      providers: [openai({ apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL }), anthropic({ apiKey: env.ANTHROPIC_API_KEY, baseURL: env.ANTHROPIC_BASE_URL })],
      routes: {
        experiment: abTest({ variants: { nano: 'openai/gpt-4.1-nano', sonnet: 'anthropic/claude-sonnet-4-5' }, weights: { nano: 1, sonnet: 0 }, judge: 'openai/gpt-4.1-nano', sampleRate: 1 }),
      },
      features: [openaiEndpoint],
    })
    const url = new URL(request.url)
    if (url.pathname === '/experiments') return Response.json(router.experiments())
    if (url.pathname.startsWith('/without-wait-until/')) {
      return router.fetch(new Request(`${url.origin}${url.pathname.slice('/without-wait-until'.length)}`, request))
    }
    return router.fetch(request, env, ctx)
  },
}
