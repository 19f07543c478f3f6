// The one piece of the Workers runtime API the Cloudflare example uses, declared the way
// @cloudflare/workers-types does (a Worker project installs those, or runs `wrangler types`).
declare namespace Cloudflare {
  interface Env {}
}
declare module 'cloudflare:workers' {
  export const env: Cloudflare.Env
}
