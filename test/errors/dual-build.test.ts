import { execFileSync } from 'node:child_process'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildPackage, repositoryRoot } from '../helpers/package-build.js'

/**
 * The ESM and CommonJS builds both end up in one process when one dependency imports switchyard
 * and another requires it: two copies of every class. An error made by one copy must be
 * recognised by the other. Run in a fresh Node process that loads the two real builds.
 */
describe('errors across the ESM and CommonJS builds', () => {
  let built: { esm: string; cjs: string }
  beforeAll(() => {
    built = buildPackage('switchyard-dual-build')
  }, 120_000)

  it('an error from one build is recognised by the other build’s isInstance and instanceof', () => {
    const script = `
      import { createRequire } from 'node:module'
      const esm = await import(${JSON.stringify(built.esm)})
      const cjs = createRequire(import.meta.url)(${JSON.stringify(built.cjs)})
      if (esm.RateLimitError === cjs.RateLimitError) throw new Error('the two builds share classes; the test would prove nothing')
      const fromEsm = new esm.RateLimitError('slow down', { status: 429, retryAfterMs: 1000 })
      const fromCjs = new cjs.AuthenticationError('bad key', { status: 401 })
      // A router of one build classifies what an adapter of the other build threw.
      const router = cjs.createRouter({
        providers: [{ specificationVersion: 'v1', id: 'other', models: ['m'], chat: async () => { throw fromEsm }, stream: async function* () { throw fromEsm } }],
        routes: { once: cjs.fallback(['other/m'], { retries: 0 }) },
      })
      const routed = await router.chat({ model: 'once', messages: [{ role: 'user', content: 'hi' }] }).then(() => null, (error) => error)
      console.log(JSON.stringify({
        cjsRecognisesEsm: cjs.RateLimitError.isInstance(fromEsm),
        cjsParentRecognisesEsm: cjs.ProviderError.isInstance(fromEsm),
        cjsBaseRecognisesEsm: cjs.SwitchyardError.isInstance(fromEsm),
        cjsInstanceofEsm: fromEsm instanceof cjs.RateLimitError,
        cjsWrongClass: cjs.AuthenticationError.isInstance(fromEsm),
        esmRecognisesCjs: esm.AuthenticationError.isInstance(fromCjs),
        esmInstanceofCjs: fromCjs instanceof esm.ProviderError,
        esmWrongClass: esm.RateLimitError.isInstance(fromCjs),
        names: [fromEsm.name, fromCjs.name],
        routedIsTheSameError: routed === fromEsm,
        routedCode: routed?.code,
      }))
    `
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repositoryRoot, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } })
    expect(JSON.parse(output.trim().split('\n').at(-1)!)).toEqual({
      cjsRecognisesEsm: true,
      cjsParentRecognisesEsm: true,
      cjsBaseRecognisesEsm: true,
      cjsInstanceofEsm: true,
      cjsWrongClass: false,
      esmRecognisesCjs: true,
      esmInstanceofCjs: true,
      esmWrongClass: false,
      names: ['RateLimitError', 'AuthenticationError'],
      routedIsTheSameError: true,
      routedCode: 'rate_limited',
    })
  }, 60_000)
})
