// Type-level tests: `tsc --noEmit` (part of `npm test`) checks every expectTypeOf and every
// expected compile error here; the runtime assertions make sure the calls that compile also work.
import { describe, expect, expectTypeOf, it } from 'vitest'
import {
  createRouter,
  fallback,
  mockProvider,
  StrategyError,
  type ChatResult,
  type ChatUsage,
  type EmbedParameters,
  type ChatParameters,
  type ModelId,
  type Router,
  type RouterClient,
  type Strategy,
  type StrategyContext,
  type Usage,
} from '../../src/index.js'

const messages = [{ role: 'user' as const, content: 'hi' }]
const providers = () => [mockProvider({ id: 'p', models: { a: 'from a', b: 'from b' } })]

describe('route names are inferred from createRouter', () => {
  it('routes are typed, a misspelt route does not compile, ids and arrays of ids do', async () => {
    const router = createRouter({ providers: providers(), routes: { main: 'p/a', backup: fallback(['p/b']) } })
    expectTypeOf(router.routes).toEqualTypeOf<Array<'main' | 'backup'>>()
    expectTypeOf(router).toMatchTypeOf<Router<'main' | 'backup'>>()
    const misspelt = () =>
      // @ts-expect-error 'defualt' is not a route of this router, nor a provider/model id
      router.chat({ model: 'defualt', messages })
    void misspelt
    const streamMisspelt = () =>
      // @ts-expect-error the same check for streams
      router.stream({ model: 'mian', messages })
    void streamMisspelt
    const chain: ModelId[] = ['p/a', 'p/b']
    expect((await router.chat({ model: 'main', messages })).choices[0]!.message.content).toBe('from a')
    expect((await router.chat({ model: 'p/b', messages })).choices[0]!.message.content).toBe('from b')
    expect((await router.chat({ model: chain, messages })).route.provider).toBe('p')
    expect((await router.embed({ model: 'backup', input: 'x' })).model).toBe('p/b')
  })

  it('a router with known routes is still a Router and a RouterClient; one without routes takes any name', () => {
    const typed = createRouter({ providers: providers(), routes: { main: 'p/a' } })
    expectTypeOf(typed).toMatchTypeOf<Router>()
    expectTypeOf(typed).toMatchTypeOf<RouterClient>()
    const untyped = createRouter({ providers: providers() })
    expectTypeOf(untyped.routes).toEqualTypeOf<string[]>()
    const anyName: string = 'p/a'
    expectTypeOf(untyped.chat).toBeCallableWith({ model: anyName, messages })
  })

  it('model may be omitted when the options name a strategy, and only then', async () => {
    const router = createRouter({ providers: providers(), routes: { main: 'p/a' } })
    const result = await router.chat({ messages }, { strategy: fallback(['p/b']) })
    expect(result.choices[0]!.message.content).toBe('from b')
    const withoutModel = () =>
      // @ts-expect-error no model and no strategy
      router.chat({ messages })
    void withoutModel
    expectTypeOf(router.embed).toBeCallableWith({ input: 'x' }, { strategy: fallback(['p/a']) })
  })
})

describe('the public types', () => {
  it('keep one casing per object: OpenAI names in usage, the canonical breakdown in tokens', () => {
    expectTypeOf<ChatResult['usage']>().toEqualTypeOf<ChatUsage>()
    expectTypeOf<ChatUsage>().not.toHaveProperty('inputTokens')
    expectTypeOf<ChatUsage>().toHaveProperty('prompt_tokens')
    expectTypeOf<ChatResult['tokens']>().toEqualTypeOf<Usage>()
  })

  it('give the router core a small surface', () => {
    expectTypeOf<Router>().not.toHaveProperty('services')
    expectTypeOf<Router>().not.toHaveProperty('resolveCandidate')
    expectTypeOf<Router>().not.toHaveProperty('routeModels')
    expectTypeOf<Router>().toHaveProperty('close').returns.resolves.toBeVoid()
  })

  it('let a strategy narrow its context on the operation, without casts', () => {
    const narrow = (context: StrategyContext) => {
      if (context.operation === 'embed') expectTypeOf(context.request).toEqualTypeOf<EmbedParameters>()
      else expectTypeOf(context.request).toEqualTypeOf<ChatParameters>()
    }
    void narrow
    expectTypeOf<Strategy['specificationVersion']>().toEqualTypeOf<'v1'>()
  })

  it('type each error code as its literal', () => {
    expectTypeOf<StrategyError['code']>().toEqualTypeOf<'strategy_error'>()
    expect(new StrategyError('mine', 'broke').code).toBe('strategy_error')
  })
})
