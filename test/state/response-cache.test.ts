import { describe, expect, it } from 'vitest'
import { ConfigurationError, InvalidRequestError, createRouter, memoryStore, mockProvider, type RouterEvent, type Store } from '../../src/index.js'
import type { ChatChunk, ChatResult } from '../../src/spec/response.js'
import { collectWithResult } from '../helpers/streams.js'

const messages = [{ role: 'user' as const, content: 'What is the capital of France?' }]
const prices = { 'llm/small': { input: 1, output: 2 }, 'llm/large': { input: 3, output: 15 } }

/** A memory store that records the keys written and deleted, to look at what the cache stores. */
function recordingStore(): Store & { writes: Array<{ key: string; value: string; ttlMs?: number }>; deletes: string[]; inner: Store } {
  const inner = memoryStore()
  const writes: Array<{ key: string; value: string; ttlMs?: number }> = []
  const deletes: string[] = []
  return {
    specificationVersion: 'v1',
    kind: 'recording',
    inner,
    writes,
    deletes,
    get: (key) => inner.get(key),
    set: async (key, value, options) => {
      writes.push({ key, value, ttlMs: options?.ttlMs })
      await inner.set(key, value, options)
    },
    setIfAbsent: (key, value, options) => inner.setIfAbsent(key, value, options),
    delete: async (key) => {
      deletes.push(key)
      await inner.delete(key)
    },
    increment: (key, by, options) => inner.increment(key, by, options),
    run: (script, keys, args) => inner.run(script, keys, args),
  }
}

function setup(options: { cache?: Parameters<typeof createRouter>[0]['cache']; store?: Store; script?: Parameters<typeof mockProvider>[0]['models'][string] } = {}) {
  const llm = mockProvider({
    id: 'llm',
    models: {
      small: options.script ?? { text: 'Paris.', usage: { inputTokens: 12, outputTokens: 3 } },
      large: { text: 'Paris, of course.', usage: { inputTokens: 12, outputTokens: 5 } },
    },
  })
  const events: RouterEvent[] = []
  const router = createRouter({
    providers: [llm],
    prices,
    routes: { main: ['llm/small'], fresh: ['llm/small'], other: ['llm/large'] },
    onEvent: (event) => events.push(event),
    ...(options.cache !== undefined ? { cache: options.cache } : {}),
    ...(options.store ? { store: options.store } : {}),
  })
  return { llm, router, events }
}

const text = (result: ChatResult) => result.choices[0]!.message.content
const streamedText = (chunks: ChatChunk[]) => chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')

describe('response cache: off unless asked for', () => {
  it('without a cache option every call reaches the provider', async () => {
    const { llm, router } = setup()
    const first = await router.chat({ model: 'main', messages })
    const second = await router.chat({ model: 'main', messages })
    expect(llm.calls).toHaveLength(2)
    expect(second.route.cacheHit).toBe(false)
    expect(first.cost.saved).toBeUndefined()
  })
})

