import { createRouter, google, groq, mistral } from 'switchyard/core'
import { probeHandler } from '../probe-app.js'

interface Env {
  GEMINI_API_KEY: string
  MISTRAL_API_KEY: string
  GROQ_API_KEY: string
  UPSTREAM_URL: string
}

let probe: ((request: Request) => Promise<Response>) | undefined

// google(), mistral() and groq() in workerd, their SDKs pointed at the local upstream.
export default {
  fetch(request: Request, env: Env): Promise<Response> {
    probe ??= probeHandler(
      createRouter({
        providers: [
          google({ apiKey: env.GEMINI_API_KEY, baseURL: `${env.UPSTREAM_URL}/google` }),
          mistral({ apiKey: env.MISTRAL_API_KEY, baseURL: `${env.UPSTREAM_URL}/mistral` }),
          groq({ apiKey: env.GROQ_API_KEY, baseURL: `${env.UPSTREAM_URL}/groq` }),
        ],
      }),
    )
    return probe(request)
  },
}
