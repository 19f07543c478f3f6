import { createProbe, type ProbeSettings } from '../probe-app.js'

let probe: ((request: Request) => Promise<Response>) | undefined

// The router is built on the first request, from the Worker's env bindings, and lives as long as the isolate.
export default {
  fetch(request: Request, env: ProbeSettings): Promise<Response> {
    probe ??= createProbe(env)
    return probe(request)
  },
}
