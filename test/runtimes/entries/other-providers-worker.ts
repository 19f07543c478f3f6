import { createOtherProvidersProbe, type OtherProvidersSettings } from '../probe-app.js'

let probe: ((request: Request) => Promise<Response>) | undefined

// google(), mistral() and groq() in workerd, their SDKs pointed at the local upstream by env bindings.
export default {
  fetch(request: Request, env: OtherProvidersSettings): Promise<Response> {
    probe ??= createOtherProvidersProbe(env)
    return probe(request)
  },
}
