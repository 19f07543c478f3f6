import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useRedisServer } from '../helpers/redis-server.js'
import { connectRedisClient } from '../helpers/redis-clients.js'
import { startWorkerd, type RuntimeHost } from './runtime-hosts.js'
import { providerSettings } from './runtime-scenarios.js'
import { describeRuntime } from './runtime-suite.js'

// Cloudflare Workers: the bundles run in workerd itself (through miniflare, as `wrangler dev` does).
describeRuntime(
  {
    title: 'Cloudflare workerd',
    target: 'workerd',
    probe: 'test/runtimes/entries/workerd-probe.ts',
    keysFrom: 'env bindings',
    globals: {
      description: 'with no Node process object',
      check: (globals) => expect(globals).toMatchObject({ process: 'undefined', deno: 'undefined', bun: 'undefined', navigator: 'Cloudflare-Workers' }),
    },
    example: {
      title: 'examples/cloudflare-worker.ts (export default { fetch: router.fetch }) with keys from env bindings',
      entry: 'examples/cloudflare-worker.ts',
      bundleOptions: { external: ['cloudflare:workers'] },
    },
    otherProviders: { entry: 'test/runtimes/entries/other-providers-worker.ts' },
    start: startWorkerd,
  },
  (suite) => {
    describe('work after the answer (abTest shadow run and judge calls) and ctx.waitUntil', () => {
      let worker: RuntimeHost
      beforeAll(async () => {
        const bundle = await suite.build.bundle('test/runtimes/entries/ab-test-worker.ts', 'workerd', 'ab-test-worker')
        worker = await startWorkerd(bundle.file, providerSettings(suite.upstream))
        suite.hosts.push(worker)
      }, 60_000)

      async function experiment(): Promise<{ comparisons: number; failedComparisons: number }> {
        const reports = (await (await fetch(`${worker.url}/experiments`)).json()) as Array<{ comparisons: number; failedComparisons: number }>
        // Before the first call the experiment has no report yet.
        return reports[0] ?? { comparisons: 0, failedComparisons: 0 }
      }

      async function ask(path: string): Promise<void> {
        const response = await fetch(`${worker.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'experiment', messages: [{ role: 'user', content: 'Invent a new holiday and describe its traditions.' }] }),
        })
        expect(response.status).toBe(200)
        await response.json()
      }

      // The shadow run (Anthropic) answers 400 ms after the served one, so it always outlives the response.
      beforeAll(() => void suite.upstream.delays.set('anthropic', 400))
      afterAll(() => void suite.upstream.delays.delete('anthropic'))

      it('router.fetch exported as the Worker\'s fetch hands it to ctx.waitUntil: the comparison completes after the response', async () => {
        const before = await experiment()
        suite.upstream.requests.length = 0
        await ask('/v1/chat/completions')
        let after = await experiment()
        for (let waited = 0; after.comparisons + after.failedComparisons === before.comparisons + before.failedComparisons && waited < 10_000; waited += 100) {
          await new Promise((resolve) => setTimeout(resolve, 100))
          after = await experiment()
        }
        expect(after.comparisons - before.comparisons).toBe(1)
        expect(after.failedComparisons - before.failedComparisons).toBe(0)
        // Served (OpenAI), shadow (Anthropic), then the judge (OpenAI) in both orders.
        expect(suite.upstream.requests.map((request) => request.provider).sort()).toEqual(['anthropic', 'openai', 'openai', 'openai'])
      })

      it('called without the platform\'s context, workerd cancels that work once the response is sent (what waitUntil prevents)', async () => {
        const before = await experiment()
        suite.upstream.requests.length = 0
        await ask('/without-wait-until/v1/chat/completions')
        await new Promise((resolve) => setTimeout(resolve, 2_000))
        const after = await experiment()
        expect(after.comparisons - before.comparisons).toBe(0)
        // The shadow request reached the upstream, but its answer never came back to a live isolate: no judge call followed.
        expect(suite.upstream.requests.map((request) => request.provider).sort()).toEqual(['anthropic', 'openai'])
      })
    })

    describe('the Redis store with a user\'s client, over workerd sockets (nodejs_compat)', () => {
      const redis = useRedisServer()
      let worker: RuntimeHost
      beforeAll(async () => {
        const bundle = await suite.build.bundle('test/runtimes/entries/redis-store-worker.ts', 'workerd', 'workerd-redis', { nodeBuiltins: true, external: ['cloudflare:workers'] })
        worker = await startWorkerd(bundle.file, { REDIS_PORT: String(redis.current.port) }, { nodejsCompat: true })
        suite.hosts.push(worker)
      }, 60_000)

      it.each(['redis', 'ioredis'] as const)('works with a %s client opened for the request', async (library) => {
        for (const count of [1, 2]) {
          const response = await fetch(`${worker.url}/?library=${library}&client=per-request`)
          expect(await response.json()).toEqual({ greeting: `hello from ${library}`, count })
        }
        const direct = await connectRedisClient(library, redis.current.port)
        try {
          expect(await direct.raw('GET', `runtime-suite:workerd:${library}:greeting`)).toBe(`hello from ${library}`)
        } finally {
          await direct.close()
        }
      })

      it('cannot use a client kept from an earlier request: workerd ties a socket to the request that opened it', async () => {
        const first = await fetch(`${worker.url}/?library=redis&client=shared`)
        expect(first.status).toBe(200)
        const second = await fetch(`${worker.url}/?library=redis&client=shared`)
        expect(second.status).toBe(500)
        expect((await second.json()).error).toMatch(/^StoreTimeoutError/)
      })
    })
  },
)
