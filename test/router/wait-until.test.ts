import { describe, expect, it } from 'vitest'
import { abTest, createRouter, InvalidRequestError, mockProvider } from '../../src/index.js'

const messages = [{ role: 'user' as const, content: 'Which is better?' }]

/** Every call is served by `a`, run in the shadow on `b` and judged (both orders) by `judge`. */
function experimentRouter() {
  const llm = mockProvider({ id: 'mock', models: { a: 'answer A', b: 'answer B', judge: 'A' } })
  const router = createRouter({
    providers: [llm],
    routes: { experiment: abTest({ variants: { a: 'mock/a', b: 'mock/b' }, weights: { a: 1, b: 0 }, judge: 'mock/judge', sampleRate: 1 }) },
  })
  return { llm, router }
}

describe('waitUntil: work a call leaves running, handed to the platform', () => {
  it('router.chat hands the recording of the served run and the shadow comparison to the call\'s waitUntil', async () => {
    const { router } = experimentRouter()
    const handed: Promise<unknown>[] = []
    await router.chat({ model: 'experiment', messages }, { waitUntil: (work) => handed.push(work) })
    expect(handed).toHaveLength(2)
    await Promise.all(handed)
    // Once what was handed over has settled, the comparison is done: nothing else was left running.
    expect(router.experiments()[0]).toMatchObject({ comparisons: 1, failedComparisons: 0 })
  })

  it('router.fetch called as a Worker calls it, (request, env, ctx), hands the work to ctx.waitUntil', async () => {
    const { router, llm } = experimentRouter()
    const handed: Promise<unknown>[] = []
    const ctx = {
      waitUntil(work: Promise<unknown>) {
        // Bound as the platform requires: workerd's ctx.waitUntil throws when called without its `this`.
        expect(this).toBe(ctx)
        handed.push(work)
      },
    }
    const request = new Request('http://worker.local/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'experiment', messages }) })
    const response = await router.fetch(request, { OPENAI_API_KEY: 'unused' }, ctx)
    expect(response.status).toBe(200)
    expect(((await response.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content).toBe('answer A')
    expect(handed).toHaveLength(2)
    await Promise.all(handed)
    expect(llm.calls.map((call) => call.request.model).sort()).toEqual(['a', 'b', 'judge', 'judge'])
  })

  it('router.fetch called as Vercel calls an edge function, (request, context), does the same', async () => {
    const { router } = experimentRouter()
    const handed: Promise<unknown>[] = []
    const response = await router.fetch(
      new Request('http://edge.local/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'experiment', messages }) }),
      { waitUntil: (work: Promise<unknown>) => void handed.push(work) },
    )
    expect(response.status).toBe(200)
    expect(handed).toHaveLength(2)
  })

  it('an SDK\'s (url, init) call is still a plain fetch: init is the request, nothing is handed anywhere', async () => {
    const { router } = experimentRouter()
    const response = await router.fetch('http://local/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'experiment', messages }) })
    expect(response.status).toBe(200)
    await router.close()
    expect(router.experiments()[0]).toMatchObject({ comparisons: 1 })
  })

  it('refuses a waitUntil that is not a function before any provider is called', async () => {
    const { router, llm } = experimentRouter()
    await expect(router.chat({ model: 'experiment', messages }, { waitUntil: 'later' as never })).rejects.toThrow(InvalidRequestError)
    expect(llm.calls).toHaveLength(0)
  })
})