describe('response cache: a hit', () => {
  it('serves the second identical call: cacheHit, nothing paid, the saving and the original usage reported, an event', async () => {
    const { llm, router, events } = setup({ cache: { ttlMs: 60_000 } })
    const first = await router.chat({ model: 'main', messages })
    const second = await router.chat({ model: 'main', messages })
    expect(llm.calls).toHaveLength(1)
    expect(first.route.cacheHit).toBe(false)
    expect(first.cost.total).toBeGreaterThan(0)
    expect(second.route.cacheHit).toBe(true)
    expect(second.route.attempts).toEqual([])
    expect(second.cost.total).toBe(0)
    expect(second.cost.saved).toBe(first.cost.total)
    expect(second.usage).toEqual(first.usage)
    expect(text(second)).toBe('Paris.')
    expect(second.model).toBe('llm/small')
    const hits = events.filter((event) => event.type === 'cache-hit')
    expect(hits).toHaveLength(1)
    expect(hits[0]).toMatchObject({ provider: 'llm', model: 'small', saved: first.cost.total, routeName: 'main' })
  })

  it('a streamed call is served from a non-streamed entry, and the other way round', async () => {
    const { llm, router } = setup({ cache: true })
    const chat = await router.chat({ model: 'main', messages })
    const { chunks, result } = await collectWithResult(router.stream({ model: 'main', messages }))
    expect(llm.calls).toHaveLength(1)
    expect(streamedText(chunks)).toBe('Paris.')
    expect(result.route.cacheHit).toBe(true)
    expect(result.cost.saved).toBe(chat.cost.total)
    expect(chunks.at(-1)!.usage).toEqual(chat.usage)

    const other = setup({ cache: true })
    const streamed = await other.router.stream({ model: 'other', messages }).finalResult()
    const fromStream = await other.router.chat({ model: 'other', messages })
    expect(other.llm.calls).toHaveLength(1)
    expect(fromStream.route.cacheHit).toBe(true)
    expect(text(fromStream)).toBe('Paris, of course.')
    expect(fromStream.usage).toEqual(streamed.usage)
  })

  it('replays a stream with its tool calls and reasoning intact', async () => {
    const { llm, router } = setup({
      cache: true,
      script: { reasoning: 'The user wants weather.', toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }], usage: { inputTokens: 20, outputTokens: 9 } },
    })
    const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }]
    const live = await collectWithResult(router.stream({ model: 'main', messages, tools }))
    const replayed = await collectWithResult(router.stream({ model: 'main', messages, tools }))
    expect(llm.calls).toHaveLength(1)
    expect(replayed.result.route.cacheHit).toBe(true)
    const strip = (chunks: ChatChunk[]) => chunks.slice(0, -1).map((chunk) => chunk.choices)
    expect(strip(replayed.chunks)).toEqual(strip(live.chunks))
    expect(replayed.result.choices[0]!.message.tool_calls).toEqual(live.result.choices[0]!.message.tool_calls)
    expect(JSON.parse(replayed.result.choices[0]!.message.tool_calls![0]!.function.arguments)).toEqual({ city: 'Paris' })
    expect(replayed.result.choices[0]!.finish_reason).toBe('tool_calls')
    expect(replayed.chunks.at(-1)!.usage).toEqual(live.chunks.at(-1)!.usage)
  })

  it('the key ignores user, tags and the signal, and files one spelling of the token limit with the other', async () => {
    const { llm, router } = setup({ cache: true })
    await router.chat({ model: 'main', messages, user: 'alice', max_tokens: 50 })
    const second = await router.chat({ model: 'main', messages, user: 'bob', max_completion_tokens: 50 }, { tags: { team: 'x' }, user: 'carol', signal: new AbortController().signal })
    expect(second.route.cacheHit).toBe(true)
    expect(llm.calls).toHaveLength(1)
  })

  it('the key covers everything that changes the answer', async () => {
    const { llm, router } = setup({ cache: true })
    const base = { model: 'main' as const, messages }
    const variants = [
      base,
      { ...base, model: 'fresh' as const },
      { ...base, model: 'llm/small' as const },
      { ...base, messages: [{ role: 'user' as const, content: 'What is the capital of Spain?' }] },
      { ...base, temperature: 0.2 },
      { ...base, top_p: 0.5 },
      { ...base, max_tokens: 10 },
      { ...base, stop: ['\n'] },
      { ...base, seed: 7 },
      { ...base, tools: [{ type: 'function' as const, function: { name: 'a' } }] },
      { ...base, tools: [{ type: 'function' as const, function: { name: 'a' } }], tool_choice: 'required' as const },
      { ...base, response_format: { type: 'json_object' as const } },
      { ...base, reasoning_effort: 'low' as const },
      { ...base, provider_options: { llm: { top_k: 3 } } },
    ]
    for (const request of variants) await router.chat(request)
    expect(llm.calls).toHaveLength(variants.length)
    // And each is now cached under its own key.
    for (const request of variants) expect((await router.chat(request)).route.cacheHit).toBe(true)
    expect(llm.calls).toHaveLength(variants.length)
  })

  it('object key order does not matter', async () => {
    const { llm, router } = setup({ cache: true })
    await router.chat({ model: 'main', messages, provider_options: { llm: { a: 1, b: 2 } }, temperature: 0 })
    const second = await router.chat({ temperature: 0, provider_options: { llm: { b: 2, a: 1 } }, messages, model: 'main' })
    expect(second.route.cacheHit).toBe(true)
    expect(llm.calls).toHaveLength(1)
  })

  it('store keys are hashes: no message content, no ids in clear', async () => {
    const store = recordingStore()
    const { router } = setup({ cache: { ttlMs: 1234 }, store })
    await router.chat({ model: 'main', messages: [{ role: 'user', content: 'my secret sk-test-123' }] })
    const writes = store.writes.filter((write) => write.key.startsWith('cache:'))
    expect(writes).toHaveLength(1)
    expect(writes[0]!.key).toMatch(/^cache:[0-9a-f]{64}$/)
    expect(writes[0]!.ttlMs).toBe(1234)
  })

  it('a request has the same key in every version: entries written by an earlier one are still found', async () => {
    // Keys as written before the key text was built without a filtered copy of the request: the
    // text (and so the hash) must not change, or every shared cache (Redis) would start empty.
    const store = recordingStore()
    const llm = mockProvider({ id: 'llm', models: { small: { text: 'Paris.' } } })
    const router = createRouter({ providers: [llm], cache: {}, store })
    await router.chat({ model: 'llm/small', messages: [{ role: 'user', content: 'What is the capital of France?' }] })
    await router.chat({
      model: 'llm/small',
      messages: [{ role: 'user', content: 'Ünïcode "quotes" \\ 𝄞' }],
      temperature: 0.2,
      max_completion_tokens: 50,
      user: 'alice',
      tools: [{ type: 'function', function: { name: 'f', parameters: { b: 1, a: [1, { z: null, y: 'x' }] } } }],
    })
    await router.chat({ model: 'llm/small', messages: [{ role: 'user', content: 'x' }], max_tokens: 20, max_completion_tokens: 50, seed: 3 })
    expect(store.writes.map((write) => write.key)).toEqual([
      'cache:40adc42c95efc69aa9356e4f5e094abab2093121dd4830f2b042571fd7f8677d',
      'cache:a8640fbfd75f17f4a829fc1e0329d4503b8941ecc4e6452aa418d33fd931777e',
      'cache:c67f8b3fb934e2da3b2af4f6e87017789f5f28ea105f80adee6f829bebd791fc',
    ])
    await router.close()
  })
})

