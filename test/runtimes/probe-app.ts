import { anthropic, createRouter, fallback, google, groq, mistral, openai, type ChatRequest, type Router, type RouterClient } from 'switchyard'

/** Where the probe's providers live and the keys they send; each runtime reads them its own way. */
export interface ProbeSettings {
  OPENAI_API_KEY: string
  ANTHROPIC_API_KEY: string
  OPENAI_BASE_URL: string
  ANTHROPIC_BASE_URL: string
}

/**
 * The request handler every runtime serves in the runtime suite: `router.chat()` at
 * `/probe/chat`, `router.stream()` at `/probe/stream` (both answer with JSON the test can check),
 * and everything else through `router.fetch`. It imports the built package, as a user's code would.
 */
export function createProbe(settings: ProbeSettings): (request: Request) => Promise<Response> {
  const router: Router = createRouter({
    providers: [
      openai({ apiKey: settings.OPENAI_API_KEY, baseURL: settings.OPENAI_BASE_URL }),
      anthropic({ apiKey: settings.ANTHROPIC_API_KEY, baseURL: settings.ANTHROPIC_BASE_URL }),
    ],
    routes: {
      default: fallback(['openai/gpt-4.1-nano', 'anthropic/claude-sonnet-4-5'], { retries: 0 }),
    },
  })
  return probeHandler(router, router.fetch)
}

/** Where google(), mistral() and groq() find the local upstream, and their keys. */
export interface OtherProvidersSettings {
  GEMINI_API_KEY: string
  MISTRAL_API_KEY: string
  GROQ_API_KEY: string
  UPSTREAM_URL: string
}

/** The probe's chat and stream routes over a router with google(), mistral() and groq(), their SDKs pointed at the upstream. */
export function createOtherProvidersProbe(settings: OtherProvidersSettings): (request: Request) => Promise<Response> {
  return probeHandler(
    createRouter({
      providers: [
        google({ apiKey: settings.GEMINI_API_KEY, baseURL: `${settings.UPSTREAM_URL}/google` }),
        mistral({ apiKey: settings.MISTRAL_API_KEY, baseURL: `${settings.UPSTREAM_URL}/mistral` }),
        groq({ apiKey: settings.GROQ_API_KEY, baseURL: `${settings.UPSTREAM_URL}/groq` }),
      ],
    }),
  )
}

/** The probe's routes over any router; other paths go to `fetch` (a 404 without one). */
export function probeHandler(router: Pick<RouterClient, 'chat' | 'stream'>, fetch?: (request: Request) => Promise<Response>): (request: Request) => Promise<Response> {
  return async (request) => {
    const path = new URL(request.url).pathname
    if (path === '/probe/chat') {
      const result = await router.chat((await request.json()) as ChatRequest)
      return Response.json({ text: result.choices[0]?.message.content, usage: result.usage, cost: result.cost, route: result.route })
    }
    if (path === '/probe/stream') {
      let text = ''
      let chunks = 0
      let last: Record<string, unknown> = {}
      for await (const chunk of router.stream((await request.json()) as ChatRequest)) {
        chunks++
        text += chunk.choices[0]?.delta.content ?? ''
        if (chunk.cost) last = { usage: chunk.usage, cost: chunk.cost, route: chunk.route }
      }
      return Response.json({ text, chunks, ...last })
    }
    if (path === '/probe/globals') {
      // What the runtime offers: the suite checks each runtime is the one it claims to be.
      const scope = globalThis as Record<string, unknown>
      return Response.json({ process: typeof scope.process, deno: typeof scope.Deno, bun: typeof scope.Bun, edgeRuntime: typeof scope.EdgeRuntime, navigator: (scope.navigator as { userAgent?: string } | undefined)?.userAgent ?? null })
    }
    return fetch ? fetch(request) : Response.json({ error: `no probe at ${path}` }, { status: 404 })
  }
}