describe('response cache: what is never cached', () => {
  it('errors', async () => {
    const { llm, router } = setup({ cache: true, script: [{ error: 'invalid' }, { text: 'Paris.' }] })
    await expect(router.chat({ model: 'main', messages })).rejects.toThrow(InvalidRequestError)
    const second = await router.chat({ model: 'main', messages })
    expect(second.route.cacheHit).toBe(false)
    expect(llm.calls).toHaveLength(2)
  })

  it('an interrupted stream, and a stream the caller stopped reading', async () => {
    const { llm, router } = setup({
      cache: true,
      script: [{ text: 'Paris is the capital.', chunkDelayMs: 1, failAfterChunks: 2, error: 'server' }, { text: 'Paris is the capital.' }, { text: 'Paris is the capital.' }],
    })
    await expect(collectWithResult(router.stream({ model: 'main', messages }))).rejects.toThrow()
    for await (const _chunk of router.stream({ model: 'main', messages })) break
    const third = await router.chat({ model: 'main', messages })
    expect(third.route.cacheHit).toBe(false)
    expect(llm.calls).toHaveLength(3)
    expect((await router.chat({ model: 'main', messages })).route.cacheHit).toBe(true)
  })

  it('an answer cut by the token limit, unless the call opts in', async () => {
    const { llm, router } = setup({ cache: true, script: { text: 'Par', finishReason: 'length' } })
    await router.chat({ model: 'main', messages })
    expect((await router.chat({ model: 'main', messages })).route.cacheHit).toBe(false)
    await router.chat({ model: 'main', messages }, { cache: { cacheLengthLimited: true } })
    expect((await router.chat({ model: 'main', messages })).route.cacheHit).toBe(true)
    expect(llm.calls).toHaveLength(3)
  })

  it('an answer over the size limit', async () => {
    const { llm, router } = setup({ cache: { maxEntryBytes: 2_000 }, script: { text: 'é'.repeat(1_200) } })
    await router.chat({ model: 'main', messages })
    expect((await router.chat({ model: 'main', messages })).route.cacheHit).toBe(false)
    expect(llm.calls).toHaveLength(2)
  })
})

describe('response cache: what a caller does with its result', () => {
  const weather = { text: 'Looking it up.', toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }] }
  const stores: Array<[string, () => Store | undefined]> = [
    ['the default memory store', () => undefined],
    ['a memory store given to the router', () => memoryStore()],
    ['a store other than memory', () => recordingStore()],
  ]
  for (const [name, store] of stores) {
    it(`changing a result (the miss's or a hit's) changes nothing that later calls are served: ${name}`, async () => {
      const { llm, router } = setup({ cache: true, script: weather, ...(store() ? { store: store()! } : {}) })
      const change = (result: ChatResult) => {
        const message = result.choices[0]!.message
        message.content = 'changed'
        message.tool_calls![0]!.function.arguments = '{"city":"Rome"}'
        message.tool_calls!.push({ id: 'call_2', type: 'function', function: { name: 'x', arguments: '{}' } })
        result.usage.prompt_tokens = -1
      }
      const first = await router.chat({ model: 'main', messages })
      const answered = structuredClone(first.choices[0]!.message)
      const usage = structuredClone(first.usage)
      change(first)
      const second = await router.chat({ model: 'main', messages })
      expect(second.route.cacheHit).toBe(true)
      expect(second.choices[0]!.message).toEqual(answered)
      expect(second.usage).toEqual(usage)
      change(second)
      const third = await router.chat({ model: 'main', messages })
      expect(third.choices[0]!.message).toEqual(answered)
      expect(third.choices[0]!.message.tool_calls![0]!.function.arguments).toBe('{"city":"Paris"}')
      expect(llm.calls).toHaveLength(1)
      await router.close()
    })
  }

  it('changing a streamed result changes nothing that later calls are served (memory store)', async () => {
    const { llm, router } = setup({ cache: true, script: weather })
    const streamed = await router.stream({ model: 'main', messages }).finalResult()
    const answered = structuredClone(streamed.choices[0]!.message)
    streamed.choices[0]!.message.tool_calls![0]!.function.arguments = '{"city":"Rome"}'
    streamed.choices[0]!.message.content = 'changed'
    const replayed = await router.stream({ model: 'main', messages }).finalResult()
    const served = await router.chat({ model: 'main', messages })
    expect(replayed.route.cacheHit).toBe(true)
    expect(served.route.cacheHit).toBe(true)
    expect(replayed.choices[0]!.message).toEqual(answered)
    expect(served.choices[0]!.message.tool_calls).toEqual(answered.tool_calls)
    expect(llm.calls).toHaveLength(1)
  })

  it('the memory store holds an entry that reads (store.get) as the JSON another store is given, byte for byte', async () => {
    const recording = recordingStore()
    const shared = setup({ cache: true, script: weather, store: recording })
    await shared.router.chat({ model: 'main', messages })
    const memory = memoryStore()
    const local = setup({ cache: true, script: weather, store: memory })
    await local.router.chat({ model: 'main', messages })
    const written = recording.writes.find((write) => write.key.startsWith('cache:'))!
    expect(await memory.get(written.key)).toBe(written.value)
  })

  it('the size limit is the same, to the byte, whether the entry is held in memory or written as JSON', async () => {
    // Characters of every UTF-8 length, and ones JSON escapes, so counting characters cannot decide.
    const script = { text: `${'é'.repeat(300)}${'€'.repeat(100)}𝄞"\\\u0001\n` }
    const recording = recordingStore()
    await setup({ cache: true, script, store: recording }).router.chat({ model: 'main', messages })
    const bytes = new TextEncoder().encode(recording.writes.find((write) => write.key.startsWith('cache:'))!.value).byteLength
    for (const [maxEntryBytes, kept] of [
      [bytes, true],
      [bytes - 1, false],
    ] as const) {
      for (const store of [memoryStore(), recordingStore()]) {
        const { llm, router } = setup({ cache: { maxEntryBytes }, script, store })
        await router.chat({ model: 'main', messages })
        expect((await router.chat({ model: 'main', messages })).route.cacheHit).toBe(kept)
        expect(llm.calls).toHaveLength(kept ? 1 : 2)
      }
    }
  })
})

describe('response cache: settings per router, route and call', () => {
  it('a call turns it on with { ttlMs }, off with false, and skips the look-up with refresh', async () => {
    const { llm, router } = setup()
    await router.chat({ model: 'main', messages }, { cache: { ttlMs: 60_000 } })
    expect((await router.chat({ model: 'main', messages }, { cache: { ttlMs: 60_000 } })).route.cacheHit).toBe(true)
    expect((await router.chat({ model: 'main', messages })).route.cacheHit).toBe(false)
    expect(llm.calls).toHaveLength(2)

    const cached = setup({ cache: true })
    await cached.router.chat({ model: 'main', messages })
    expect((await cached.router.chat({ model: 'main', messages }, { cache: false })).route.cacheHit).toBe(false)
    expect((await cached.router.chat({ model: 'main', messages }, { cache: { refresh: true } })).route.cacheHit).toBe(false)
    expect((await cached.router.chat({ model: 'main', messages })).route.cacheHit).toBe(true)
    expect(cached.llm.calls).toHaveLength(3)
  })

  it('an entry expires after its ttl', async () => {
    const { llm, router } = setup({ cache: { ttlMs: 60 } })
    await router.chat({ model: 'main', messages })
    expect((await router.chat({ model: 'main', messages })).route.cacheHit).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 120))
    expect((await router.chat({ model: 'main', messages })).route.cacheHit).toBe(false)
    expect(llm.calls).toHaveLength(2)
  })

  it('routes set their own: off for one route, on for another when the router default is off', async () => {
    const off = setup({ cache: { routes: { fresh: false } } })
    await off.router.chat({ model: 'fresh', messages })
    expect((await off.router.chat({ model: 'fresh', messages })).route.cacheHit).toBe(false)
    await off.router.chat({ model: 'main', messages })
    expect((await off.router.chat({ model: 'main', messages })).route.cacheHit).toBe(true)

    const onlyOne = setup({ cache: { everyCall: false, routes: { main: { ttlMs: 60_000 } } } })
    await onlyOne.router.chat({ model: 'other', messages })
    expect((await onlyOne.router.chat({ model: 'other', messages })).route.cacheHit).toBe(false)
    await onlyOne.router.chat({ model: 'main', messages })
    expect((await onlyOne.router.chat({ model: 'main', messages })).route.cacheHit).toBe(true)
  })

  it('bad settings: a configuration error at createRouter, an invalid-request error before any provider call', async () => {
    expect(() => setup({ cache: { ttlMs: 0 } })).toThrow(ConfigurationError)
    expect(() => setup({ cache: { routes: { nope: { ttlMs: 1 } } } })).toThrow(/no route "nope"/)
    expect(() => setup({ cache: { maxEntryBytes: -1 } })).toThrow(/maxEntryBytes/)
    expect(() => createRouter({ providers: [mockProvider({ models: { a: 'x' } })], store: {} as Store })).toThrow(/`store` must be a store/)
    const { llm, router } = setup()
    await expect(router.chat({ model: 'main', messages }, { cache: { ttlMs: -5 } })).rejects.toThrow(InvalidRequestError)
    expect(() => router.stream({ model: 'main', messages }, { cache: 'yes' as never })).toThrow(InvalidRequestError)
    expect(llm.calls).toHaveLength(0)
  })
})

describe('response cache: identical calls at the same time', () => {
  it('make one provider call, chat and stream alike', async () => {
    const { llm, router } = setup({ cache: true, script: { text: 'Paris.', latencyMs: 40 } })
    const calls = await Promise.all([
      router.chat({ model: 'main', messages }),
      router.chat({ model: 'main', messages }),
      router.stream({ model: 'main', messages }).finalResult(),
      router.chat({ model: 'main', messages }),
    ])
    expect(llm.calls).toHaveLength(1)
    expect(calls.map(text)).toEqual(['Paris.', 'Paris.', 'Paris.', 'Paris.'])
    expect(calls.filter((result) => result.route.cacheHit)).toHaveLength(3)
  })

  it('when the first fails, the others make their own calls', async () => {
    const { llm, router } = setup({ cache: true, script: [{ error: 'invalid', latencyMs: 30 }, { text: 'Paris.' }] })
    const [first, second, third] = await Promise.allSettled([
      router.chat({ model: 'main', messages }),
      router.chat({ model: 'main', messages }),
      router.chat({ model: 'main', messages }),
    ])
    expect(first.status).toBe('rejected')
    expect(second.status).toBe('fulfilled')
    expect(third.status).toBe('fulfilled')
    expect(llm.calls).toHaveLength(3)
  })
})

describe('response cache: entries that are not ours', () => {
  it('a corrupt or foreign entry is ignored, deleted and reported once', async () => {
    const store = recordingStore()
    const { llm, router, events } = setup({ cache: true, store })
    await router.chat({ model: 'main', messages })
    const key = store.writes[0]!.key
    for (const garbage of ['{not json', JSON.stringify({ format: 'someone-else', answer: 42 }), JSON.stringify({ ...JSON.parse(store.writes[0]!.value), key: 'cache:other' })]) {
      await store.inner.set(key, garbage)
      const result = await router.chat({ model: 'main', messages })
      expect(result.route.cacheHit).toBe(false)
      expect(text(result)).toBe('Paris.')
    }
    expect(llm.calls).toHaveLength(4)
    expect(store.deletes.filter((deleted) => deleted === key)).toHaveLength(3)
    expect(events.filter((event) => event.type === 'warning' && event.code === 'cache_entry_invalid')).toHaveLength(1)
  })

  it('a failing store: every call answered as a miss, one warning', async () => {
    const failing: Store = {
      specificationVersion: 'v1',
      kind: 'broken',
      get: () => Promise.reject(new Error('connection refused')),
      set: () => Promise.reject(new Error('connection refused')),
      setIfAbsent: () => Promise.reject(new Error('connection refused')),
      delete: () => Promise.reject(new Error('connection refused')),
      increment: () => Promise.reject(new Error('connection refused')),
      run: () => Promise.reject(new Error('connection refused')),
    }
    const { llm, router, events } = setup({ cache: true, store: failing })
    for (let index = 0; index < 3; index++) expect(text(await router.chat({ model: 'main', messages }))).toBe('Paris.')
    const warnings = events.filter((event) => event.type === 'warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatchObject({ code: 'store_error' })
    // The local stand-in still caches within this instance.
    expect(llm.calls.length).toBeLessThan(3)
    await router.close()
  })
})
